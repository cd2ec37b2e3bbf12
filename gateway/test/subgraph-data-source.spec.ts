import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import { Headers } from 'node-fetch';
import type { Principal } from '@anju/kit';
import {
  SubgraphDataSource,
  cacheHintOf,
  errorFromSubgraphBody,
  forwardHeaders,
  keepAliveFetcher,
  type GatewayContext,
} from '../src/subgraph-data-source';

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
    source.willSendRequest({
      kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
      request,
      context,
      incomingRequestContext: {} as never,
    });
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
    const body = {
      errors: [
        {
          message: 'Context creation failed: Authentication failed: the token has expired.',
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 }, stacktrace: ['at x'] },
        },
      ],
    };
    const err = errorFromSubgraphBody(401, body);
    expect(err.message).toBe('Authentication failed: the token has expired.');
    expect(err.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  it('keeps a field and a reason', () => {
    const err = errorFromSubgraphBody(400, {
      errors: [{ message: 'Bad.', extensions: { code: 'BAD_USER_INPUT', field: 'input.x', reason: 'FORMAT' } }],
    });
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

describe('keepAliveFetcher', () => {
  let server: http.Server;
  let url: string;
  const sockets = new Set<unknown>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/slow') return; // never answers
        const status = req.url === '/refused' ? 401 : 200;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'max-age=30, public',
        });
        res.end(
          JSON.stringify({
            data: { echo: JSON.parse(body || '{}'), auth: req.headers.authorization ?? null, name: '李四' },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (fetcher: ReturnType<typeof keepAliveFetcher>, path: string, body: unknown) =>
    fetcher(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify(body),
    });

  it('sends body and headers, reads status, headers and a UTF-8 JSON answer; calls share one connection', async () => {
    const fetcher = keepAliveFetcher(5_000);
    sockets.clear();
    const first = await post(fetcher, '/graphql', { query: '{ a }' });
    const second = await post(fetcher, '/graphql', { query: '{ b }' });
    expect([first.ok, first.status, first.headers.get('Cache-Control'), first.headers.get('x-missing')]).toEqual([
      true,
      200,
      'max-age=30, public',
      null,
    ]);
    expect(await first.json()).toEqual({ data: { echo: { query: '{ a }' }, auth: 'Bearer t', name: '李四' } });
    expect(JSON.parse(await second.text()).data.echo).toEqual({ query: '{ b }' });
    expect(sockets.size).toBe(1);
  });

  it('hands a refusal over as it came (the data source turns it into the subgraph’s error)', async () => {
    const res = await post(keepAliveFetcher(5_000), '/refused', {});
    expect([res.ok, res.status]).toEqual([false, 401]);
    expect((await res.json()).data.auth).toBe('Bearer t');
  });

  it('process sends the caller’s headers, narrows the cache policy by the answer’s hint, types a refusal', async () => {
    const restricted: unknown[] = [];
    const incoming = { overallCachePolicy: { restrict: (hint: unknown) => restricted.push(hint) } };
    const call = (path: string) =>
      new SubgraphDataSource({ name: 'social-orgs', url: `${url}${path}`, timeoutMs: 5_000 }).process({
        kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
        request: { query: '{ organizations { totalCount } }', variables: { first: 1 }, operationName: 'Orgs' },
        incomingRequestContext: incoming,
        context: { ...context, cache: { subgraphs: new Set<string>() } },
      } as unknown as Parameters<SubgraphDataSource['process']>[0]);
    const answer = await call('/graphql');
    expect(answer.data).toEqual({
      echo: { query: '{ organizations { totalCount } }', variables: { first: 1 }, operationName: 'Orgs' },
      auth: 'Bearer abc.def.ghi',
      name: '李四',
    });
    expect(restricted).toEqual([{ maxAge: 30, scope: 'PUBLIC' }]);
    await expect(call('/refused')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('fails a call the subgraph does not answer in time, and one it cannot reach', async () => {
    await expect(post(keepAliveFetcher(200), '/slow', {})).rejects.toThrow(/did not answer within 200 ms/);
    await expect(keepAliveFetcher(1_000)('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});

describe('cacheHintOf', () => {
  it('reads max-age and the scope as Apollo’s data source does, and no header as no caching', () => {
    expect(cacheHintOf('max-age=30, public')).toEqual({ maxAge: 30, scope: 'PUBLIC' });
    expect(cacheHintOf('private, max-age="5"')).toEqual({ maxAge: 5, scope: 'PRIVATE' });
    expect(cacheHintOf('no-store')).toEqual({ maxAge: 0 });
    expect(cacheHintOf('max-age=-1')).toEqual({ maxAge: 0 });
    expect(cacheHintOf(null)).toEqual({ maxAge: 0 });
  });
});
