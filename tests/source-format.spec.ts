import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const MAX = 120;

/**
 * Files whose lines may be longer, and why:
 * - generated files (services' src/generated/, the composed supergraph): their generators write them;
 * - Markdown: prose, one paragraph a line where an editor wraps it;
 * - patches/: written by `pnpm patch`, they carry the patched package's own lines;
 * - pnpm-lock.yaml: written by pnpm;
 * - the Grafana dashboard: JSON, whose strings (each panel's PromQL) cannot be continued on a second line;
 * - binary files (images, fonts).
 */
const EXEMPT: RegExp[] = [
  /(^|\/)generated\//,
  /^gateway\/supergraph\.graphql$/,
  /\.md$/,
  /^patches\//,
  /^pnpm-lock\.yaml$/,
  /^infra\/grafana\/.*\.json$/,
  /\.(png|jpe?g|gif|ico|webp|woff2?|ttf|otf|pdf|zip|gz|xlsx)$/,
];

const tracked = () =>
  execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);

/** `file:line (length)` for every line of `text` longer than MAX characters (code points, not bytes). */
function longLines(file: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ n: i + 1, length: [...line.replace(/\r$/, '')].length }))
    .filter((l) => l.length > MAX)
    .map((l) => `${file}:${l.n} (${l.length})`);
}

/**
 * The source is kept to lines of at most 120 characters (Prettier's printWidth here): code, SQL and GraphQL in
 * templates, comments, test names, YAML, JSON and CSS alike. And Prettier has nothing to change in any TypeScript
 * file, so formatting drift fails here rather than in the next person's diff.
 */
describe('source format', () => {
  it(`has no line over ${MAX} characters outside generated files, Markdown, patches and the lockfile`, () => {
    const found: string[] = [];
    for (const file of tracked()) {
      if (EXEMPT.some((re) => re.test(file))) continue;
      const full = path.join(ROOT, file);
      if (!fs.existsSync(full) || !fs.statSync(full).isFile()) continue;
      const bytes = fs.readFileSync(full);
      if (bytes.subarray(0, 8000).includes(0)) continue; // binary
      found.push(...longLines(file, bytes.toString('utf8')));
    }
    expect(found).toEqual([]);
  });

  it('has every TypeScript file formatted by Prettier (pnpm format)', () => {
    const files = tracked().filter((f) => /\.tsx?$/.test(f));
    const prettier = path.join(path.dirname(require.resolve('prettier/package.json', { paths: [ROOT] })), 'bin');
    // --cache (content-keyed, in node_modules/.cache) re-checks only the files changed since the last run.
    const res = spawnSync(
      process.execPath,
      [
        path.join(prettier, 'prettier.cjs'),
        '--check',
        '--cache',
        '--cache-strategy',
        'content',
        '--log-level',
        'warn',
        ...files,
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    const unformatted = `${res.stdout}${res.stderr}`
      .split('\n')
      .filter((l) => l.startsWith('[warn] ') && !l.includes('Code style issues'))
      .map((l) => l.slice('[warn] '.length));
    expect({ status: res.status, unformatted }).toEqual({ status: 0, unformatted: [] });
  });
});
