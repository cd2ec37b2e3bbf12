import { asc, cursor, desc, keysetPage, keysetSql, seqKeysetPage } from './pagination';
import type { SqlRunner } from './database';

const ID = (n: number) => `5e7b3d10-0000-4000-8000-00000000000${n}`;

/** A database that answers the count, then the page, and keeps what it was asked. */
function fakeDb(count: number, rows: unknown[]) {
  const calls: { sql: string; params: unknown[] }[] = [];
  const db: SqlRunner = {
    query: async (sql, params = []) => {
      calls.push({ sql: sql.replace(/\s+/g, ' '), params });
      return sql.startsWith('SELECT count(*)') ? [{ count }] : rows;
    },
  };
  return { db, calls };
}

type Row = { id: string; raisedAt: Date };
const list = {
  columns: 'p.id, p.raised_at AS "raisedAt"',
  from: 'proposal p',
  where: '($1::text IS NULL OR p.status = $1) AND p.region_code LIKE $2',
  params: ['open', '53%'],
};
const newestFirst = desc<Row>(['p.raised_at', 'timestamp', 'raisedAt'], ['p.id', 'uuid', 'id']);

describe('keysetSql', () => {
  it('compares the row of key columns with the cursor, numbered after the list parameters', () => {
    expect(keysetSql(newestFirst, 2)).toEqual({
      after: '($3::timestamptz IS NULL OR (p.raised_at, p.id) < ($3::timestamptz, $4::uuid))',
      orderBy: 'p.raised_at DESC, p.id DESC',
      limit: '$5',
    });
  });

  it('compares a single column without a row, ascending, ordering by what it is told', () => {
    expect(keysetSql(asc<{ hid: string }>(['s.household_id', 'uuid', 'hid', 's.hid']), 0)).toEqual({
      after: '($1::uuid IS NULL OR s.household_id > $1::uuid)',
      orderBy: 's.hid',
      limit: '$2',
    });
  });
});

describe('keysetPage', () => {
  const rows = [1, 2, 3].map((n) => ({ id: ID(n), raisedAt: new Date(Date.UTC(2026, 0, 10 - n)) }));

  it('counts, asks one more row than the page, and ends on the cursor of the last node', async () => {
    const { db, calls } = fakeDb(7, rows);
    const page = await keysetPage(db, list, { first: 2, after: null }, newestFirst);
    expect(calls).toEqual([
      { sql: `SELECT count(*)::int AS count FROM proposal p WHERE ${list.where}`, params: ['open', '53%'] },
      {
        sql:
          `SELECT p.id, p.raised_at AS "raisedAt" FROM proposal p WHERE ${list.where}` +
          ' AND ($3::timestamptz IS NULL OR (p.raised_at, p.id) < ($3::timestamptz, $4::uuid))' +
          ' ORDER BY p.raised_at DESC, p.id DESC LIMIT $5',
        params: ['open', '53%', null, null, 3],
      },
    ]);
    expect(page.nodes).toEqual(rows.slice(0, 2));
    expect(page.totalCount).toBe(7);
    // The format the hand-written lists gave out: their cursors stay valid.
    expect(page.endCursor).toBe(cursor.encode([rows[1].raisedAt.toISOString(), ID(2)]));
  });

  it('passes the cursor key on, and has no end cursor on the last page', async () => {
    const { db, calls } = fakeDb(3, rows.slice(2));
    const after = cursor.encode(['2026-01-08T00:00:00.000Z', ID(2)]);
    const page = await keysetPage(db, list, { first: 2, after }, newestFirst);
    expect(calls[1].params).toEqual(['open', '53%', '2026-01-08T00:00:00.000Z', ID(2), 3]);
    expect(page).toEqual({ nodes: rows.slice(2), totalCount: 3, endCursor: null });
  });

  it('uses the count it is given, and a smaller FROM for its own count', async () => {
    const given = fakeDb(0, []);
    await keysetPage(given.db, { ...list, totalCount: async () => 4 }, {}, newestFirst);
    expect(given.calls).toHaveLength(1);
    const joined = fakeDb(0, []);
    await keysetPage(
      joined.db,
      { ...list, from: 'proposal p JOIN x ON true', countFrom: 'proposal p' },
      {},
      newestFirst,
    );
    expect(joined.calls[0].sql).toContain('FROM proposal p WHERE');
    expect(joined.calls[1].sql).toContain('FROM proposal p JOIN x ON true WHERE');
  });

  it('refuses a cursor of another shape before it queries', async () => {
    const { db, calls } = fakeDb(0, []);
    await expect(keysetPage(db, list, { after: cursor.encode(['李', ID(1)]) }, newestFirst)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    expect(calls).toHaveLength(0);
  });
});

describe('seqKeysetPage', () => {
  it('pages by seq after 0, its cursor the last seq', async () => {
    const { db, calls } = fakeDb(5, [{ seq: '4' }, { seq: '9' }, { seq: '12' }]);
    const activities = { columns: 'a.seq', from: 'activity a', where: 'a.site_id = $1', params: ['s'] };
    const page = await seqKeysetPage(db, activities, { first: 2 }, 'a.seq');
    expect(calls[1]).toEqual({
      sql: 'SELECT a.seq FROM activity a WHERE a.site_id = $1 AND a.seq > $2::bigint ORDER BY a.seq LIMIT $3',
      params: ['s', '0', 3],
    });
    expect(page).toEqual({ nodes: [{ seq: '4' }, { seq: '9' }], totalCount: 5, endCursor: '9' });
  });
});
