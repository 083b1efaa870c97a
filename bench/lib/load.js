'use strict';
// autocannon, driven by a case description: a sequence of steps, each a request that may depend
// on a per-connection context (a customer, a product id), with per-step status counters.
const http = require('node:http');

const autocannon = require('autocannon');

/**
 * A case: { steps: [{ name, method, path: string | (ctx) => string, headers?: (ctx) => obj,
 * body?: (ctx) => obj, onStatus?: (status, ctx) => void, skip?: (ctx) => bool }], begin?: (ctx) => void }
 * `begin` runs at the first step of each round (per connection). Returns autocannon options.
 */
function toAutocannon(kase, base, counters) {
  const requests = kase.steps.map((step, i) => {
    const r = {
      method: step.method,
      path: typeof step.path === 'string' ? step.path : '/',
      setupRequest(req, ctx) {
        if (i === 0 && kase.begin) kase.begin(ctx);
        if (step.skip && step.skip(ctx)) return null; // restart the round
        if (typeof step.path === 'function') req.path = step.path(ctx);
        const headers = { ...(step.headers ? step.headers(ctx) : {}) };
        if (step.body) {
          req.body = JSON.stringify(step.body(ctx));
          headers['content-type'] = 'application/json';
        }
        req.headers = headers;
        return req;
      },
      onResponse(status, _body, ctx) {
        const c = (counters[step.name] ??= {});
        c[status] = (c[status] ?? 0) + 1;
        if (step.onStatus) step.onStatus(status, ctx);
      },
    };
    return r;
  });
  return { url: base, requests };
}

/** One concrete request of each step (for capturing what the ceiling replays). */
function sampleRequests(kase) {
  const ctx = {};
  if (kase.begin) kase.begin(ctx);
  return kase.steps.map((step) => {
    const headers = { ...(step.headers ? step.headers(ctx) : {}) };
    let body;
    if (step.body) {
      body = JSON.stringify(step.body(ctx));
      headers['content-type'] = 'application/json';
    }
    const req = {
      method: step.method,
      path: typeof step.path === 'function' ? step.path(ctx) : step.path,
      headers,
      body,
    };
    if (step.onStatus) step.onStatus(201, ctx);
    return req;
  });
}

/**
 * Runs autocannon for `duration` seconds (or for exactly `amount` requests) and returns the
 * numbers the report needs.
 */
function runLoad(kase, base, { connections = 50, duration = 10, overallRate, amount } = {}) {
  const counters = {};
  const opts = {
    ...toAutocannon(kase, base, counters),
    connections,
    pipelining: 1,
    timeout: 30,
  };
  if (amount) opts.amount = amount;
  else opts.duration = duration;
  if (overallRate) opts.overallRate = overallRate;
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => {
      if (err) return reject(err);
      resolve({
        rps: Math.round(res.requests.average),
        total: res.requests.total,
        p50: res.latency.p50,
        p90: res.latency.p90,
        p99: res.latency.p99,
        max: res.latency.max,
        errors: res.errors,
        timeouts: res.timeouts,
        non2xx: res.non2xx,
        statuses: Object.fromEntries(
          Object.entries(res.statusCodeStats).map(([k, v]) => [k, v.count]),
        ),
        steps: counters,
        seconds: res.duration,
      });
    });
  });
}

/**
 * A one-step case at a steady rate: request i leaves at start + i / rate over a keep-alive agent
 * of `connections` sockets, whether or not the answers before it came back (an open loop, as
 * independent visitors arrive), and its latency runs from the moment it was due, so a request
 * that waited for a free socket counts its wait. autocannon's `overallRate` is not this: each
 * connection sends its share of a second back to back as fast as the server answers, then
 * pauses until the next second, so its latencies are those of a full-speed burst.
 */
function runPaced(kase, base, { connections = 10, duration = 10, rate }) {
  if (kase.steps.length !== 1) throw new Error('runPaced: a case of one step only');
  const [step] = kase.steps;
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latenciesUs = [];
  /** How late each request left (the generator's own delay, in the latency too). */
  const lateUs = [];
  const statuses = {};
  let errors = 0;
  let inFlight = 0;
  const intervalNs = 1e9 / rate;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(duration * 1e9));
  let sent = 0;
  return new Promise((resolve) => {
    const finish = () => {
      if (inFlight > 0 || process.hrtime.bigint() < end) return;
      agent.destroy();
      const seconds = duration;
      const total = Object.values(statuses).reduce((a, b) => a + b, 0);
      latenciesUs.sort((a, b) => a - b);
      const at = (p) =>
        latenciesUs[
          Math.min(latenciesUs.length - 1, Math.ceil((p / 100) * latenciesUs.length) - 1)
        ] ?? 0;
      const ms = (p) => Math.round(at(p) / 100) / 10;
      resolve({
        rps: Math.round(total / seconds),
        total,
        p50: ms(50),
        p90: ms(90),
        p99: ms(99),
        max: ms(100),
        errors,
        timeouts: 0,
        non2xx: total - (statuses['200'] ?? 0),
        statuses,
        steps: { [step.name]: statuses },
        seconds,
        lateP99:
          Math.round(lateUs.sort((a, b) => a - b)[Math.floor(lateUs.length * 0.99)] / 100) / 10,
      });
    };
    const send = (dueNs) => {
      const ctx = {};
      if (kase.begin) kase.begin(ctx);
      inFlight++;
      lateUs.push(Number((process.hrtime.bigint() - dueNs) / 1000n));
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: step.method,
          path: typeof step.path === 'function' ? step.path(ctx) : step.path,
          headers: step.headers ? step.headers(ctx) : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const us = Number((process.hrtime.bigint() - dueNs) / 1000n);
            latenciesUs.push(us);
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            inFlight--;
            finish();
          });
        },
      );
      req.on('error', () => {
        errors++;
        inFlight--;
        finish();
      });
      req.end();
    };
    const tick = () => {
      const now = process.hrtime.bigint();
      // every request due by now leaves now (late ones keep their due time)
      while (start + BigInt(Math.round(sent * intervalNs)) <= now) {
        const due = start + BigInt(Math.round(sent * intervalNs));
        if (due >= end) return finish();
        sent++;
        send(due);
      }
      const next = start + BigInt(Math.round(sent * intervalNs));
      setTimeout(tick, Math.max(0, Number(next - process.hrtime.bigint()) / 1e6));
    };
    tick();
  });
}

module.exports = { runLoad, runPaced, sampleRequests };
