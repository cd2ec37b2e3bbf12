import { createHash } from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import * as documents from '../app/operations';

/** One operation of the portal, as the safelist knows it. */
export interface PortalOperation {
  /** The constant's name in app/operations.ts. */
  constant: string;
  /** The operation's own name (unique). */
  name: string;
  /** sha256 of the text, hex: the persisted-query id the portal sends. */
  hash: string;
  text: string;
}

export const operationHash = (text: string) => createHash('sha256').update(text).digest('hex');

/** Every operation of app/operations.ts; throws when one is anonymous, not single, or named twice. */
export function portalOperations(): PortalOperation[] {
  const seen = new Set<string>();
  return Object.entries(documents).map(([constant, text]) => {
    const defs = parse(text).definitions;
    const op = defs[0] as OperationDefinitionNode;
    if (defs.length !== 1 || op.kind !== 'OperationDefinition' || !op.name) {
      throw new Error(`app/operations.ts ${constant}: one named operation per constant`);
    }
    if (seen.has(op.name.value))
      throw new Error(`app/operations.ts: the operation name ${op.name.value} is used twice`);
    seen.add(op.name.value);
    return { constant, name: op.name.value, hash: operationHash(text), text };
  });
}
