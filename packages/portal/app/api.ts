/**
 * The portal's one way to the gateway: POST /graphql on the same origin, with the signed-in
 * token, each operation sent with its persisted-query id (the gateway accepts only listed ids
 * from the portal in production). Errors come back as {@link ApiError}, in words for a clerk.
 */
import { useEffect, useState } from 'preact/hooks';

declare const __OPERATION_IDS__: Record<string, string>;

const TOKEN_KEY = 'anju.session';

export interface Session {
  token: string;
  role: string;
  /** What the sign-in page chose, for the header ("镇雄县 · 县级干部"). */
  label: string;
  /** Where this role lands after sign-in. */
  home: string;
  scope: { regions?: string[]; sites?: string[]; grids?: string[]; org?: string; unit?: string; resident?: string };
}

export const session = {
  get(): Session | null {
    const raw = sessionStorage.getItem(TOKEN_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  },
  set(s: Session) {
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(s));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A typed GraphQL error, with the field it concerns when the service named one. */
export interface FieldProblem {
  code: string;
  field?: string;
  reason?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
  /** The message to show beside a form field, if the service named it (in Chinese where the portal knows it). */
  forField(field: string): string | undefined {
    const p = this.problems.find((x) => x.field === field);
    return p && (FIELD_WORDS[`${field}:${p.reason ?? ''}`] ?? FIELD_WORDS[`${field}:`] ?? p.message);
  }
}

/** What a clerk reads for each error code (the service's own message is shown beside fields). */
const CODE_WORDS: Record<string, string> = {
  UNAUTHENTICATED: '登录已过期或无效，请重新登录。',
  FORBIDDEN: '您没有查看或办理这项内容的权限。',
  NOT_FOUND: '没有找到这条记录，可能已被删除或不在您的辖区内。',
  BAD_USER_INPUT: '填写的内容有误，请按提示修改后再提交。',
  CONFLICT: '这项内容已被其他人更改，请刷新后重试。',
  PERSISTED_QUERY_NOT_ALLOWED: '门户版本已更新，请刷新页面。',
  RATE_LIMITED: '操作过于频繁，请稍后再试。',
};

/** The services' field messages, as a clerk reads them: `field:REASON` (or `field:` for any reason). */
const FIELD_WORDS: Record<string, string> = {
  'reason:': '请说明查看原因（2到200个字）。',
  'note:': '请写明做了什么（2到1000个字）。',
  'promisedOn:PAST': '承诺完成日期不能早于今天。',
  'promisedOn:FORMAT': '请选择承诺完成日期。',
  'input.title:': '标题请写2到200个字。',
  'input.body:': '内容请写2到5000个字。',
  'body:': '评论请写1到2000个字。',
  'input.heldOn:FUTURE': '会议日期不能晚于今天。',
  'input.heldOn:FORMAT': '请选择会议日期。',
  'input.attendeeResidentIds:REQUIRED': '请勾选出席会议的居民。',
  'input.note:REQUIRED': '不予采纳时请写明理由。',
  'input.vote.closesAt:PAST': '表决截止时间须晚于现在。',
  'input.vote.closesAt:': '请填写表决截止时间。',
  'input.vote.quorumPercent:RANGE': '参与表决户数比例请填1到100。',
  'input.vote.ownerName:': '请填写责任人或责任单位。',
  'input.vote.dueOn:': '完成期限须是表决截止之后的日期。',
  'input.closesAt:PAST': '截止时间须晚于现在。',
  'input.closesAt:': '请填写截止时间。',
  'input.questions:COUNT': '问卷须有1到30道题。',
  'answers:': '请按每道题的要求作答。',
  'input.quietHours.start:': '请填写免打扰开始时间（时:分）。',
  'input.quietHours.end:FORMAT': '请填写免打扰结束时间（时:分）。',
  'input.quietHours.end:EMPTY': '免打扰结束时间不能与开始时间相同。',
  'input.phone:FORMAT': '手机号为11位数字，以13–19开头。',
  'input.phone:RESIDENT_RECORD': '居民的手机号以户籍登记为准，请联系安置点干部修改。',
  'answers:MISSING': '请回答每一道题。',
};

/**
 * An operation's text, as app/operations.ts holds it, typed by `pnpm codegen` with what it answers and what it
 * takes: pages import operations from generated/operations.ts, where each constant is an `Operation`, so that
 * `useQuery` and `request` infer both from the constant. Only a type: the value is the plain string.
 */
export type Operation<Result, Variables> = string & {
  /** Never set: only the types of the operation's result and variables (a plain string is not an Operation). */
  readonly ' $types': { result: Result; variables: Variables };
};

/** `useQuery`'s arguments after the operation: its variables, optional when it takes none that are required. */
type QueryArgs<V> = {} extends V ? [variables?: V, skip?: boolean] : [variables: V, skip?: boolean];

function operationName(text: string): string {
  const m = /^(?:query|mutation)\s+(\w+)/.exec(text);
  if (!m) throw new Error('every portal operation is named');
  return m[1];
}

/**
 * One GraphQL operation through the gateway, with the session's token, or with `token` where a page reads as
 * someone else (the development sign-in page reads its choices as the province, without touching the session).
 */
export async function request<R, V>(text: Operation<R, V>, variables: V, token?: string): Promise<R> {
  const bearer = token ?? session.get()?.token;
  const name = operationName(text);
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({
        operationName: name,
        query: text,
        variables,
        extensions: { persistedQuery: { version: 1, sha256Hash: __OPERATION_IDS__[name] } },
      }),
    });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试。');
  }
  let body: { data?: R; errors?: { message: string; extensions?: Record<string, string> }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`服务器暂时无法处理请求（${res.status}），请稍后再试。`);
  }
  if (body.errors?.length) {
    const problems = body.errors.map((e) => ({
      code: e.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      field: e.extensions?.field,
      reason: e.extensions?.reason,
      message: e.message,
    }));
    if (!token && problems.some((p) => p.code === 'UNAUTHENTICATED')) session.clear();
    const first = problems[0];
    throw new ApiError(
      CODE_WORDS[first.code] ?? '服务器处理请求时出错，请稍后再试；如果一再出现，请联系管理员。',
      problems,
    );
  }
  if (!body.data) throw new ApiError('服务器处理请求时出错，请稍后再试；如果一再出现，请联系管理员。');
  return body.data;
}

