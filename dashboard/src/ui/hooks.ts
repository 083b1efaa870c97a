import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

import { ApiFailure } from '../api';

export interface Loaded<T> {
  data?: T;
  error?: ApiFailure;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on `reload`); the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (error: unknown) =>
        mine === seq.current &&
        setState((s) => ({ data: s.data, error: asFailure(error), loading: false })),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** A page of a list answer (`{items, total, page, page_size, pages}`). */
export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  pages: number;
}

/**
 * A paginated list: `load(page)` is called with the current page (starting at 1), reset to 1 when
 * `deps` (the filters) change.
 */
export function usePaged<T>(
  load: (page: number) => Promise<PageOf<T>>,
  deps: unknown[],
): Loaded<PageOf<T>> & { page: number; setPage: (p: number) => void } {
  const [page, setPage] = useState(1);
  const key = JSON.stringify(deps);
  const lastKey = useRef(key);
  if (lastKey.current !== key) {
    lastKey.current = key;
    if (page !== 1) setPage(1);
  }
  const loaded = useLoad(() => load(page), [page, key]);
  return { ...loaded, page, setPage };
}

export interface Action<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: ApiFailure | undefined;
  /** Field errors of the last refused run, by field path. */
  fields: Record<string, string>;
  reset: () => void;
}

/**
 * A button's or form's call: `busy` while it runs (show progress, disable the button), the
 * refusal in `error`/`fields`. `run` resolves true when it succeeded; a second run while busy is
 * ignored (no double submit).
 */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiFailure | undefined>();
  const running = useRef(false);
  const run = async (...args: A) => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(undefined);
    try {
      await fn(...args);
      return true;
    } catch (e) {
      setError(asFailure(e));
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return {
    run,
    busy,
    error,
    fields: error?.fields ?? {},
    reset: () => setError(undefined),
  };
}

function asFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  return new ApiFailure(0, undefined, {}, e instanceof Error ? e.message : String(e));
}
