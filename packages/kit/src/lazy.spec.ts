import { lazyObject } from './lazy';

/** What Apollo Server does to a context before each operation (ApolloServer.js `cloneObject`). */
const copyLikeApollo = <T extends object>(o: T): T =>
  Object.assign(Object.create(Object.getPrototypeOf(o) as object) as T, o);

describe('lazyObject', () => {
  const make = () => {
    const built: string[] = [];
    const obj = lazyObject<{ a: number; b: number; c: { n: number } }, { base: number }>(
      {
        a: (self) => (built.push('a'), (self as unknown as { base: number }).base + 1),
        b: (self) => (built.push('b'), self.a * 10),
        c: () => (built.push('c'), { n: 1 }),
      },
      { base: 1 },
    );
    return { obj, built };
  };

  it('builds a property on first read, once, and reaches its siblings', () => {
    const { obj, built } = make();
    expect(built).toEqual([]);
    expect(obj.b).toBe(20);
    expect(obj.b).toBe(20);
    expect(obj.c).toBe(obj.c);
    expect(built).toEqual(['b', 'a', 'c']);
    expect(obj.base).toBe(1);
  });

  it('builds nothing when Apollo copies the context, and the copy still builds on first read', () => {
    const { obj, built } = make();
    const copy = copyLikeApollo(obj);
    expect(built).toEqual([]);
    expect(copy.base).toBe(1);
    expect(copy.a).toBe(2);
    expect(copy.c).toBe(copy.c);
    expect(built).toEqual(['a', 'c']);
  });
});
