import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTypes, type ServiceCodegen } from './codegen';

/** Each service's package, loaded only here: its `codegen` export says how its resolvers are typed. */
const packages: Record<string, () => Promise<object>> = {
  governance: () => import('@anju/governance'),
  employment: () => import('@anju/employment'),
  'social-orgs': () => import('@anju/social-orgs'),
  matching: () => import('@anju/matching'),
};

/** A service's codegen settings; undefined for one whose resolvers are not typed from its schema yet. */
export async function settingsOf(name: string): Promise<ServiceCodegen | undefined> {
  const pkg = await packages[name]?.();
  return pkg && 'codegen' in pkg ? (pkg.codegen as ServiceCodegen) : undefined;
}

export { generateTypes };

/**
 * `pnpm codegen`: writes each service's src/generated/graphql.ts from its schema, and the portal's
 * app/generated/operations.ts from its operations and the supergraph.
 */
async function main() {
  const root = path.resolve(__dirname, '../../../..');
  for (const f of await generateTypes(settingsOf, root)) {
    const file = path.resolve(root, f.filename);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, f.content);
    console.log(`wrote ${path.relative(root, file)}`);
  }
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
