import fs from 'node:fs';
import path from 'node:path';
import { Kind, type FieldDefinitionNode } from 'graphql';
import { parseServiceSchema } from '@anju/kit';
import { REPO_ROOT, SUBGRAPHS } from '../src/subgraphs';

/**
 * Every write is audited (issue 14): each subgraph checks, after every mutation it answers, that
 * the request wrote an audit row, and fails it otherwise outside production (`AUDIT_MISSING`, kit
 * `auditGuardPlugin`, its contract in packages/kit/src/audit.spec.ts). That check runs in every test
 * that sends a mutation; this file makes sure every mutation is among them. The list comes from
 * the subgraphs' schemas, not from a hand-kept list: a new mutation that no test sends fails here,
 * and a test that sends it without an audit row fails there.
 */
describe('audit coverage', () => {
  const mutations = SUBGRAPHS.flatMap((g) => {
    const doc = parseServiceSchema(path.join(REPO_ROOT, g.schemaDir));
    return doc.definitions.flatMap((d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) && d.name.value === 'Mutation'
        ? (d.fields ?? []).map((f: FieldDefinitionNode) => ({ subgraph: g.name, name: f.name.value }))
        : [],
    );
  });

  /** Test sources: specs and helpers under tests/, services/<name>/test/, gateway/test/, and the shared fixtures. */
  const sources = (): string[] => {
    const dirs = ['tests', 'gateway/test', ...SUBGRAPHS.map((g) => path.join(path.dirname(g.schemaDir), 'test'))];
    const files = dirs.flatMap((d) => {
      const dir = path.join(REPO_ROOT, d);
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(dir, f));
    });
    files.push(path.join(REPO_ROOT, 'packages/testing/src/fixtures.ts'));
    return files.filter((f) => path.basename(f) !== path.basename(__filename)).map((f) => fs.readFileSync(f, 'utf8'));
  };

  it('reads the mutations of every subgraph from its schema', () => {
    for (const g of SUBGRAPHS) expect(mutations.filter((m) => m.subgraph === g.name).length).toBeGreaterThan(0);
    // Names are unique across the federation (a mutation belongs to one subgraph).
    expect(new Set(mutations.map((m) => m.name)).size).toBe(mutations.length);
  });

  it('every mutation of every subgraph is sent by a test (where the subgraph checks its audit row)', () => {
    const texts = sources();
    // Sent in an operation: `name(` with arguments or `name {` without, inside a text that holds a mutation.
    const sent = (name: string) =>
      texts.some((t) => t.includes('mutation') && new RegExp(`\\b${name}\\s*[({]`).test(t));
    expect(mutations.filter((m) => !sent(m.name))).toEqual([]);
  });
});
