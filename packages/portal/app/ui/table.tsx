import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Empty, ErrorBox } from './states';
import { ApiError, downloadExport } from '../api';

export interface Column<T> {
  label: string;
  /** The cell's plain value: shown, exported, and kept in data-value for checks. */
  value: (row: T) => string | number | null | undefined;
  /** A richer cell (a link); the plain value is still what is exported. */
  render?: (row: T) => ComponentChildren;
  numeric?: boolean;
}

const csvCell = (v: unknown) => {
  let s = v == null ? '' : String(v);
  // A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at its start) is kept as text.
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Downloads rows as CSV (UTF-8 with BOM, so that spreadsheet programs read the Chinese). */
export function exportCsv<T>(name: string, columns: Column<T>[], rows: T[]) {
  const lines = [
    columns.map((c) => csvCell(c.label)).join(','),
    ...rows.map((r) => columns.map((c) => csvCell(c.value(r))).join(',')),
  ];
  const blob = new Blob(['\ufeff' + lines.join('\r\n')], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
}

/** The whole list behind a paged table, as the service exports it (.xlsx, in the caller's scope, audited). */
export interface WholeListExport {
  path: string;
  params: Record<string, string | undefined>;
}

/** 导出全部: downloads the whole list (every page), not only the rows on screen. */
export function ExportWhole({ what, name }: { what: WholeListExport; name: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    downloadExport(what.path, what.params, name)
      .catch((e: unknown) => setError(e instanceof ApiError ? e : new ApiError(String(e))))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <button type="button" class="link" data-export-whole={what.path} disabled={busy} onClick={run}>
        {busy ? '正在导出…' : '导出全部（Excel）'}
      </button>
      {error && <ErrorBox error={error} />}
    </>
  );
}

export function DataTable<T>(props: {
  name: string;
  columns: Column<T>[];
  rows: T[];
  empty?: string;
  exportName?: string;
  whole?: WholeListExport;
}) {
  const { columns, rows } = props;
  if (!rows.length) return <Empty>{props.empty ?? '暂无数据。'}</Empty>;
  return (
    <div class="table" data-table={props.name}>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th class={c.numeric ? 'num' : undefined}>{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                {columns.map((c) => {
                  const v = c.value(r);
                  return (
                    <td class={c.numeric ? 'num' : undefined} data-value={v ?? ''}>
                      {c.render ? c.render(r) : (v ?? '—')}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" class="link" onClick={() => exportCsv(props.exportName ?? props.name, columns, rows)}>
        导出本页（CSV）
      </button>
      {props.whole && <ExportWhole what={props.whole} name={props.exportName ?? props.name} />}
    </div>
  );
}

/** "Next page" over a keyset-paged list (the API gives an end cursor, not page numbers). */
function Pager(props: {
  shown: number;
  total: number;
  page: number;
  hasNext: boolean;
  onNext: () => void;
  onFirst: () => void;
}) {
  return (
    <div class="pager">
      <span>
        共 {props.total} 条，第 {props.page} 页（本页 {props.shown} 条）
      </span>
      {props.page > 1 && (
        <button type="button" onClick={props.onFirst}>
          回到第一页
        </button>
      )}
      {props.hasNext && (
        <button type="button" onClick={props.onNext}>
          下一页
        </button>
      )}
    </div>
  );
}

/** The cursor of the page shown (`after`), `reset` to the first page, and the pager of a loaded page. */
export function useCursor(pageSize: number) {
  const [stack, setStack] = useState<string[]>([]);
  return {
    after: stack[stack.length - 1] as string | undefined,
    reset: () => setStack([]),
    pager: (p: { nodes: unknown[]; totalCount: number; endCursor: string | null }) => (
      <Pager
        shown={p.nodes.length}
        total={p.totalCount}
        page={stack.length + 1}
        hasNext={Boolean(p.endCursor) && stack.length * pageSize + p.nodes.length < p.totalCount}
        onNext={() => setStack([...stack, p.endCursor!])}
        onFirst={() => setStack([])}
      />
    ),
  };
}
