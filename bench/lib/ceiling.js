'use strict';
// The ceiling: a bare node:http server that answers every request of a case with the bytes the
// real server sent for it (status, headers and body captured first), straight from memory.
// Whatever the real server does beyond this (routing, guards, validation, SQL, serialization)
// is what the ratio to the ceiling measures.
const http = require('node:http');
const { fork } = require('node:child_process');

const DROP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** Route key: method + path without the query, with UUIDs folded, so /products/<id> is one route. */
function routeKey(method, url) {
  const p = url
    .split('?')[0]
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
  return `${method} ${p}`;
}

/** Fetches one request from the real server and keeps what the ceiling needs to replay it. */
async function capture(base, req) {
  const res = await fetch(base + req.path, {
    method: req.method,
    headers: req.headers,
    body: req.body,
  });
  const body = Buffer.from(await res.arrayBuffer());
  const headers = {};
  res.headers.forEach((v, k) => {
    if (!DROP.has(k)) headers[k] = v;
  });
  headers['content-length'] = String(body.length);
  return { key: routeKey(req.method, req.path), status: res.status, headers, body };
}

/** In the child process: serve the routes the parent sends over IPC. */
function serveChild() {
  let routes = new Map();
  const server = http.createServer((req, res) => {
    // drain the request body (POSTs), then answer from memory
    req.on('data', () => {});
    req.on('end', () => {
      const r = routes.get(routeKey(req.method, req.url));
      if (!r) {
        res.writeHead(404, { 'content-length': '0' });
        res.end();
        return;
      }
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    });
  });
  server.keepAliveTimeout = 65_000;
  process.on('message', (m) => {
    if (m.type !== 'serve') return;
    routes = new Map(m.routes.map((c) => [c.key, { ...c, body: Buffer.from(c.body, 'base64') }]));
    process.send({ type: 'served' });
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () =>
    process.send({ type: 'listening', port: server.address().port }),
  );
}

/** Forks the ceiling server into a process of its own (it must not share the load generator's CPU time slice). */
function startCeiling() {
  const child = fork(__filename, ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type) =>
    new Promise((resolve, reject) => {
      // both listeners go once either fires: one `serve` per case would leave an exit listener
      // behind each time (MaxListenersExceededWarning after ten cases)
      const onMsg = (m) => {
        if (m.type !== type) return;
        child.off('message', onMsg).off('exit', onExit);
        resolve(m);
      };
      const onExit = (code) => {
        child.off('message', onMsg);
        reject(new Error(`ceiling exited (${code})`));
      };
      child.on('message', onMsg);
      child.once('exit', onExit);
    });
  return next('listening').then(({ port }) => ({
    base: `http://127.0.0.1:${port}`,
    pid: child.pid,
    /** The captured responses the ceiling answers with from now on. */
    async serve(captured) {
      const ack = next('served');
      child.send({
        type: 'serve',
        routes: captured.map((c) => ({ ...c, body: c.body.toString('base64') })),
      });
      await ack;
    },
    close() {
      child.disconnect();
      return new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
    },
  }));
}

if (require.main === module && process.argv.includes('--child')) serveChild();

module.exports = { startCeiling, capture, routeKey };
