import { bodyErrorResponse, corsHeaders } from '../src/http';
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
    expect(bodyErrorResponse({ status: 413, type: 'entity.too.large' }, 1024)).toEqual({ status: 413, code: 'BAD_REQUEST', message: 'The request body is larger than the 1024 bytes accepted.' });
    expect(bodyErrorResponse({ status: 400, type: 'entity.parse.failed' }, 1024)).toEqual({ status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' });
    expect(bodyErrorResponse({ status: 415, type: 'encoding.unsupported' }, 1024).status).toBe(415);
    expect(bodyErrorResponse({}, 1024)).toEqual(expect.objectContaining({ status: 500, code: 'INTERNAL_SERVER_ERROR' }));
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
