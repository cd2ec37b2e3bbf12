/**
 * `pnpm build`: the nine processes compiled to JavaScript in `dist/`, run with Node alone
 * (`node dist/services/governance/src/api.js`; `pnpm start --production`; the image).
 *
 * swc (already the tests' compiler) turns each TypeScript file into one CommonJS file, with the
 * same decorator settings as jest; the tree keeps the repository's layout, so every `__dirname`
 * path (schemas, the supergraph, the portal's build) holds. Each workspace package gets its
 * package.json (main → .js) and a node_modules whose entries link to the installed ones, except
 * `@anju/*`, which link to the compiled packages in dist. Type checking stays `pnpm typecheck`'s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { transformFile, type Options } from '@swc/core';
import { buildPortal } from '@anju/portal';
import { SERVICE_DECLARATIONS } from '@anju/contracts';
import { REPO_ROOT } from './start/processes';

export const DIST = path.join(REPO_ROOT, 'dist');

/** The workspace packages the processes run (devtools, testing and the portal's sources are not among them). */
const RUNTIME_PACKAGES = ['packages/kit', 'packages/contracts', ...SERVICE_DECLARATIONS.map((d) => d.dir), 'gateway'];
/** Files besides the code that a process reads at run time, relative to its package (besides src/**.graphql). */
const ASSETS = ['supergraph.graphql'];

const SWC: Options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
  swcrc: false,
};

function sources(
  dir: string,
  wanted = (name: string) => name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(name),
): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full, wanted);
    return wanted(e.name) ? [full] : [];
  });
}

/** Links every installed dependency of `pkg` into its copy in dist; `@anju/*` to their compiled copies. */
function linkDependencies(pkg: string): void {
  const from = path.join(REPO_ROOT, pkg, 'node_modules');
  const to = path.join(DIST, pkg, 'node_modules');
  if (!fs.existsSync(from)) return;
  const link = (entry: string) => {
    const target = entry.startsWith('@anju/')
      ? path.join(
          DIST,
          RUNTIME_PACKAGES.find((p) => readJson(path.join(REPO_ROOT, p, 'package.json')).name === entry) ??
            `missing-${entry}`,
        )
      : fs.realpathSync(path.join(from, entry));
    fs.mkdirSync(path.dirname(path.join(to, entry)), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(path.join(to, entry)), target), path.join(to, entry));
  };
  for (const e of fs.readdirSync(from)) {
    if (e.startsWith('.')) continue;
    if (e.startsWith('@')) for (const s of fs.readdirSync(path.join(from, e))) link(`${e}/${s}`);
    else link(e);
  }
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

export async function build(): Promise<{ files: number; ms: number }> {
  const started = performance.now();
  fs.rmSync(DIST, { recursive: true, force: true });
  let files = 0;
  for (const pkg of RUNTIME_PACKAGES) {
    const list = sources(path.join(REPO_ROOT, pkg, 'src'));
    // A few at a time: swc works off the main thread, the files are small.
    for (let i = 0; i < list.length; i += 32) {
      await Promise.all(
        list.slice(i, i + 32).map(async (file) => {
          const out = path.join(DIST, path.relative(REPO_ROOT, file)).replace(/\.ts$/, '.js');
          const { code, map } = await transformFile(file, {
            ...SWC,
            filename: file,
            outputPath: out,
            sourceFileName: path.relative(path.dirname(out), file),
          });
          fs.mkdirSync(path.dirname(out), { recursive: true });
          fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
          if (map) fs.writeFileSync(`${out}.map`, map);
        }),
      );
    }
    files += list.length;
    // A subgraph's schema, read beside its compiled api (kit service-schema.ts).
    for (const file of sources(path.join(REPO_ROOT, pkg, 'src'), (name) => name.endsWith('.graphql'))) {
      fs.copyFileSync(file, path.join(DIST, path.relative(REPO_ROOT, file)));
    }
    for (const asset of ASSETS) {
      const file = path.join(REPO_ROOT, pkg, asset);
      if (fs.existsSync(file)) fs.copyFileSync(file, path.join(DIST, pkg, asset));
    }
    const manifest = readJson(path.join(REPO_ROOT, pkg, 'package.json'));
    for (const key of ['main', 'types'])
      if (typeof manifest[key] === 'string') manifest[key] = (manifest[key] as string).replace(/\.ts$/, '.js');
    fs.writeFileSync(path.join(DIST, pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  for (const pkg of RUNTIME_PACKAGES) linkDependencies(pkg);
  // The gateway serves the portal from packages/portal/dist, found from its own directory.
  const portal = path.join(DIST, 'packages', 'portal', 'dist');
  await buildPortal(portal);
  return { files, ms: Math.round(performance.now() - started) };
}

if (require.main === module) {
  build().then(
    ({ files, ms }) =>
      process.stdout.write(`built ${files} files into ${path.relative(process.cwd(), DIST) || 'dist'} in ${ms} ms\n`),
    (err: unknown) => {
      process.stderr.write(`build: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
