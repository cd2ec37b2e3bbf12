import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLCompositeType,
  isCompositeType,
  isAbstractType,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ConfigOf, limitSettings } from './config';
import { pageSize } from './pagination';

/**
 * Query limits, one implementation for the gateway and every subgraph (partners call social-orgs
 * directly, so the gateway is not the only door): depth, aliases, cost, `_entities` batch size
 * and response size. Checked once the operation is resolved, with the request's variables, so a
 * `first` given as a variable or left to its schema default costs what it will fetch.
 */
export type LimitsConfig = ConfigOf<typeof limitSettings>;

export type LimitName = 'depth' | 'aliases' | 'cost' | 'entities' | 'response';

/** The typed error of a broken limit: HTTP 400, `code`, which `limit`, its `max` and what was asked. */
export class QueryLimitError extends GraphQLError {
  constructor(limit: LimitName, max: number, actual: number, message: string) {
    super(message, {
      extensions: {
        code: limit === 'response' ? 'RESPONSE_TOO_LARGE' : 'GRAPHQL_VALIDATION_FAILED',
        limit,
        max,
        actual,
        http: { status: 400 },
      },
    });
  }
}

export interface QueryMeasure {
  depth: number;
  aliases: number;
  cost: number;
  /** The largest `_entities` batch in the operation (0 without one). */
  entities: number;
  /** A variable decided a multiplier (a `first`, the representations): the measure holds for these variables only. */
  byVariables?: boolean;
}

type Variables = Record<string, unknown> | undefined;

/**
 * Measures an operation against the schema: the deepest field path, the aliases, the `_entities`
 * batch, and the cost: every field 1, a field with `first` times that many rows (the literal,
 * the variable or the schema default, clamped as the resolvers clamp it), a list without paging
 * times `maxListItems` unless it is the page of a paged parent (`nodes` of a connection).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
  maxListItems: number,
): QueryMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const m: QueryMeasure = { depth: 0, aliases: 0, cost: 0, entities: 0 };
  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  if (!root) return m;

  const argValue = (field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown => {
    const def = field.args.find((a) => a.name === name);
    if (!def) return undefined;
    const given = node.arguments?.find((a) => a.name.value === name);
    if (!given) return def.defaultValue;
    // lists and objects may hold variables
    if (given.value.kind !== Kind.INT && given.value.kind !== Kind.NULL) m.byVariables = true;
    return valueFromAST(given.value, def.type, variables as Record<string, unknown> | undefined);
  };

  // Returns the cost of a selection set; counts depth and aliases on the way (fragments inlined).
  const walk = (
    set: SelectionSetNode,
    type: GraphQLCompositeType,
    depth: number,
    pagedParent: boolean,
    seen: Set<string>,
  ): number => {
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        const on = schema.getType(frag.typeCondition.name.value);
        if (on && isCompositeType(on))
          cost += walk(frag.selectionSet, on, depth, pagedParent, new Set(seen).add(frag.name.value));
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const on = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : type;
        if (on && isCompositeType(on)) cost += walk(sel.selectionSet, on, depth, pagedParent, seen);
        continue;
      }
      if (sel.alias) m.aliases++;
      const name = sel.name.value;
      if (name.startsWith('__')) continue; // __typename, and introspection (development only)
      const field = isAbstractType(type)
        ? undefined
        : (type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
      if (!field) continue;
      m.depth = Math.max(m.depth, depth);
      let multiplier = 1;
      let paged = false;
      if (name === '_entities') {
        const reps = argValue(field, sel, 'representations');
        multiplier = Array.isArray(reps) ? reps.length : 1;
        m.entities = Math.max(m.entities, multiplier);
      } else if (field.args.some((a) => a.name === 'first')) {
        multiplier = pageSize(argValue(field, sel, 'first') as number | null | undefined);
        paged = true;
      } else if (isListType(getNullableType(field.type)) && !pagedParent) {
        multiplier = maxListItems;
      }
      const named = getNamedType(field.type);
      const below =
        sel.selectionSet && isCompositeType(named) ? walk(sel.selectionSet, named, depth + 1, paged, seen) : 0;
      cost += 1 + multiplier * below;
    }
    return cost;
  };
  m.cost = walk(operation.selectionSet, root, 1, false, new Set());
  return m;
}

/** Throws the typed error of the first limit the measure breaks. */
export function assertWithinLimits(m: QueryMeasure, limits: LimitsConfig): void {
  if (m.depth > limits.QUERY_MAX_DEPTH)
    throw new QueryLimitError(
      'depth',
      limits.QUERY_MAX_DEPTH,
      m.depth,
      `The query is ${m.depth} levels deep; the maximum depth is ${limits.QUERY_MAX_DEPTH}.`,
    );
  if (m.aliases > limits.QUERY_MAX_ALIASES)
    throw new QueryLimitError(
      'aliases',
      limits.QUERY_MAX_ALIASES,
      m.aliases,
      `The query uses ${m.aliases} aliases; at most ${limits.QUERY_MAX_ALIASES} are allowed.`,
    );
  if (m.entities > limits.QUERY_MAX_ENTITIES)
    throw new QueryLimitError(
      'entities',
      limits.QUERY_MAX_ENTITIES,
      m.entities,
      `The _entities batch has ${m.entities} representations; at most ${limits.QUERY_MAX_ENTITIES} are allowed.`,
    );
  if (m.cost > limits.QUERY_MAX_COST)
    throw new QueryLimitError(
      'cost',
      limits.QUERY_MAX_COST,
      m.cost,
      `The query's cost is ${m.cost}; the maximum cost ` +
        `is ${limits.QUERY_MAX_COST}. Ask for fewer rows (first) or fewer nested lists.`,
    );
}

