import type { Resolvers } from '../generated/graphql';

export const aidFundResolvers: Resolvers = {
  Query: {
    aidFund: (_, a, ctx) => ctx.loaders.aidFund.load(a.id),
    aidFunds: (_, a, ctx) => ctx.aidFunds.listFunds(a),
    aidPayments: (_, a, ctx) => ctx.aidFunds.listPayments(a),
    aidFundBalances: (_, a, ctx) => ctx.aidFunds.balances(a.regionCode),
  },
  Mutation: {
    receiveAidFund: (_, a, ctx) => ctx.aidFunds.receive(a.input),
    grantDirectAid: (_, a, ctx) => ctx.aidFunds.grantDirect(a.input),
  },
  AidFund: {
    payments: (f, _, ctx) => ctx.loaders.aidPaymentsByFund.load(f.id),
  },
  AidPayment: {
    fund: (p, _, ctx) => ctx.loaders.aidFund.load(p.fundId),
    organization: (p, _, ctx) => ctx.loaders.organization.load(p.organizationId),
  },
};
