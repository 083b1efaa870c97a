import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const QUIET_MS = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Drains the HTTP server on shutdown: stop accepting connections, let every request already
 * received finish (answered with `Connection: close`), then close the idle keep-alive sockets.
 *
 * Node's own `server.close()` destroys "idle" sockets at once, and a socket whose request bytes
 * are still unread counts as idle, so a request the kernel already accepted would be reset. Here
 * idle sockets are closed only once no request has been running for a quiet moment. The
 * application (database, workers, outbox) must be closed only after drain() resolves.
 */
export class GracefulShutdown {
  /** open sockets → number of requests running on each */
  private readonly sockets = new Map<Socket, number>();
  private lastActivity = Date.now();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, 0);
      this.lastActivity = Date.now();
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      this.sockets.set(socket, (this.sockets.get(socket) ?? 0) + 1);
      this.lastActivity = Date.now();
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        if (this.sockets.has(socket)) this.sockets.set(socket, (this.sockets.get(socket) ?? 1) - 1);
        this.lastActivity = Date.now();
      });
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    // keep accepted-but-unread sockets alive: they are closed below once everything is quiet
    this.server.closeIdleConnections = () => undefined;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (;;) {
      const busy = [...this.sockets.values()].some((n) => n > 0);
      if (!busy && Date.now() - this.lastActivity >= QUIET_MS) break;
      await sleep(20);
    }
    for (const [socket, running] of this.sockets) if (running === 0) socket.destroy();
    await closed;
  }
}
