import type { GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { INTERNAL_MESSAGE, UNAVAILABLE_MESSAGE, isClientError } from './errors';
import { isDatabaseUnavailable } from './database';
import { currentRequestId, currentSqlStatements } from './request-context';
import { scrub, type Logger } from './logger';

/** PostgreSQL's query_canceled: statement_timeout (the only cancel the services issue) stopped it. */
const PG_QUERY_CANCELED = '57014';

/**
 * Outside development a client sees its own mistakes in full and ours as one generic line with
 * the request id: no stack, no SQL, no table names, no personal data. The log keeps the detail.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  showDetail: boolean,
): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isClientError(code)) {
    const { stacktrace: _s, ...extensions } = formatted.extensions ?? {};
    // Our token and rate checks run while Apollo builds the context: the caller needs the reason, not the phase.
    return { ...formatted, message: formatted.message.replace(/^Context creation failed: /, ''), extensions };
  }
  if ((unwrapResolverError(error) as { code?: unknown } | undefined)?.code === PG_QUERY_CANCELED) {
    return {
      message: 'The query ran longer than this service allows and was stopped: narrow it, or retry later.',
      path: formatted.path,
      extensions: { code: 'QUERY_TIMEOUT', requestId: currentRequestId() },
    };
  }
  // PostgreSQL restarting or no pooled connection free in time, or (at the gateway) a subgraph not answering:
  // not a bug, and over soon.
  if (isDatabaseUnavailable(unwrapResolverError(error)) || isDatabaseUnavailable(error)) {
    return {
      message: UNAVAILABLE_MESSAGE,
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true, requestId: currentRequestId() },
    };
  }
  if (showDetail) return formatted;
  return {
    message: INTERNAL_MESSAGE,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: currentRequestId() },
  };
}

/** Logs each operation's outcome; internal errors with their detail, scrubbed of personal data. */
export function operationLogPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, operationName }) {
          for (const e of errors) {
            if (isClientError(e.extensions?.code)) continue;
            logger.error(
              { err: unwrapResolverError(e), path: e.path, operationName, variables: scrub(request.variables) },
              'operation failed with an internal error',
            );
          }
        },
        async willSendResponse({ operationName, errors }) {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          logger.debug(
            {
              operationName,
              ms: Math.round(ms * 10) / 10,
              errors: errors?.length ?? 0,
              sqlStatements: currentSqlStatements(),
            },
            'operation',
          );
        },
      };
    },
  };
}
