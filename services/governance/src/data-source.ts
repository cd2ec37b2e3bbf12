import { migrations } from './migrations';

/** Governance's tables live in the `governance` schema. */
export const governanceData = {
  schema: 'governance',
  migrations,
  /** Created by the audit-log migration: no UPDATE/DELETE/TRUNCATE on audit_log or the points ledger. */
  runtimeRole: 'governance_app',
};
