import { GraphQLError } from 'graphql';
import { maskError } from './graphql-errors';
import { isDatabaseUnavailable } from './database';

const formatted = { message: 'boom', path: ['site'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
const wrapped = (original: Error) => new GraphQLError('boom', { originalError: original, path: ['site'] });
const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('an outage is a typed, retryable error, not an internal one', () => {
  it('tells PostgreSQL unavailable from a failing statement', () => {
    for (const e of [
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
      withCode('connection failure', '08006'),
      // pg-pool's own words when no connection came within connectionTimeoutMillis.
      new Error('timeout exceeded when trying to connect'),
      { message: 'x', driverError: withCode('gone', '57P01') },
      // Node's fetch when the peer closed the socket before answering (a subgraph stopping mid-request).
      Object.assign(new TypeError('fetch failed'), { cause: withCode('other side closed', 'UND_ERR_SOCKET') }),
    ]) {
      expect(isDatabaseUnavailable(e)).toBe(true);
    }
    for (const e of [
      withCode('relation "x" does not exist', '42P01'),
      withCode('duplicate key', '23505'),
      new Error('boom'),
      null,
      'text',
    ]) {
      expect(isDatabaseUnavailable(e)).toBe(false);
    }
  });

  it('masks an outage as SERVICE_UNAVAILABLE (retryable), a bug INTERNAL_SERVER_ERROR, a cancel QUERY_TIMEOUT', () => {
    expect(
      maskError(formatted, wrapped(withCode('the database system is shutting down', '57P03')), false).extensions,
    ).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    // A subgraph the gateway cannot reach: the refusal is the cause of what the fetch threw.
    const fetchFailed = Object.assign(new TypeError('fetch failed'), {
      cause: withCode('connect ECONNREFUSED 127.0.0.1:4004', 'ECONNREFUSED'),
    });
    expect(maskError(formatted, wrapped(fetchFailed), false).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(maskError(formatted, wrapped(new Error('undefined is not a function')), false).extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(
      maskError(formatted, wrapped(withCode('canceling statement due to statement timeout', '57014')), false)
        .extensions,
    ).toMatchObject({ code: 'QUERY_TIMEOUT' });
  });
});
