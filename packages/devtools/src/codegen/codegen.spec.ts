import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_DECLARATIONS } from '@anju/contracts';
import { generateTypes, settingsOf } from './index';

const root = path.resolve(__dirname, '../../../..');

describe('generated resolver types (pnpm codegen)', () => {
  it('each checked-in file is what the schemas give now', async () => {
    const files = await generateTypes(settingsOf, root);
    // Every service types its resolvers from its schema: one exporting no `codegen` would go unchecked.
    expect(files.map((f) => f.filename).sort()).toEqual(
      SERVICE_DECLARATIONS.map((d) => `${d.dir}/src/generated/graphql.ts`).sort(),
    );
    for (const f of files) {
      const file = path.resolve(root, f.filename);
      const checkedIn = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (checkedIn !== f.content) throw new Error(`${f.filename} differs from its schema: run pnpm codegen`);
    }
  });
});
