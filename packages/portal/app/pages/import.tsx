import { useEffect, useState } from 'preact/hooks';
import { ApiError, session } from '../api';
import { ErrorBox } from '../ui/states';

/** What a county can import, and the service that keeps it (the gateway forwards /files/<service>/…). */
const KINDS = [
  { kind: 'households', service: 'governance', label: '户籍花名册（户及家庭成员）' },
  { kind: 'employment', service: 'employment', label: '就业信息' },
  { kind: 'land', service: 'employment', label: '三块地' },
  { kind: 'trainings', service: 'employment', label: '培训信息' },
  { kind: 'volunteers', service: 'matching', label: '志愿者' },
] as const;
type Kind = (typeof KINDS)[number];

interface RowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}
interface Job {
  id: string;
  mode: string;
  status: string;
  total: number | null;
  rowsChecked: number;
  rowsWritten: number;
  created: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: RowError[];
  failure: { code: string; message: string; cell?: string; columns?: string[] } | null;
  reportPath: string | null;
}

/** Why a file is refused whole, in a clerk's words (the service's `reason`). */
const FILE_WORDS: Record<string, string> = {
  FILE_TOO_LARGE: '文件太大，请分成几个文件导入。',
  EMPTY_FILE: '文件是空的。',
  UNKNOWN_FORMAT: '只能导入 .xlsx 或 .csv 文件。',
  NOT_XLSX: '这不是有效的 .xlsx 文件（旧版 .xls 或加密的文件请在 Excel/WPS 中另存为 .xlsx）。',
  ZIP_BOMB: '文件解压后过大，不能导入。',
  HIDDEN_SHEET: '工作簿中有隐藏的工作表，请取消隐藏或删除后再导入。',
  MERGED_CELLS: '表格中有合并的单元格，请取消合并后再导入。',
  FORMULA: '表格中有公式，请复制后“选择性粘贴为数值”再导入。',
  UNEXPECTED_ENCODING: 'CSV 文件的编码无法识别，请另存为“CSV UTF-8”或 GBK 编码的 CSV。',
  MISSING_COLUMNS: '缺少必填的列：',
  UNKNOWN_COLUMNS: '有模板中没有的列：',
  DUPLICATE_COLUMNS: '有重复的列：',
  TOO_MANY_ROWS: '行数超过上限，请分成几个文件导入。',
  DAILY_QUOTA: '文件中已在其他户登记的身份证号太多，超过了您今天的查询次数。',
  CONFLICT: '导入期间数据有变动，未写入任何内容，请重新导入。',
  RATE_LIMITED: '操作太频繁，请稍后再试。',
};

const auth = (): Record<string, string> => {
  const s = session.get();
  return s ? { authorization: `Bearer ${s.token}` } : {};
};

function refusal(reason: string | undefined, columns: string[] | undefined, fallback: string): ApiError {
  const words = reason && FILE_WORDS[reason];
  return new ApiError(
    words ? `${words}${columns?.length ? columns.join('、') : ''}` : fallback,
    reason ? [{ code: reason, message: fallback }] : [],
  );
}

async function upload(k: Kind, file: File, mode: string): Promise<string> {
  const res = await fetch(
    `/files/${k.service}/imports/${k.kind}?mode=${mode}&fileName=${encodeURIComponent(file.name)}`,
    {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: file,
    },
  ).catch(() => {
    throw new ApiError('无法连接服务器，请检查网络后重试。');
  });
  const body = (await res.json().catch(() => ({}))) as {
    id?: string;
    errors?: { message: string; extensions?: { reason?: string; code?: string; columns?: string[] } }[];
  };
  if (!res.ok || !body.id) {
    const e = body.errors?.[0]?.extensions;
    throw refusal(
      e?.reason ?? (res.status === 429 ? 'RATE_LIMITED' : undefined),
      e?.columns,
      `上传失败（${res.status}）：${body.errors?.[0]?.message ?? ''}`,
    );
  }
  return body.id;
}

