import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  Registry,
} from 'prom-client';

type HttpLabel = 'method' | 'route' | 'status';

/** Latency buckets (seconds): the catalog answers in well under 5 ms, a checkout in tens. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus registry (GET /metrics serializes it). Modules add their own metrics
 * here: counters they increment where the event happens (payments, refunds, database retries),
 * gauges whose `collect` reads the current value on every scrape (outbox backlog, pool).
 * One registry per application instance, so tests that start several apps do not collide.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<HttpLabel>;
  private readonly latency: Histogram<HttpLabel>;
  private readonly children = new Map<
    string,
    { inc: () => void; observe: (seconds: number) => void }
  >();

  /** `processMetrics`: Node's defaults too (CPU, memory, GC, handles, event-loop lag). */
  constructor(processMetrics = false) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    this.requests = this.counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
    });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from the request reaching the app to the last byte of its answer',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
  }

  /** A counter in this registry (the same one again when `name` is already registered). */
  counter<L extends string>(c: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    const known = this.registry.getSingleMetric(c.name);
    return (known as Counter<L>) ?? new Counter({ ...c, registers: [this.registry] });
  }

  /** A gauge in this registry, usually with a `collect` that reads its value at scrape time. */
  gauge<L extends string>(c: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    this.registry.removeSingleMetric(c.name);
    return new Gauge({ ...c, registers: [this.registry] });
  }

  /** One answered HTTP request (the per-label children are kept, so this allocates nothing). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      const count = this.requests.labels(labels);
      const time = this.latency.labels(labels);
      child = { inc: () => count.inc(), observe: (s) => time.observe(s) };
      this.children.set(key, child);
    }
    child.inc();
    child.observe(seconds);
  }

  /** The text exposition format, every `collect` run first. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
