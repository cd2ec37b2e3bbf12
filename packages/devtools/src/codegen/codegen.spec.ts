import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_DECLARATIONS } from '@anju/contracts';
import { portalOperations } from '@anju/portal';
import { generateTypes, settingsOf } from './index';
import { PORTAL_GENERATED_FILE, portalOperationTypes } from './portal';

const root = path.resolve(__dirname, '../../../..');

describe('generated types (pnpm codegen)', () => {
  it('each checked-in file is what the schemas and the portal operations give now', async () => {
    const files = await generateTypes(settingsOf, root);
    // Every service types its resolvers from its schema: one exporting no `codegen` would go unchecked.
    expect(files.map((f) => f.filename).sort()).toEqual(
      [...SERVICE_DECLARATIONS.map((d) => `${d.dir}/src/generated/graphql.ts`), PORTAL_GENERATED_FILE].sort(),
    );
    for (const f of files) {
      const file = path.resolve(root, f.filename);
      const checkedIn = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (checkedIn !== f.content) throw new Error(`${f.filename} differs from its sources: run pnpm codegen`);
    }
  });

  describe("the portal's operation types", () => {
    const supergraph = readFileSync(path.resolve(root, 'gateway/supergraph.graphql'), 'utf8');
    const operations = portalOperations();
    const regionPage = operations.find((o) => o.constant === 'REGION_PAGE')!;
    const withRegionPage = (text: string) => operations.map((o) => (o === regionPage ? { ...o, text } : o));
    let current: string;
    beforeAll(async () => {
      current = await portalOperationTypes(supergraph, operations);
    });

    it('type each operation and its constant', () => {
      for (const o of operations) expect(current).toContain(`export const ${o.constant} = texts.${o.constant} as`);
      expect(current).toContain('export type RegionPageQuery = ');
      expect(current).toContain('export type RegionPageQueryVariables = ');
    });

    it('change with an operation, so the check above fails on one changed without pnpm codegen', async () => {
      expect(regionPage.text).toContain(' level ');
      const changed = await portalOperationTypes(supergraph, withRegionPage(regionPage.text.replace(' level ', ' ')));
      expect(changed).not.toEqual(current);
    });

    it('change with the schema: a field that becomes nullable', async () => {
      const field = /^ {2}householdCount: Int!/m;
      expect(supergraph).toMatch(field);
      const changed = await portalOperationTypes(supergraph.replace(field, '  householdCount: Int'), operations);
      expect(changed).not.toEqual(current);
    });

    it('are not written for an operation the API schema refuses', async () => {
      const wrong = regionPage.text.replace(' level ', ' levelOfDetail ');
      await expect(portalOperationTypes(supergraph, withRegionPage(wrong))).rejects.toThrow(/levelOfDetail/);
    });
  });
});
