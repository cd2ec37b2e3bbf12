import { GraphQLError } from 'graphql';

/**
 * Typed errors a client can act on: every one carries `extensions.code` and, where one input is
 * at fault, `extensions.field` (a path such as `input.nationalId`). Anything else that escapes a
 * resolver is an internal error and is masked (see `maskError`).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'QUERY_TIMEOUT'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends GraphQLError {
  constructor(
    code: ErrorCode,
    message: string,
    field?: string,
    extra: Record<string, unknown> = {},
    httpStatus?: number,
  ) {
    super(message, {
      extensions: {
        code,
        ...(field ? { field } : {}),
        ...extra,
        ...(httpStatus ? { http: { status: httpStatus } } : {}),
      },
    });
  }
}

/** Input that breaks a rule: a wrong check digit, a date in the past, a bad transition. */
export class InputError extends AppError {
  constructor(field: string, message: string, reason?: string) {
    super('BAD_USER_INPUT', message, field, reason ? { reason } : {});
  }
}
export class NotFoundError extends AppError {
  constructor(field: string, message: string) {
    super('NOT_FOUND', message, field);
  }
}
/** The input is well-formed but clashes with what exists (a duplicate ID number, a full post). */
export class ConflictError extends AppError {
  constructor(field: string, message: string, reason?: string) {
    super('CONFLICT', message, field, reason ? { reason } : {});
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}
export class UnauthenticatedError extends AppError {
  /** `field` names the token claim at fault (`token.sites[0]`) when one is. */
  constructor(message = 'A valid bearer token is required.', field?: string) {
    super('UNAUTHENTICATED', message, field, {}, 401);
  }
}

/** Codes whose message is written for the client and may be shown as is. */
const CLIENT_CODES = new Set<string>([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'QUERY_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'RESPONSE_TOO_LARGE',
]);

export function isClientError(code: unknown): boolean {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

export const INTERNAL_MESSAGE = 'Internal server error. Quote the request id when you report it.';
/** What a client is told when PostgreSQL (or, at the gateway, a subgraph) cannot serve it now: retryable. */
export const UNAVAILABLE_MESSAGE = 'A service this needs is briefly unavailable: retry in a few seconds.';
/** The seconds a 503 answer asks the client to wait (`Retry-After`). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
