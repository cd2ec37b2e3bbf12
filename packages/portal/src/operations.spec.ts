import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { assertWithinLimits, limitSettings, loadConfig, measureOperation } from '@anju/kit';
import { buildPortal } from './build';
import { operationHash, portalOperations } from './operations';

const SUPERGRAPH = path.resolve(__dirname, '..', '..', '..', 'gateway', 'supergraph.graphql');

describe("the portal's operations", () => {
  it('each validates against the checked-in supergraph', () => {
    const schema = buildSchema(fs.readFileSync(SUPERGRAPH, 'utf8'));
    for (const op of portalOperations()) {
      const errors = validate(schema, parse(op.text)).map((e) => e.message);
      expect({ op: op.name, errors }).toEqual({ op: op.name, errors: [] });
    }
  });

  it("each stays within the gateway's default query limits (depth, aliases, cost)", () => {
    const schema = buildSchema(fs.readFileSync(SUPERGRAPH, 'utf8'));
    const limits = loadConfig(limitSettings, {});
    for (const op of portalOperations()) {
      const doc = parse(op.text);
      const measure = measureOperation(
        schema,
        doc,
        doc.definitions[0] as OperationDefinitionNode,
        {},
        limits.QUERY_MAX_LIST_ITEMS,
      );
      expect(() => assertWithinLimits(measure, limits)).not.toThrow();
    }
  });

  it('builds into index.html, app.js, app.css and a safelist of every operation by its sha256', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-portal-'));
    try {
      const result = await buildPortal(dir);
      expect(fs.readdirSync(dir).sort()).toEqual(['app.css', 'app.js', 'index.html', 'operations.json']);
      const safelist = JSON.parse(fs.readFileSync(path.join(dir, 'operations.json'), 'utf8')) as Record<string, string>;
      const ops = portalOperations();
      expect(result.operations).toBe(ops.length);
      expect(Object.keys(safelist).sort()).toEqual(ops.map((o) => o.hash).sort());
      for (const [hash, text] of Object.entries(safelist)) expect(operationHash(text)).toBe(hash);
      // The bundle carries the ids it sends.
      expect(fs.readFileSync(path.join(dir, 'app.js'), 'utf8')).toContain(ops[0].hash);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
