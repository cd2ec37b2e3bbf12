import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger, jsonBody, parseStrictJson } from '@anju/kit';
import { bodyErrorHandler, bodyErrorResponse, corsHeaders } from '../src/http';
import { subgraphUrl } from '../src/server';
import { loadGatewayConfig } from '../src/config';

describe('corsHeaders', () => {
  const allowed = ['https://portal.example.gov.cn'];

  it('allows a configured origin, exposing the request id', () => {
    expect(corsHeaders('https://portal.example.gov.cn', false, allowed)).toEqual({
      'access-control-allow-origin': 'https://portal.example.gov.cn',
      'access-control-expose-headers': 'x-request-id',
    });
  });

  it('answers a preflight with the methods and headers a portal sends', () => {
    const h = corsHeaders('https://portal.example.gov.cn', true, allowed);
    expect(h['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(h['access-control-allow-headers']).toContain('authorization');
    expect(h['access-control-allow-headers']).toContain('x-request-id');
  });

  it('says nothing to any other origin, or when no origin is configured', () => {
    expect(corsHeaders('https://evil.example.com', true, allowed)).toEqual({});
    expect(corsHeaders('https://portal.example.gov.cn', false, [])).toEqual({});
    expect(corsHeaders(undefined, false, allowed)).toEqual({});
  });
});

describe('bodyErrorResponse', () => {
  it('turns the JSON parser’s refusals into typed errors', () => {
    expect(bodyErrorResponse({ status: 413, type: 'entity.too.large' }, 1024)).toEqual({
      status: 413,
      code: 'BAD_REQUEST',
      message: 'The request body is larger than the 1024 bytes accepted.',
    });
    expect(bodyErrorResponse({ status: 400, type: 'entity.parse.failed' }, 1024)).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      message: 'The request body is not valid JSON.',
    });
    expect(bodyErrorResponse({ status: 415, type: 'encoding.unsupported' }, 1024).status).toBe(415);
    expect(bodyErrorResponse({}, 1024)).toEqual(
      expect.objectContaining({ status: 500, code: 'INTERNAL_SERVER_ERROR' }),
    );
  });
});

describe('subgraphUrl', () => {
  it('takes each subgraph’s URL from its setting', () => {
    const config = loadGatewayConfig({ GOVERNANCE_URL: 'http://gov:8080/graphql' });
    expect(subgraphUrl(config, 'governance')).toBe('http://gov:8080/graphql');
    expect(subgraphUrl(config, 'social-orgs')).toBe('http://localhost:4003/graphql');
    expect(() => subgraphUrl(config, 'payroll')).toThrow(/no URL setting/);
  });
});

describe('jsonBody', () => {
  // The fast path and express.json side by side: every request must get the same answer from both.
  const LIMIT = 64;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    const echo: express.RequestHandler = (req, res) => {
      res.json({ body: req.body ?? null });
    };
    app.post(
      '/fast',
      jsonBody(LIMIT),
      echo,
      bodyErrorHandler(LIMIT, createLogger({ service: 'test', level: 'silent' })),
    );
    app.post(
      '/general',
      express.json({ limit: LIMIT }),
      echo,
      bodyErrorHandler(LIMIT, createLogger({ service: 'test', level: 'silent' })),
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const answer = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body });
    const json = (await res.json()) as { body?: unknown; errors?: { message: string; extensions: { code: string } }[] };
    return {
      status: res.status,
      body: json.body,
      code: json.errors?.[0]?.extensions.code,
      message: json.errors?.[0]?.message,
    };
  };

  const JSON_TYPE = { 'content-type': 'application/json' };
  const cases: [string, string, Record<string, string>][] = [
    ['an operation', '{"query":"{ sites { id } }","variables":{"n":"居民"}}', JSON_TYPE],
    ['the charset said', '{"query":"{ a }"}', { 'content-type': 'application/json; charset=utf-8' }],
    ['the charset in capitals and quotes', '{"a":1}', { 'content-type': 'Application/JSON; charset="UTF-8"' }],
    ['a batch (an array)', '[{"query":"{ a }"}]', JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
    ['whitespace before the object', ' \n {"a":1}', JSON_TYPE],
    ['a byte-order mark', '\ufeff{"a":1}', JSON_TYPE], // fetch sends it as UTF-8's three bytes
    ['a number', '42', JSON_TYPE],
    ['a string', '"query"', JSON_TYPE],
    ['broken JSON', '{"query":', JSON_TYPE],
    ['only whitespace', '   ', JSON_TYPE],
    ['a body over the limit', `{"query":"${'x'.repeat(LIMIT)}"}`, JSON_TYPE],
    ['another charset', '{"a":1}', { 'content-type': 'application/json; charset=latin1' }],
    ['another type', 'query { a }', { 'content-type': 'application/graphql' }],
    ['no type', '{"a":1}', {}],
  ];
  it.each(cases)('answers %s as express.json does', async (_what, body, headers) => {
    const [fast, general] = await Promise.all([answer('/fast', body, headers), answer('/general', body, headers)]);
    expect(fast).toEqual(general);
  });

  it('refuses a scalar with the typed error, not a parse', async () => {
    expect(await answer('/fast', '42', JSON_TYPE)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(parseStrictJson('')).toEqual({});
  });
});
