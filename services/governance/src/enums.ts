import type { Resolvers } from './generated/graphql';
/** GraphQL enum values ↔ stored values (the database keeps lower-case words). */
export const enumResolvers: Resolvers = {
  RegionLevel: { PROVINCE: 'province', PREFECTURE: 'prefecture', COUNTY: 'county' },
  LabourCapacity: { FULL: 'full', WEAK: 'weak', NONE: 'none' },
  Gender: { MALE: 'male', FEMALE: 'female' },
  RelationToHead: {
    HEAD: 'head',
    SPOUSE: 'spouse',
    CHILD: 'child',
    PARENT: 'parent',
    GRANDCHILD: 'grandchild',
    SIBLING: 'sibling',
    OTHER: 'other',
  },
};
