import type { Principal } from '@anju/kit';
import { ResponseCache, cacheKey, scopeKey } from '../src/response-cache';

const county = (regions: string[], subject = 'o'): Principal => ({
  subject,
  role: 'county',
  regions,
  sites: [],
  grids: [],
});

describe('response cache keys', () => {
  it('differ by scope and role, not by who the officer is', () => {
    const body = { query: '{ sites { totalCount } }', variables: {} };
    expect(cacheKey(county(['530102'], 'a'), body)).toBe(cacheKey(county(['530102'], 'b'), body));
    expect(cacheKey(county(['530102']), body)).not.toBe(cacheKey(county(['530103']), body));
    expect(cacheKey({ ...county(['530102']), role: 'province' }, body)).not.toBe(cacheKey(county(['530102']), body));
    expect(scopeKey(county(['530103', '530102']))).toBe(scopeKey(county(['530102', '530103'])));
  });

  it('differ by variables and operation name; a body without query text has none', () => {
    const p = county(['530102']);
    expect(cacheKey(p, { query: 'q', variables: { id: '1' } })).not.toBe(
      cacheKey(p, { query: 'q', variables: { id: '2' } }),
    );
    expect(cacheKey(p, { query: 'q', operationName: 'A' })).not.toBe(cacheKey(p, { query: 'q', operationName: 'B' }));
    expect(cacheKey(p, { extensions: { persistedQuery: {} } } as never)).toBeNull();
  });
});

describe('ResponseCache', () => {
  let now = 0;
  const make = (maxBytes = 1_000) => new ResponseCache({ maxAgeSeconds: 30, maxBytes, now: () => now });
  const text = (cache: ResponseCache, key: string) => cache.get(key)?.toString('utf8');
  beforeEach(() => {
    now = 1_000_000;
  });

  it('keeps an answer for the shorter of its hint and the cap', () => {
    const cache = make();
    cache.set('k', 'answer', 60, ['governance'], cache.epochSnapshot());
    now += 29_000;
    expect(text(cache, 'k')).toBe('answer');
    now += 2_000;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.set('z', 'answer', 0, ['governance'], cache.epochSnapshot())).toBe(false);
  });

  it('drops answers of a subgraph that changed, and refuses one computed while it changed', () => {
    const cache = make();
    cache.set('gov', 'a', 30, ['governance'], cache.epochSnapshot());
    cache.set('both', 'b', 30, ['governance', 'matching'], cache.epochSnapshot());
    cache.set('emp', 'c', 30, ['employment'], cache.epochSnapshot());
    const before = cache.epochSnapshot();
    cache.invalidate('governance');
    expect([text(cache, 'gov'), text(cache, 'both'), text(cache, 'emp')]).toEqual([undefined, undefined, 'c']);
    expect(cache.set('gov', 'stale', 30, ['governance'], before)).toBe(false);
    expect(cache.set('emp2', 'fine', 30, ['employment'], before)).toBe(true);
  });

  it('holds at most maxBytes, the oldest leaving first', () => {
    const cache = make(10);
    cache.set('a', '12345', 30, ['g'], cache.epochSnapshot());
    cache.set('b', '12345', 30, ['g'], cache.epochSnapshot());
    cache.set('c', '12345', 30, ['g'], cache.epochSnapshot());
    expect([text(cache, 'a'), text(cache, 'b'), text(cache, 'c')]).toEqual([undefined, '12345', '12345']);
  });

  it('counts what it holds in UTF-8 bytes: an answer of Chinese names costs three bytes a character', () => {
    const cache = make(20);
    const name = '{"name":"李"}'; // 14 bytes in UTF-8, 12 characters
    expect(cache.set('a', name, 30, ['g'], cache.epochSnapshot())).toBe(true);
    expect(cache.heldBytes).toBe(14);
    expect(cache.set('b', name, 30, ['g'], cache.epochSnapshot())).toBe(true);
    expect([text(cache, 'a'), text(cache, 'b'), cache.heldBytes]).toEqual([undefined, name, 14]);
    expect(cache.set('c', '李'.repeat(7), 30, ['g'], cache.epochSnapshot())).toBe(false); // 21 bytes in 7 characters
  });

  it('while suspended answers nothing and keeps nothing, and forgets what it held', () => {
    const cache = make();
    cache.set('a', 'x', 30, ['g'], cache.epochSnapshot());
    const before = cache.epochSnapshot();
    cache.suspend();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.set('b', 'y', 30, ['g'], cache.epochSnapshot())).toBe(false);
    cache.resume();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.set('c', 'z', 30, ['g'], before)).toBe(false);
    expect(cache.set('c', 'z', 30, ['g'], cache.epochSnapshot())).toBe(true);
  });
});
