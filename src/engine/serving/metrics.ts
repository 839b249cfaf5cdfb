/**
 * Prometheus metrics of one serve process, written in the text exposition format (version 0.0.4). The handful of
 * series a serving process needs does not justify a client library: see docs/DECISIONS.md, "Serving metrics".
 */

/** Latency buckets in seconds: dense below a millisecond, where a small model answers. */
const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
  return body ? `{${body}}` : '';
}

class Histogram {
  readonly counts = new Array<number>(BUCKETS.length).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.counts[i]!++;
  }
}

export class ServingMetrics {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  predictions = 0;
  swaps = 0;
  swapFailures = 0;
  /** Reads the prediction log's state at scrape time. */
  logState: () => { pending: number; dropped: number; written: number } = () => ({ pending: 0, dropped: 0, written: 0 });
  /** The model answering now; null while none is loaded. */
  serving: { model: string; version: string } | null = null;

  /** Records one finished request. `errorCode` is set for non-2xx answers. */
  record(route: string, status: number, seconds: number, errorCode?: string): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let histogram = this.latency.get(route);
    if (!histogram) this.latency.set(route, (histogram = new Histogram()));
    histogram.observe(seconds);
    if (errorCode) {
      const errorKey = `${route}\u0000${status}\u0000${errorCode}`;
      this.errors.set(errorKey, (this.errors.get(errorKey) ?? 0) + 1);
    }
  }

  /** The exposition text for `GET /metrics`. */
  render(): string {
    const lines: string[] = [];
    const header = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    header('slipway_serving_requests_total', 'counter', 'HTTP requests answered, by route and status code.');
    for (const [key, n] of this.requests) {
      const [route, code] = key.split('\u0000') as [string, string];
      lines.push(`slipway_serving_requests_total${labels({ route, code })} ${n}`);
    }
    header('slipway_serving_errors_total', 'counter', 'Requests answered with an error, by route, status code and error code.');
    for (const [key, n] of this.errors) {
      const [route, status, code] = key.split('\u0000') as [string, string, string];
      lines.push(`slipway_serving_errors_total${labels({ route, status, code })} ${n}`);
    }
    header('slipway_serving_request_duration_seconds', 'histogram', 'Time from request to response, by route.');
    for (const [route, h] of this.latency) {
      BUCKETS.forEach((le, i) => lines.push(`slipway_serving_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${h.counts[i]}`));
      lines.push(`slipway_serving_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`);
      lines.push(`slipway_serving_request_duration_seconds_sum${labels({ route })} ${h.sum}`);
      lines.push(`slipway_serving_request_duration_seconds_count${labels({ route })} ${h.count}`);
    }
    header('slipway_serving_model_info', 'gauge', 'The model version answering requests (value 1).');
    if (this.serving) lines.push(`slipway_serving_model_info${labels(this.serving)} 1`);
    header('slipway_serving_predictions_total', 'counter', 'Rows predicted.');
    lines.push(`slipway_serving_predictions_total ${this.predictions}`);
    header('slipway_serving_model_swaps_total', 'counter', 'Times a new model version replaced the serving one.');
    lines.push(`slipway_serving_model_swaps_total ${this.swaps}`);
    header('slipway_serving_model_swap_failures_total', 'counter', 'New versions that failed to load (the previous one kept serving).');
    lines.push(`slipway_serving_model_swap_failures_total ${this.swapFailures}`);
    const log = this.logState();
    header('slipway_serving_prediction_log_pending', 'gauge', 'Predictions waiting to be written to the prediction log.');
    lines.push(`slipway_serving_prediction_log_pending ${log.pending}`);
    header('slipway_serving_prediction_log_written_total', 'counter', 'Predictions written to the prediction log.');
    lines.push(`slipway_serving_prediction_log_written_total ${log.written}`);
    header('slipway_serving_prediction_log_dropped_total', 'counter', 'Predictions not logged because the log stayed unwritable while its buffer was full.');
    lines.push(`slipway_serving_prediction_log_dropped_total ${log.dropped}`);
    const memory = process.memoryUsage();
    header('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.');
    lines.push(`process_resident_memory_bytes ${memory.rss}`);
    header('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use, in bytes.');
    lines.push(`nodejs_heap_size_used_bytes ${memory.heapUsed}`);
    header('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript (tensors, buffers), in bytes.');
    lines.push(`nodejs_external_memory_bytes ${memory.external + memory.arrayBuffers}`);
    return `${lines.join('\n')}\n`;
  }
}