/**
 * The Apollo plugin of the limits, for the gateway and for every subgraph: the operation is
 * measured with its variables before anything runs, and a response larger than the cap is
 * replaced by a typed error (nothing partial leaves).
 */
export function queryLimitsPlugin(limits: LimitsConfig): ApolloServerPlugin {
  // Apollo Server keeps one parsed document per query text, so a measure no variable decided holds
  // for every later request of that text (per schema: a gateway may load a new supergraph).
  const measures = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, QueryMeasure>>();
  const measure = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Variables,
  ) => {
    let bySchema = measures.get(schema);
    if (!bySchema) measures.set(schema, (bySchema = new WeakMap()));
    const known = bySchema.get(operation);
    if (known) return known;
    const m = measureOperation(schema, document, operation, variables, limits.QUERY_MAX_LIST_ITEMS);
    if (!m.byVariables) bySchema.set(operation, m);
    return m;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (operation) assertWithinLimits(measure(schema, document, operation, request.variables), limits);
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          // The text Apollo sends, made once here: `stringifyResult` hands it over instead of serializing again.
          const size = Buffer.byteLength(serializedResult(response.body.singleResult)) - 1;
          if (size <= limits.QUERY_MAX_RESPONSE_BYTES) return;
          const err = new QueryLimitError(
            'response',
            limits.QUERY_MAX_RESPONSE_BYTES,
            size,
            `The response would be ${size} bytes; the maximum ` +
              `is ${limits.QUERY_MAX_RESPONSE_BYTES}. Ask for fewer rows or fields.`,
          );
          const { http: _http, ...extensions } = err.extensions as Record<string, unknown>;
          response.body.singleResult = { errors: [{ message: err.message, extensions }] };
          response.http.status = 400;
        },
      };
    },
  };
}

type Result = { data?: unknown; errors?: unknown; extensions?: unknown };
/** Texts made for results about to be sent, by their `data` (or `errors`) object; each leaves with its result. */
const serialized = new WeakMap<object, { data: unknown; errors: unknown; extensions: unknown; text: string }>();
const keyOf = (r: Result) =>
  typeof r.data === 'object' && r.data !== null
    ? r.data
    : typeof r.errors === 'object' && r.errors !== null
      ? r.errors
      : undefined;

/**
 * The exact text Apollo Server sends for a result (its field order — errors, data, extensions —
 * and its newline), made once per result: the response limit and the gateway's response cache read
 * it, and `stringifyResult` sends it without serializing the answer again.
 */
export function serializedResult(r: Result): string {
  const key = keyOf(r);
  const known = key && serialized.get(key);
  if (known && known.data === r.data && known.errors === r.errors && known.extensions === r.extensions)
    return known.text;
  const text = `${JSON.stringify({ errors: r.errors, data: r.data, extensions: r.extensions })}\n`;
  if (key) serialized.set(key, { data: r.data, errors: r.errors, extensions: r.extensions, text });
  return text;
}

/**
 * Caps every list field of a subgraph's schema that has no paging at `max` items, so what the
 * cost assumes is what a resolver can return (e.g. an activity's registrations, a grid's
 * buildings): nested lists through cycles stay bounded. `_entities` is bounded by its own limit.
 */
export function capUnpagedLists(schema: GraphQLSchema, max: number): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (
        field.name === '_entities' ||
        field.args.some((a) => a.name === 'first') ||
        !isListType(getNullableType(field.type))
      )
        continue;
      // A page's nodes are bounded by the `first` of the field that returned the page.
      if (field.name === 'nodes' && type.name.endsWith('Page')) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx, info) => {
        const out = resolve(source, args, ctx, info);
        const cap = (v: unknown) => (Array.isArray(v) && v.length > max ? v.slice(0, max) : v);
        return out instanceof Promise ? out.then(cap) : cap(out);
      };
    }
  }
  return schema;
}

/**
 * What the gateway and every subgraph hand Apollo Server: the limits plugin, plus armor's checks
 * that need no schema knowledge (tokens, directives, no field suggestions outside development)
 * and batched HTTP requests refused.
 */
export function queryLimits(limits: LimitsConfig, development: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { enabled: false },
    costLimit: { enabled: false },
    maxAliases: { enabled: false },
    blockFieldSuggestion: { enabled: !development },
  }).protect();
  return {
    allowBatchedHttpRequests: armor.allowBatchedHttpRequests,
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, queryLimitsPlugin(limits)],
    /** Apollo Server's `stringifyResult`: the text the limits plugin already made for the response size. */
    stringifyResult: serializedResult,
  };
}
