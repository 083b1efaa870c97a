'use strict';
// autocannon, driven by a case description: a sequence of steps, each a request that may depend
// on a per-connection context (a customer, a product id), with per-step status counters.
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

module.exports = { runLoad, sampleRequests };
