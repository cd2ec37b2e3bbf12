import { dataOf, gql } from './graphql-client';

export { csvFile, notXlsxFiles, sheetRows, xlsxFile, zipBombXlsx } from '@anju/kit/src/spreadsheet/test-files';

/** What a /files request answered: its status, its JSON (errors) or its bytes. */
export interface FileAnswer {
  status: number;
  json?: { id?: string; errors?: { message: string; extensions?: Record<string, any> }[] } & Record<string, any>;
  bytes?: Buffer;
  headers: Headers;
}

/** The server's root from a GraphQL URL (gateway or subgraph): /files lives beside /graphql. */
export const rootOf = (graphqlUrl: string) => new URL('/', graphqlUrl).toString().replace(/\/$/, '');

/** A /files request as the portal and `pnpm import` send it: GET for a download, POST with the raw file. */
export async function fileRequest(
  root: string,
  path: string,
  opts: { token?: string; body?: Buffer } = {},
): Promise<FileAnswer> {
  const res = await fetch(`${root}${path}`, {
    method: opts.body ? 'POST' : 'GET',
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body ? { 'content-type': 'application/octet-stream' } : {}),
    },
    body: opts.body ? new Uint8Array(opts.body) : undefined,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('json')
    ? JSON.parse(bytes.toString('utf8'))
    : undefined;
  return { status: res.status, json, bytes: json ? undefined : bytes, headers: res.headers };
}

export const IMPORT_JOB_FIELDS = `id kind mode status fileName total rowsChecked rowsWritten created updated unchanged
  errorCount
  errors(first: 500) { row column code message } failure { code message cell columns } reportPath`;

/** Polls an import job through GraphQL until it is done or failed (the sleep inside the loop, bounded). */
export async function waitForImport(
  graphqlUrl: string,
  id: string,
  token: string,
  timeoutMs = 60_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = dataOf(
      await gql(graphqlUrl, `query($id: ID!) { importJob(id: $id) { ${IMPORT_JOB_FIELDS} } }`, { id }, { token }),
    ).importJob;
    if (!job) throw new Error(`import job ${id} not found`);
    if (job.status === 'DONE' || job.status === 'FAILED') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import job ${id} did not finish in time`);
}

/** Polls an import job of any service through /files/<service>/imports/<id> (JSON) until it is done or failed. */
export async function waitForServiceImport(
  root: string,
  service: string,
  id: string,
  token: string,
  timeoutMs = 60_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answer = await fileRequest(root, `/files/${service}/imports/${id}`, { token });
    if (answer.status !== 200 || !answer.json)
      throw new Error(`import job ${id}: ${answer.status} ${JSON.stringify(answer.json)}`);
    if (answer.json.status === 'DONE' || answer.json.status === 'FAILED') return answer.json;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import job ${id} did not finish in time`);
}

/**
 * Uploads a sheet to a service's import (`/files/<service>/imports/<kind>`) as the portal does and
 * waits for its job; a file refused whole answers `{ refused: reason, status }` instead.
 */
export async function importSheet(
  root: string,
  service: string,
  kind: string,
  file: { bytes: Buffer; name: string },
  mode: string,
  token: string,
): Promise<Record<string, any>> {
  const path = `/files/${service}/imports/${kind}?mode=${mode}&fileName=${encodeURIComponent(file.name)}`;
  const up = await fileRequest(root, path, { token, body: file.bytes });
  const problem = up.json?.errors?.[0]?.extensions;
  if (up.status !== 200) return { refused: problem?.reason ?? problem?.code, status: up.status };
  return waitForServiceImport(root, service, up.json!.id!, token);
}
