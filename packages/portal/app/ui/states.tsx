import type { ComponentChildren } from 'preact';
import type { ApiError, Loaded } from '../api';

export const Loading = ({ what }: { what?: string }) => <p class="state loading">正在加载{what ?? ''}…</p>;

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="state empty">{children}</p>;

export function ErrorBox({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div class="state error" role="alert">
      <p>{error.message}</p>
      {error.problems.some((p) => p.code === 'UNAUTHENTICATED') ? (
        <a href="#/sign-in">重新登录</a>
      ) : (
        retry && (
          <button type="button" onClick={retry}>
            重试
          </button>
        )
      )}
    </div>
  );
}

/** Loading, error or the content of a loaded answer, so each page says the same words. */
export function Show<T>({
  result,
  retry,
  what,
  children,
}: {
  result: Loaded<T>;
  retry?: () => void;
  what?: string;
  children: (data: T) => ComponentChildren;
}) {
  if (result.state === 'loading') return <Loading what={what} />;
  if (result.state === 'error') return <ErrorBox error={result.error} retry={retry} />;
  return <>{children(result.data)}</>;
}
