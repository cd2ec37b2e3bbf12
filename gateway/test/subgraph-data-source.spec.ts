import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { Headers } from 'node-fetch';
import type { Principal } from '@anju/kit';
import { SubgraphDataSource, errorFromSubgraphBody, forwardHeaders, type GatewayContext } from '../src/subgraph-data-source';

const principal: Principal = { subject: 'p', role: 'province', regions: ['53'], sites: [], grids: [] };
const context: GatewayContext = { authorization: 'Bearer abc.def.ghi', requestId: 'req-1', principal };

class HeaderBag {
  readonly values = new Map<string, string>();
  set(name: string, value: string) {
    this.values.set(name, value);
  }
}

describe('forwardHeaders', () => {
  it('passes on the caller’s token and the request id, and nothing else', () => {
    const bag = new HeaderBag();
    forwardHeaders(context, bag);
    expect(Object.fromEntries(bag.values)).toEqual({ authorization: 'Bearer abc.def.ghi', 'x-request-id': 'req-1' });
  });

  it('passes nothing when there is no caller (health checks, schema loads)', () => {
    const bag = new HeaderBag();
    forwardHeaders(undefined, bag);
    forwardHeaders({}, bag);
    expect(bag.values.size).toBe(0);
  });
});

describe('SubgraphDataSource.willSendRequest', () => {
  const source = new SubgraphDataSource({ url: 'http://127.0.0.1:1/graphql', timeoutMs: 1_000 });

  it('sets the headers of an operation of a caller', () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    const request = { query: '{ a }', http: { method: 'POST', url: source.url, headers } };
    source.willSendRequest({ kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION, request, context, incomingRequestContext: {} as never });
    expect(headers.get('authorization')).toBe('Bearer abc.def.ghi');
    expect(headers.get('x-request-id')).toBe('req-1');
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('leaves a health check alone', () => {
    const headers = new Headers();
    const request = { query: '{ __typename }', http: { method: 'POST', url: source.url, headers } };
    source.willSendRequest({ kind: GraphQLDataSourceRequestKind.HEALTH_CHECK, request, context: {} });
    expect([...headers.keys()]).toEqual([]);
  });
});

describe('errorFromSubgraphBody', () => {
  it('surfaces the subgraph’s own 401 error, without its phase prefix or HTTP detail', () => {
    const body = { errors: [{ message: 'Context creation failed: Authentication failed: the token has expired.', extensions: { code: 'UNAUTHENTICATED', http: { status: 401 }, stacktrace: ['at x'] } }] };
    const err = errorFromSubgraphBody(401, body);
    expect(err.message).toBe('Authentication failed: the token has expired.');
    expect(err.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('keeps a field and a reason', () => {
    const err = errorFromSubgraphBody(400, { errors: [{ message: 'Bad.', extensions: { code: 'BAD_USER_INPUT', field: 'input.x', reason: 'FORMAT' } }] });
    expect(err.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.x', reason: 'FORMAT' });
  });

  it('falls back to a code from the status when the body is not GraphQL', () => {
    expect(errorFromSubgraphBody(403, '<html>Forbidden</html>').extensions).toEqual({ code: 'FORBIDDEN' });
    expect(errorFromSubgraphBody(401, { errors: [{ message: 'no' }] }).extensions).toEqual({ code: 'UNAUTHENTICATED' });
    const internal = errorFromSubgraphBody(502, 'Bad gateway');
    expect(internal.extensions).toEqual({});
    expect(internal.message).toBe('The subgraph answered HTTP 502.');
  });
});