/** A whole list as a spreadsheet: `GET /files/<service>/exports/<name>` with the token, saved under `filename`. */
export async function downloadExport(
  path: string,
  params: Record<string, string | undefined>,
  filename: string,
): Promise<void> {
  const s = session.get();
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1]));
  let res: Response;
  try {
    res = await fetch(`${path}?${query}`, { headers: s ? { authorization: `Bearer ${s.token}` } : {} });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试。');
  }
  if (!res.ok) {
    const code =
      res.status === 401
        ? 'UNAUTHENTICATED'
        : res.status === 403
          ? 'FORBIDDEN'
          : res.status === 429
            ? 'RATE_LIMITED'
            : '';
    if (code === 'UNAUTHENTICATED') session.clear();
    throw new ApiError(
      CODE_WORDS[code] ?? `导出失败（${res.status}），请稍后再试。`,
      code ? [{ code, message: code }] : [],
    );
  }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = `${filename}.xlsx`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
}

export type Loaded<T> = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ok'; data: T };

/** Runs an operation when its inputs change; `reload` runs it again. */
export function useQuery<R, V>(
  text: Operation<R, V>,
  ...[variables = {} as V, skip = false]: QueryArgs<V>
): [Loaded<R>, () => void] {
  const [result, setResult] = useState<Loaded<R>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (skip) return;
    let live = true;
    setResult({ state: 'loading' });
    request(text, variables).then(
      (data) => live && setResult({ state: 'ok', data }),
      (error: unknown) =>
        live && setResult({ state: 'error', error: error instanceof ApiError ? error : new ApiError(String(error)) }),
    );
    return () => {
      live = false;
    };
  }, [text, key, tick, skip]);
  return [result, () => setTick((t) => t + 1)];
}
