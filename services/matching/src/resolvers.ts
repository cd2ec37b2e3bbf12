import { demandResolvers } from './demand/demand.resolvers';
import { matchResolvers } from './match/match.resolvers';
import { unitResolvers } from './unit/unit.resolvers';
import { volunteerResolvers } from './volunteer/volunteer.resolvers';

const parts = [demandResolvers, unitResolvers, volunteerResolvers, matchResolvers] as Record<
  string,
  Record<string, unknown>
>[];

/** Every feature's resolvers, merged type by type. */
export const resolvers = parts.reduce<Record<string, Record<string, unknown>>>((all, part) => {
  for (const [type, fields] of Object.entries(part)) all[type] = { ...all[type], ...fields };
  return all;
}, {});
