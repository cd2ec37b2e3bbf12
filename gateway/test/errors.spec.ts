import { INTERNAL_MESSAGE, runWithRequestId } from '@anju/kit';
import { formatGatewayError } from '../src/errors';

describe('formatGatewayError', () => {
  it('lets a subgraph’s client error through with code and field, without the subgraph’s name', () => {
    const formatted = {
      message: 'Wrong check digit.',
      path: ['registerResident'],
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'input.nationalId',
        reason: 'CHECK_DIGIT',
        serviceName: 'governance',
      },
    };
    expect(formatGatewayError(formatted, null, false)).toEqual({
      message: 'Wrong check digit.',
      path: ['registerResident'],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.nationalId', reason: 'CHECK_DIGIT' },
    });
  });

  it('masks an internal error and quotes the request id', () => {
    const formatted = {
      message: 'request to http://10.0.0.7:4001/graphql failed, reason: connect ECONNREFUSED',
      path: ['regions'],
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'governance', stacktrace: ['at x'] },
    };
    const out = runWithRequestId('req-9', () => formatGatewayError(formatted, new Error('x'), false));
    expect(out).toEqual({
      message: INTERNAL_MESSAGE,
      path: ['regions'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-9' },
    });
  });

  it('drops the data source’s raw response (URL and body) from an error', () => {
    const formatted = {
      message: 'Forbidden.',
      extensions: { code: 'FORBIDDEN', response: { url: 'http://10.0.0.7:4001/graphql', status: 403, body: '…' } },
    };
    expect(formatGatewayError(formatted, null, false).extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('tells an unauthenticated caller why, not in which phase', () => {
    const formatted = {
      message: 'Context creation failed: A bearer token is required (Authorization: Bearer <token>).',
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    };
    expect(formatGatewayError(formatted, null, false).message).toBe(
      'A bearer token is required (Authorization: Bearer <token>).',
    );
  });

  it('shows everything in development', () => {
    const formatted = {
      message: 'boom',
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'governance', stacktrace: ['at x'] },
    };
    expect(formatGatewayError(formatted, new Error('boom'), true)).toEqual(formatted);
  });
});
