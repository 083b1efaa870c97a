import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line of a request carries, wherever in the code it is written. */
interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request this code runs for (through awaits, timers and events), if any. */
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

/**
 * Runs `fn` as part of request `requestId`: its log lines carry that id (the outbox sends a mail
 * under the id of the request that queued it). Without an id, `fn` runs outside any request, so
 * a background pass started by a request's kick does not log under that request's id.
 */
export function withRequestId<T>(requestId: string | null | undefined, fn: () => T): T {
  return requestId ? storage.run({ requestId }, fn) : storage.exit(fn);
}
