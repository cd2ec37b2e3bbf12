import { loadConfig, platformSettings, setting, type ConfigOf } from '@anju/kit';
import { SUBGRAPHS } from './subgraphs';
import { portalSettings } from './portal';

/** One URL setting per subgraph of the catalog (GOVERNANCE_URL…). */
const subgraphUrlSettings: Record<string, ReturnType<typeof setting.url>> = Object.fromEntries(
  SUBGRAPHS.map((s) => [s.urlSetting, setting.url(s.defaultUrl, `GraphQL endpoint of the ${s.name} subgraph`)]),
);

export const gatewaySettings = {
  ...platformSettings,
  GATEWAY_PORT: setting.port(4000, 'HTTP port of the gateway, the one GraphQL endpoint of the portals'),
  GATEWAY_METRICS_PORT: setting.port(
    4100,
    "port of the gateway's /metrics (and /health): never published, unlike GATEWAY_PORT",
  ),
  ...subgraphUrlSettings,
  GATEWAY_CORS_ORIGINS: setting.list(
    [],
    'browser origins allowed to call the gateway (comma-separated, exact match); empty allows none',
  ),
  GATEWAY_MAX_BODY_BYTES: setting.int(1_048_576, 'largest request body accepted, in bytes', 1_024, 64 * 1_048_576),
  // The gateway meets each portal request once (a subgraph may see several per operation): a lower default.
  RATE_LIMIT_PER_MINUTE: setting.int(1_200, 'operations per minute per token at the gateway, per process; 0 = off', 0),
  RATE_LIMIT_BURST: setting.int(300, 'operations a token may send at once before the per-minute rate applies', 1),
  GATEWAY_RESPONSE_CACHE: setting.bool(
    true,
    "keep answers of read operations per caller scope, as long as the subgraphs' cache hints allow",
  ),
  GATEWAY_CACHE_MAX_AGE_S: setting.int(
    30,
    'no cached answer lives longer than this, whatever a hint says (seconds)',
    1,
    300,
  ),
  GATEWAY_CACHE_MAX_MIB: setting.int(
    64,
    'the cached answers of one gateway process hold at most this much (MiB)',
    1,
    1024,
  ),
  GATEWAY_SUBGRAPH_TIMEOUT_MS: setting.int(30_000, 'a subgraph request still unanswered after this long fails', 100),
  ...portalSettings,
};
export type GatewayConfig = ConfigOf<typeof gatewaySettings>;
export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig(gatewaySettings, env);
