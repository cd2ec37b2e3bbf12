/** GraphQL enum values (UPPER_CASE) → the lower-case values stored. */
export const lowerEnum = (...values: string[]) => Object.fromEntries(values.map((v) => [v, v.toLowerCase()]));
