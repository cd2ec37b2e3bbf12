import type { SocialOrgsContext } from '../context';
import type { AidPaymentRow } from './aid-fund.service';

type Ctx = SocialOrgsContext;
type Svc = Ctx['aidFunds'];

export const aidFundResolvers = {
  Query: {
    aidFund: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.aidFund.load(a.id),
    aidFunds: (_: unknown, a: Parameters<Svc['listFunds']>[0], ctx: Ctx) => ctx.aidFunds.listFunds(a),
    aidPayments: (_: unknown, a: Parameters<Svc['listPayments']>[0], ctx: Ctx) => ctx.aidFunds.listPayments(a),
    aidFundBalances: (_: unknown, a: { regionCode: string }, ctx: Ctx) => ctx.aidFunds.balances(a.regionCode),
  },
  Mutation: {
    receiveAidFund: (_: unknown, a: { input: Parameters<Svc['receive']>[0] }, ctx: Ctx) =>
      ctx.aidFunds.receive(a.input),
    grantDirectAid: (_: unknown, a: { input: Parameters<Svc['grantDirect']>[0] }, ctx: Ctx) =>
      ctx.aidFunds.grantDirect(a.input),
  },
  AidFund: {
    payments: (f: { id: string }, _: unknown, ctx: Ctx) => ctx.loaders.aidPaymentsByFund.load(f.id),
  },
  AidPayment: {
    fund: (p: AidPaymentRow, _: unknown, ctx: Ctx) => ctx.loaders.aidFund.load(p.fundId),
    organization: (p: AidPaymentRow, _: unknown, ctx: Ctx) => ctx.loaders.organization.load(p.organizationId),
  },
};
