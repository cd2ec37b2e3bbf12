import type { GraphQLFormattedError } from 'graphql';
import { maskError } from '@anju/kit';

const CONTEXT_PREFIX = /^Context creation failed: /;

/**
 * The gateway's formatError. A subgraph's client-facing error (BAD_USER_INPUT with its field,
 * FORBIDDEN, NOT_FOUND, CONFLICT, UNAUTHENTICATED) reaches the caller with its code and field;
 * the names and URLs of subgraphs do not (outside development), and internal errors are masked
 * by the kit's `maskError` like everywhere else.
 */
export function formatGatewayError(
  formatted: GraphQLFormattedError,
  error: unknown,
  development: boolean,
): GraphQLFormattedError {
  let out = formatted;
  if (!development && out.extensions) {
    const { serviceName: _service, response: _response, ...extensions } = out.extensions;
    out = { ...out, extensions };
  }
  // Our token check runs while Apollo builds the context; the caller needs the reason, not the phase.
  if (out.extensions?.code === 'UNAUTHENTICATED') out = { ...out, message: out.message.replace(CONTEXT_PREFIX, '') };
  return maskError(out, error, development);
}
