import { enumResolvers } from './enums';
import { regionResolvers } from './region/region.resolvers';
import { siteResolvers } from './site/site.resolvers';
import { householdResolvers } from './household/household.resolvers';
import { residentResolvers } from './resident/resident.resolvers';

const features = [regionResolvers, siteResolvers, householdResolvers, residentResolvers];

export const resolvers = {
  ...enumResolvers,
  Query: Object.assign({}, ...features.map((f) => f.Query)),
  Mutation: Object.assign({}, ...features.map((f) => f.Mutation)),
  Region: regionResolvers.Region,
  Site: siteResolvers.Site,
  Household: householdResolvers.Household,
  Resident: residentResolvers.Resident,
};
