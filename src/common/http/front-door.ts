import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Answers a request in front of Express (true), or leaves it to Express untouched (false); a
 * promise when it must wait first (Express gets the request once it settles false or rejects —
 * the handler must not have written anything to `res` then).
 */
export type FrontDoorHandler = (
  req: IncomingMessage,
  res: ServerResponse,
) => boolean | Promise<boolean>;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Puts `handler` in front of the Express app on `server`: a request it answers never reaches
 * Express (no request/response prototypes, router, middleware chain or `finish` hooks); any other
 * goes to Express as before. Only for answers that need none of the middleware — the catalog's
 * stored anonymous reads (CatalogFastPath), whose headers the app's own header middleware wrote
 * once (headersSetBy) and whose request is counted and logged by the HttpObserver.
 */
export function installFrontDoor(
  server: Server,
  app: Listener,
  handler: FrontDoorHandler,
  turns: TurnTaking = new TurnTaking(),
): void {
  if (!server.listeners('request').includes(app)) {
    throw new Error("installFrontDoor: the Express app is not the server's request listener");
  }
  server.removeListener('request', app);
  const toApp = (req: IncomingMessage, res: ServerResponse) => {
    arrivals.set(req, process.hrtime.bigint());
    turns.admit(() => app(req, res));
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const answered = handler(req, res);
    if (answered === true) turns.answeredQuickly();
    else if (answered === false) toApp(req, res);
    else {
      answered.then(
        (ok) => ok || toApp(req, res),
        () => toApp(req, res),
      );
    }
  });
}

/** What a request listener throws: uncaught, on its own tick (the process's own handling). */
const rethrow = (e: unknown) =>
  process.nextTick(() => {
    throw e;
  });

/** How long after a quick answer requests for Express still take turns (TurnTaking). */
export const CONTENDED_MS = 100;

/** When a request that the front door handed to Express arrived (process.hrtime.bigint()). */
const arrivals = new WeakMap<IncomingMessage, bigint>();

/** When `req` came to the front door, if it went through one (its wait for a turn included). */
export function arrivalOf(req: IncomingMessage): bigint | undefined {
  return arrivals.get(req);
}

/**
 * Lets work in one at a time per turn of the event loop, in the order it came, while quick
 * answers are being given (`answeredQuickly` in the last CONTENDED_MS): the first at once, each
 * next one in a later turn (`setImmediate`), so the sockets that became readable meanwhile are
 * served in between. Without quick answers to protect, everything goes in at once.
 *
 * Why: a request through Express (a login, a registration, a checkout) costs 1–4 ms of the event
 * loop before it first waits — SQLite's statements are synchronous — and a stored catalog answer
 * 0.05 ms. Forty logins arriving together would otherwise run back to back, 60–80 ms in which no
 * listing is answered; taken one per turn, a listing waits for at most one of them. The total
 * work is the same. Taking turns costs a checkout about 0.3 ms of CPU (measured: 6 % of the
 * checkouts per second), hence only while there is someone to let through.
 */
export class TurnTaking {
  private readonly queue: (() => void)[] = [];
  /** A turn is taken: the next one to come waits for `setImmediate`. */
  private taken = false;
  private quickAt = -Infinity;

  constructor(
    private readonly contendedMs = CONTENDED_MS,
    private readonly now: () => number = () => performance.now(),
    private readonly onError: (e: unknown) => void = rethrow,
  ) {}

  private readonly nextTurn = () => {
    if (!this.queue.length) {
      this.taken = false;
      return;
    }
    setImmediate(this.nextTurn);
    if (this.contended()) this.queue.shift()!();
    else
      for (const run of this.queue.splice(0)) {
        // one that throws must not take those behind it along
        try {
          run();
        } catch (e) {
          this.onError(e);
        }
      }
  };

  /** A request was answered in front of Express (quick work that others should not hold up). */
  answeredQuickly(): void {
    this.quickAt = this.now();
  }

  /** Runs `run` now when no one else has this turn, else in the first free one after it. */
  admit(run: () => void): void {
    if (this.taken) {
      this.queue.push(run);
      return;
    }
    if (this.contended()) {
      this.taken = true;
      setImmediate(this.nextTurn);
    }
    run();
  }

  private contended(): boolean {
    return this.now() - this.quickAt < this.contendedMs;
  }

  /** How many wait for a turn. */
  get waiting(): number {
    return this.queue.length;
  }
}

type Middleware = (req: never, res: never, next: (err?: unknown) => void) => void;

/**
 * The headers that `middleware` (helmet, CORS: the app's own instances) set on the answer to a
 * GET with these request headers, as a flat `[name, value, …]` list for `res.writeHead`. Each
 * middleware must call `next` synchronously without an error and only set or remove headers.
 */
export function headersSetBy(middleware: Middleware[], headers: IncomingHttpHeaders): string[] {
  const set = new Map<string, [string, string]>();
  const res = {
    setHeader(name: string, value: unknown) {
      set.set(name.toLowerCase(), [name, Array.isArray(value) ? value.join(', ') : String(value)]);
      return res;
    },
    getHeader: (name: string) => set.get(name.toLowerCase())?.[1],
    hasHeader: (name: string) => set.has(name.toLowerCase()),
    removeHeader: (name: string) => void set.delete(name.toLowerCase()),
  };
  const req = { method: 'GET', url: '/', headers };
  for (const mw of middleware) {
    let went = false;
    mw(req as never, res as never, (err?: unknown) => {
      if (err) throw err instanceof Error ? err : new Error(String(err));
      went = true;
    });
    if (!went) throw new Error(`headersSetBy: ${mw.name || 'a middleware'} did not call next()`);
  }
  return [...set.values()].flat();
}
