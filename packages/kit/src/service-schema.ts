import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Kind, Source, parse, type DocumentNode } from 'graphql';

/**
 * A subgraph's schema lives beside its code: each feature folder holds its part (`<feature>/<feature>.graphql`,
 * its root fields as `extend type Query` / `extend type Mutation`), and one service-level file, `schema.graphql`
 * in the same `src` folder, holds what belongs to no feature: the federation `@link`, directives, the root
 * types' descriptions and types several features share. This is the one way to read it: the api, `pnpm compose`,
 * the test harness and the tests that read schemas all come here.
 */
export const SCHEMA_HEADER = 'schema.graphql';

/**
 * The schema files under `srcDir`: the header first, then every other `*.graphql` by path (a fixed order, so
 * the composed supergraph does not depend on the file system's).
 */
export function schemaFilesOf(srcDir: string): string[] {
  const features = readdirSync(srcDir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.graphql') && f !== SCHEMA_HEADER && !f.split('/').includes('node_modules'))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [SCHEMA_HEADER, ...features].map((f) => path.join(srcDir, f));
}

/** The schema's text: its files joined, in `schemaFilesOf`'s order. */
export function readServiceSchema(srcDir: string): string {
  return schemaFilesOf(srcDir)
    .map((f) => readFileSync(f, 'utf8').trimEnd())
    .join('\n\n')
    .concat('\n');
}

/** The schema as one document; each file is parsed under its own name, so a syntax error names its file. */
export function parseServiceSchema(srcDir: string): DocumentNode {
  const definitions = schemaFilesOf(srcDir).flatMap(
    (f) => parse(new Source(readFileSync(f, 'utf8'), path.relative(process.cwd(), f))).definitions,
  );
  return { kind: Kind.DOCUMENT, definitions };
}
