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
export function installFrontDoor(server: Server, app: Listener, handler: FrontDoorHandler): void {
  if (!server.listeners('request').includes(app)) {
    throw new Error("installFrontDoor: the Express app is not the server's request listener");
  }
  server.removeListener('request', app);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const answered = handler(req, res);
    if (answered === false) app(req, res);
    else if (answered !== true) {
      answered.then(
        (ok) => ok || app(req, res),
        () => app(req, res),
      );
    }
  });
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
