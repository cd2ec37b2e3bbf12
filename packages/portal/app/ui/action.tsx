import { useState } from 'preact/hooks';
import { ErrorBox } from './states';
import { ApiError } from '../api';

/**
 * A button's or form's call to the gateway: busy while it runs, the error to show beside it
 * after. `run` resolves true when the call succeeded, so the caller can reload or move on.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e)));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export type Action = ReturnType<typeof useAction>;

/** China time for the API: a datetime-local value ("2026-12-01T18:00") read as the province's time, with its offset. */
export const provinceInstant = (local: string) => (local ? `${local}:00+08:00` : '');

/**
 * A failed form's error: the service's word on the field it named, in Chinese where the portal
 * knows it (with data-field-error for checks), else the general message.
 */
export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  const field = error.problems.find((p) => p.field)?.field;
  const words = field && error.forField(field);
  return words ? (
    <span class="field-error" data-field-error={field}>
      {words}
    </span>
  ) : (
    <ErrorBox error={error} />
  );
}

/** The foot of a form: its error, the submit button (other words while it runs), 取消 for a form opened by a button. */
export function Submit(props: { act: Action; label: string; running?: string; cancel?: () => void }) {
  const { act } = props;
  return (
    <>
      <FormError error={act.error} />
      <span>
        <button type="submit" class="primary" disabled={act.busy}>
          {act.busy ? (props.running ?? '正在提交…') : props.label}
        </button>
        {props.cancel && (
          <button type="button" class="link" onClick={props.cancel}>
            取消
          </button>
        )}
      </span>
    </>
  );
}
