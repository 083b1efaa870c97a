import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Metric,
  MetricObjectWithValues,
  MetricValue,
  Registry,
} from 'prom-client';

/** Latency buckets (seconds): the catalog answers in well under 5 ms, a checkout in tens. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One (method, route, status) series of the HTTP metrics: a count, a sum and its buckets. */
export class HttpSeries {
  count = 0;
  sum = 0;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly buckets = new Float64Array(HTTP_BUCKETS.length + 1);

  constructor(
    readonly labels: { method: string; route: string; status: string },
    /** Every series' answers together (Metrics.answered). */
    private readonly all: { answered: number } = { answered: 0 },
  ) {}

  /** One answered request that took `seconds`: a few additions, nothing allocated. */
  observe(seconds: number): void {
    this.all.answered++;
    this.count++;
    this.sum += seconds;
    let i = 0;
    while (i < HTTP_BUCKETS.length && seconds > HTTP_BUCKETS[i]) i++;
    this.buckets[i]++;
  }
}

/**
 * `http_requests_total` and `http_request_duration_seconds`, kept as plain numbers per
 * (method, route, status) and turned into samples only at scrape. Every request passes here,
 * the catalog's fast path included: prom-client's own counter and histogram hash the label
 * object on each call, which cost the fast path about 5 % of its CPU (measured, issue 17).
 */
class HttpMetrics {
  private readonly series = new Map<string, HttpSeries>();
  /** HTTP answers so far, every series together. */
  readonly all = { answered: 0 };

  observe(method: string, route: string, status: number, seconds: number): void {
    this.of(method, route, status).observe(seconds);
  }

  /** The series of these labels, made on first use (a caller may keep it: see Metrics.httpSeries). */
  of(method: string, route: string, status: number): HttpSeries {
    const key = `${method} ${status} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      s = new HttpSeries({ method, route, status: String(status) }, this.all);
      this.series.set(key, s);
    }
    return s;
  }

  register(registry: Registry): void {
    const metric = (
      name: string,
      help: string,
      type: 'counter' | 'histogram',
      values: () => MetricValue<string>[],
    ) =>
      registry.registerMetric({
        name,
        help,
        type,
        get: async () =>
          ({
            name,
            help,
            type,
            aggregator: 'sum',
            values: values(),
          }) as unknown as MetricObjectWithValues<MetricValue<string>>,
      } as unknown as Metric);
    metric(
      'http_requests_total',
      'HTTP requests answered, by method, route pattern and status',
      'counter',
      () => [...this.series.values()].map((s) => ({ value: s.count, labels: s.labels })),
    );
    metric(
      'http_request_duration_seconds',
      'Time from the request reaching the app to the last byte of its answer',
      'histogram',
      () =>
        [...this.series.values()].flatMap((s) => {
          let acc = 0;
          const out: MetricValue<string>[] = [];
          HTTP_BUCKETS.forEach((le, i) => {
            acc += s.buckets[i];
            out.push({
              metricName: 'http_request_duration_seconds_bucket',
              value: acc,
              labels: { le, ...s.labels },
            } as MetricValue<string>);
          });
          out.push(
            {
              metricName: 'http_request_duration_seconds_bucket',
              value: s.count,
              labels: { le: '+Inf', ...s.labels },
            } as MetricValue<string>,
            {
              metricName: 'http_request_duration_seconds_sum',
              value: s.sum,
              labels: s.labels,
            } as MetricValue<string>,
            {
              metricName: 'http_request_duration_seconds_count',
              value: s.count,
              labels: s.labels,
            } as MetricValue<string>,
          );
          return out;
        }),
    );
  }
}

/**
 * The process's Prometheus registry (GET /metrics serializes it). Modules add their own metrics
 * here: counters they increment where the event happens (payments, refunds, database retries),
 * gauges whose `collect` reads the current value on every scrape (outbox backlog, pool).
 * One registry per application instance, so tests that start several apps do not collide.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly http = new HttpMetrics();

  /** `processMetrics`: Node's defaults too (CPU, memory, GC, handles, event-loop lag). */
  constructor(processMetrics = false) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry });
    this.http.register(this.registry);
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

  /** One answered HTTP request (a Map lookup and a few additions). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe(method, route, status, seconds);
  }

  /** HTTP answers so far, through either door (a plain number: PasswordHasher reads it often). */
  get answered(): number {
    return this.http.all.answered;
  }

  /**
   * The series of one (method, route, status), to keep and `observe` on a hot path without the
   * label lookup (the catalog's fast path keeps one per route and status).
   */
  httpSeries(method: string, route: string, status: number): HttpSeries {
    return this.http.of(method, route, status);
  }

  /** The text exposition format, every `collect` run first. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
