/** A provider call that did not answer within `config.payments.timeoutMs`. */
export class ProviderTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`payment provider did not answer within ${ms} ms`);
    this.name = 'ProviderTimeoutError';
  }
}

/**
 * Races a provider call against a timer. On timeout the call keeps running: `onLate` receives
 * its eventual result so the caller can compensate (e.g. refund a charge nobody waits for).
 */
export async function withTimeout<T>(
  call: Promise<T>,
  ms: number,
  onLate?: (result: T) => unknown,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } catch (e) {
    if (e instanceof ProviderTimeoutError && onLate) {
      void call.then((r) => onLate(r)).catch(() => undefined);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

export { isUniqueViolation } from '../../database/db-errors';
