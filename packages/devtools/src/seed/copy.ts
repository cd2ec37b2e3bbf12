import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Bulk writes into one service's schema: `COPY … FROM STDIN` (text format) on a connection whose
 * search_path is that schema, so a module can only name its own service's tables.
 */
export type Cell = string | number | boolean | null | Buffer | readonly string[];

function escapeText(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((x) => `"${x.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(',')}}`;
}

export function encodeCell(v: Cell): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  if (Array.isArray(v)) return escapeText(arrayLiteral(v));
  return escapeText(v as string);
}

export class SchemaWriter {
  constructor(
    readonly databaseUrl: string,
    readonly schema: string,
  ) {}

  async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.databaseUrl,
      options: `-c search_path=${this.schema},public`,
      application_name: `seed-${this.schema}`,
    });
    await client.connect();
    return client;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = await this.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The columns of a table of this schema, or null when the table does not exist (yet). */
  async columns(table: string): Promise<Set<string> | null> {
    const rows = await this.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      [this.schema, table],
    );
    return rows.length ? new Set(rows.map((r) => r.column_name)) : null;
  }

  /**
   * Streams rows into a table with COPY on a connection of its own, honouring backpressure.
   * Returns the number of rows written.
   */
  async copy(table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<number> {
    const client = await this.connect();
    try {
      // One transaction: into an empty table, the secondary indexes (not constraints) are dropped
      // and built again after the rows, from their own definitions (a sort instead of a million
      // random inserts); if anything fails, all of it rolls back, indexes included.
      await client.query('BEGIN');
      const {
        rows: [{ empty }],
      } = await client.query(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`);
      const indexes: { name: string; def: string }[] = empty
        ? (
            await client.query(
              `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
              WHERE i.schemaname = $1 AND i.tablename = $2
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' ||
                  quote_ident(i.indexname))::regclass)`,
              [this.schema, table],
            )
          ).rows
        : [];
      for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);
      const count = await this.stream(client, table, columns, rows);
      for (const ix of indexes) await client.query(ix.def);
      await client.query('COMMIT');
      return count;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end();
    }
  }

  private async stream(
    client: Client,
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly Cell[]>,
  ): Promise<number> {
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    let count = 0;
    let chunk = '';
    for (const row of rows) {
      if (row.length !== columns.length)
        throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
      chunk += `${row.map(encodeCell).join('\t')}\n`;
      count++;
      if (chunk.length > 256 * 1024) {
        const ok = stream.write(chunk);
        chunk = '';
        if (!ok) await once(stream, 'drain');
      }
    }
    stream.end(chunk);
    await finished(stream);
    return count;
  }
}
