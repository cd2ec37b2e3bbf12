/**
 * `pnpm --filter @anju/portal build`: bundles the portal (app/) with esbuild into dist/ — index.html,
 * app.js, app.css — and writes dist/operations.json, the persisted-query safelist the gateway
 * serves and enforces: { "<sha256>": "<operation text>" } for every operation of app/operations.ts.
 * One esbuild call, about a second; no network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { portalOperations } from './operations';

export const PORTAL_ROOT = path.resolve(__dirname, '..');
export const PORTAL_DIST = path.join(PORTAL_ROOT, 'dist');
export const MANIFEST_FILE = 'operations.json';

export interface BuildResult {
  dir: string;
  operations: number;
  bytes: number;
}

export async function buildPortal(outDir = PORTAL_DIST): Promise<BuildResult> {
  const ops = portalOperations();
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: path.join(PORTAL_ROOT, 'app', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // The client sends each operation's id; the ids come from the same texts the gateway lists.
    define: { __OPERATION_IDS__: JSON.stringify(Object.fromEntries(ops.map((o) => [o.name, o.hash]))) },
    legalComments: 'none',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(PORTAL_ROOT, 'app', 'index.html'), path.join(outDir, 'index.html'));
  fs.writeFileSync(
    path.join(outDir, MANIFEST_FILE),
    JSON.stringify(Object.fromEntries(ops.map((o) => [o.hash, o.text])), null, 1),
  );
  const bytes = fs.readdirSync(outDir).reduce((n, f) => n + fs.statSync(path.join(outDir, f)).size, 0);
  return { dir: outDir, operations: ops.length, bytes };
}

if (require.main === module) {
  const started = Date.now();
  buildPortal().then(
    (r) =>
      console.log(
        `portal built in ${Date.now() - started} ms: ${path.relative(process.cwd(), r.dir) || '.'} ` +
          `(${Math.round(r.bytes / 1024)} KiB, ${r.operations} operations in the safelist)`,
      ),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
