/**
 * Rows of a large list page by page (keyset paging: each page starts after the last row of the
 * one before), so an export holds one page in memory, never the list.
 */
export async function* keysetRows<T>(page: (after: T | null) => Promise<T[]>): AsyncGenerator<T> {
  let after: T | null = null;
  for (;;) {
    const rows = await page(after);
    for (const row of rows) yield row;
    if (!rows.length) return;
    after = rows[rows.length - 1];
  }
}
