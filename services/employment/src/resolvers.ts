import { labourProfileResolvers } from './labour-profile/labour-profile.resolvers';

export const resolvers = labourProfileResolvers;
