'use strict';
// Starts the built server (`node dist/main.js`) as a child process and watches its memory.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident memory of a process in MB (VmRSS), or null when it is gone. */
function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * The node flags `npm start` runs the server with (the words between `node` and `dist/main.js` in
 * package.json's start script), so the benchmark measures the server as it is deployed.
 * BENCH_NODE_FLAGS (space-separated) replaces them, for experiments.
 */
function startFlags(appRoot = ROOT) {
  if (process.env.BENCH_NODE_FLAGS !== undefined)
    return process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean);
  const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8'));
  const m = /^node\s+(.*?)\s*dist\/main\.js$/.exec(pkg.scripts?.start ?? '');
  return m ? m[1].split(/\s+/).filter(Boolean) : [];
}

/**
 * Spawns the server on a free port with the given database environment; resolves once
 * GET /health answers 200. `log` is a file that receives the server's stdout and stderr.
 */
async function startServer({ env, log, nodeArgs = [], appRoot = ROOT }) {
  const port = await freePort();
  const out = fs.openSync(log, 'a');
  const args = [...startFlags(appRoot), ...nodeArgs, path.join(appRoot, 'dist', 'main.js')];
  const child = spawn(process.execPath, args, {
    cwd: appRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      LOG_REQUESTS: 'false',
      LOG_FORMAT: 'json',
      EMAIL_TRANSPORT: 'log',
      MAIL_POLL_MS: '1000',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited)
      throw new Error(`server exited during start (${JSON.stringify(exited)}); see ${log}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy in 90 s; see ${log}`);
    }
    await sleep(200);
  }
  return {
    port,
    base,
    pid: child.pid,
    child,
    rss: () => rssMb(child.pid),
    /** SIGTERM, then SIGKILL after 25 s; resolves when the process is gone. */
    async stop() {
      if (exited) return exited;
      const done = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 25_000);
      const res = await done;
      clearTimeout(t);
      return res;
    },
  };
}

/** CPU time (user + system) of a process in seconds, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/**
 * Waits until the server has worked off what the previous run left in flight (autocannon stops
 * sending, but requests already accepted still run): until it uses < 15% of a core over 300 ms.
 */
async function waitIdle(pids, maxMs = 60_000) {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const before = pids.map(cpuSeconds);
    await sleep(300);
    const used = pids.map((p, i) => (cpuSeconds(p) ?? 0) - (before[i] ?? 0));
    if (Math.max(...used) < 0.045 || Date.now() > deadline) return;
  }
}

/** Samples the RSS of some processes every `everyMs` until stopped; returns the peak (sum). */
function rssSampler(pids, everyMs = 200) {
  let peak = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of pids) sum += rssMb(pid) ?? 0;
    if (sum > peak) peak = sum;
  };
  sample();
  const t = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(t);
      sample();
      return Math.round(peak);
    },
  };
}

module.exports = {
  cpuSeconds,
  startFlags,
  startServer,
  rssSampler,
  rssMb,
  freePort,
  sleep,
  waitIdle,
};
