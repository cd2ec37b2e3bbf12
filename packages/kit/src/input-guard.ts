import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { InputError } from './errors';

/**
 * Input that PostgreSQL would refuse with an internal error is refused before any resolver runs,
 * once for every field of a subgraph (entity representations included), with a typed error that
 * names the argument:
 * - a NUL character in any string (text columns cannot hold it);
 * - a page size `first` below 1 (above the largest page it is clamped, as documented).
 * Cursors (`after`) are checked where they are decoded (`cursor.decode`), which knows their shape.
 */
export function guardArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: Record<string, unknown>, context, info) => {
        checkArguments(args);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}

/** Throws the first problem found in a field's arguments (exported for unit tests). */
export function checkArguments(args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    const nul = findNul(value, name);
    if (nul) throw new InputError(nul, 'Text may not contain the NUL character (\\u0000).', 'NUL_CHARACTER');
  }
  const first = args.first;
  if (typeof first === 'number' && first < 1) {
    throw new InputError('first', 'first must be at least 1.', 'PAGE_SIZE');
  }
}

/** The path (`input.members[2].name`) of the first string holding a NUL, if any. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return `${path}.${k.replace(/\u0000/g, '\\u0000')}`;
      const hit = findNul(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}
