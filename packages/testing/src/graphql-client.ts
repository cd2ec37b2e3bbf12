export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  headers: Headers;
}

/** POSTs one GraphQL operation, as a portal would. */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; requestId?: string } = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.requestId ? { 'x-request-id': opts.requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GraphQLResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

/** The data of a response that must have succeeded; throws with the errors otherwise. */
export function dataOf<T>(res: GraphQLResponse<T>): T {
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}