async function jobOf(k: Kind, id: string): Promise<Job> {
  const res = await fetch(`/files/${k.service}/imports/${id}`, { headers: auth() });
  if (!res.ok) throw new ApiError(`读取导入进度失败（${res.status}），请刷新后重试。`);
  return res.json() as Promise<Job>;
}

async function download(path: string, name: string): Promise<void> {
  const res = await fetch(path, { headers: auth() });
  if (!res.ok) throw new ApiError(`下载失败（${res.status}），请稍后再试。`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
}

/** 已检查 / 已写入 of the total: checking is the first half of the bar, writing the second (a check only checks). */
function Progress({ job }: { job: Job }) {
  const total = job.total ?? 0;
  const writes = job.mode !== 'DRY_RUN';
  // A finished job is a full bar: with valid rows only, fewer rows are written than checked.
  const done =
    job.status === 'DONE'
      ? 1
      : total
        ? writes
          ? (job.rowsChecked + job.rowsWritten) / (2 * total)
          : job.rowsChecked / total
        : 0;
  const pct = Math.round(Math.min(1, done) * 100);
  return (
    <div
      class="import-progress"
      data-import-progress={job.status}
      data-checked={job.rowsChecked}
      data-written={job.rowsWritten}
      data-total={total}
    >
      <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <span style={{ width: `${pct}%` }} />
      </div>
      <p>
        已检查 {job.rowsChecked.toLocaleString()} / 共 {total ? total.toLocaleString() : '?'} 行
        {writes && <>，已写入 {job.rowsWritten.toLocaleString()} 行</>}（{pct}%）
      </p>
    </div>
  );
}

function Outcome({ job, k }: { job: Job; k: Kind }) {
  const [error, setError] = useState<ApiError | null>(null);
  if (job.status === 'FAILED') {
    return (
      <div class="state error" role="alert" data-import-failed={job.failure?.code}>
        <p>
          文件未能导入，没有写入任何内容：{(job.failure && FILE_WORDS[job.failure.code]) ?? job.failure?.message}
          {job.failure?.cell ? `（单元格 ${job.failure.cell}）` : ''}
          {job.failure?.columns?.join('、') ?? ''}
        </p>
      </div>
    );
  }
  const dry = job.mode === 'DRY_RUN';
  return (
    <div data-import-outcome={dry ? 'dry-run' : 'import'}>
      <p>
        {dry ? '检查完毕（未写入）：' : job.rowsWritten ? '导入完成：' : '未写入任何内容：'}共 {job.total} 行，
        {dry ? '可新增' : '新增'} <b data-created>{job.created}</b> 行，{dry ? '可更新' : '更新'}{' '}
        <b data-updated>{job.updated}</b> 行， 无变化 <b data-unchanged>{job.unchanged}</b> 行，有错误{' '}
        <b data-errors>{job.errorCount}</b> 行次。
      </p>
      {job.errors.length > 0 && (
        <div class="table-scroll">
          <table data-import-errors>
            <thead>
              <tr>
                <th>行号</th>
                <th>列</th>
                <th>问题</th>
              </tr>
            </thead>
            <tbody>
              {job.errors.slice(0, 100).map((e) => (
                <tr key={`${e.row}-${e.column}-${e.code}`}>
                  <td>{e.row}</td>
                  <td>{e.column ?? '整行'}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {job.errorCount > 100 && <p>另有 {job.errorCount - 100} 处错误，见错误报告。</p>}
        </div>
      )}
      {job.reportPath && (
        <button
          type="button"
          class="link"
          data-download-report
          onClick={() => download(job.reportPath!, `${k.label}导入报告.xlsx`).catch((e: ApiError) => setError(e))}
        >
          下载{job.errorCount ? '错误' : '导入'}报告（Excel，每行附导入结果和错误说明）
        </button>
      )}
      {error && <ErrorBox error={error} />}
    </div>
  );
}

/**
 * 数据导入: a clerk picks what the sheet holds, downloads the template if needed, uploads the file
 * and has it checked (nothing is written), sees every bad row, then confirms the import — all or
 * nothing, or the good rows only — and follows both with a progress bar.
 */
export function ImportPage() {
  const [k, setK] = useState<Kind>(KINDS[0]);
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState('all_or_nothing');
  const [job, setJob] = useState<Job | null>(null);
  const [checked, setChecked] = useState<Job | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const busy = !!job && job.status !== 'DONE' && job.status !== 'FAILED';

  useEffect(() => {
    if (!busy || !job) return;
    const t = setTimeout(
      () =>
        jobOf(k, job.id).then(
          (j) => {
            setJob(j);
            if (j.mode === 'DRY_RUN' && j.status === 'DONE') setChecked(j);
          },
          (e: ApiError) => setError(e),
        ),
      300,
    );
    return () => clearTimeout(t);
  }, [job]);

  const start = (m: string) => {
    if (!file) return;
    setError(null);
    if (m === 'dry_run') setChecked(null);
    upload(k, file, m).then(
      (id) =>
        setJob({
          id,
          mode: m.toUpperCase(),
          status: 'QUEUED',
          total: null,
          rowsChecked: 0,
          rowsWritten: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          errorCount: 0,
          errors: [],
          failure: null,
          reportPath: null,
        }),
      (e: ApiError) => setError(e),
    );
  };
  const reset = () => {
    setJob(null);
    setChecked(null);
    setError(null);
  };

  return (
    <div data-import-page>
      <h1>
        数据导入<small>Excel 或 CSV 表格</small>
      </h1>
      <section class="block">
        <h2>1. 选择导入内容，上传表格</h2>
        <p>
          <label>
            导入内容：
            <select
              data-import-kind
              value={k.kind}
              disabled={busy}
              onChange={(e) => {
                setK(KINDS.find((x) => x.kind === (e.target as HTMLSelectElement).value)!);
                reset();
              }}
            >
              {KINDS.map((x) => (
                <option value={x.kind} key={x.kind}>
                  {x.label}
                </option>
              ))}
            </select>
          </label>{' '}
          <button
            type="button"
            class="link"
            data-download-template
            onClick={() =>
              download(`/files/${k.service}/templates/${k.kind}`, `${k.label}导入模板.xlsx`).catch((e: ApiError) =>
                setError(e),
              )
            }
          >
            下载导入模板
          </button>
        </p>
        <p>
          <input
            type="file"
            data-import-file
            accept=".xlsx,.csv"
            disabled={busy}
            onChange={(e) => {
              setFile((e.target as HTMLInputElement).files?.[0] ?? null);
              reset();
            }}
          />
        </p>
        <p class="hint">支持 .xlsx 和 .csv（UTF-8 或 GBK 编码）。不要有公式、合并单元格或隐藏的工作表。</p>
        <button type="button" data-import-check disabled={!file || busy} onClick={() => start('dry_run')}>
          检查表格（不写入）
        </button>
      </section>
      {error && <ErrorBox error={error} />}
      {job && (
        <section class="block" data-import-job={job.id}>
          <h2>{job.mode === 'DRY_RUN' ? '2. 检查结果' : '3. 导入结果'}</h2>
          {busy ? (
            <Progress job={job} />
          ) : (
            <>
              <Progress job={job} />
              <Outcome job={job} k={k} />
            </>
          )}
        </section>
      )}
      {checked && !busy && job?.mode === 'DRY_RUN' && (
        <section class="block" data-import-confirm>
          <h2>3. 确认导入</h2>
          <p>
            <label>
              <input
                type="radio"
                name="mode"
                value="all_or_nothing"
                checked={mode === 'all_or_nothing'}
                onChange={() => setMode('all_or_nothing')}
              />
              全部导入（只要有一行错误，就全部不写入）
            </label>
            <br />
            <label>
              <input
                type="radio"
                name="mode"
                value="valid_rows"
                checked={mode === 'valid_rows'}
                onChange={() => setMode('valid_rows')}
                data-mode-valid-rows
              />
              只导入没有错误的行（有错误的行不写入，可改正后再导入）
            </label>
          </p>
          <button type="button" data-import-confirm-button disabled={busy} onClick={() => start(mode)}>
            确认导入
          </button>
        </section>
      )}
    </div>
  );
}
