import { mergeResolverMaps } from '@anju/kit';
import { demandResolvers } from './demand/demand.resolvers';
import { matchResolvers } from './match/match.resolvers';
import { unitResolvers } from './unit/unit.resolvers';
import { volunteerResolvers } from './volunteer/volunteer.resolvers';

/** Every feature's resolvers, merged type by type. */
export const resolvers = mergeResolverMaps(demandResolvers, unitResolvers, volunteerResolvers, matchResolvers);
