/**
 * Model performance benchmark. (1) 1M labelled predictions as typed arrays through the window metrics (one window,
 * and 30 daily windows), against scikit-learn's same metrics timed by /usr/bin/python3 bench/performance_sklearn.py in
 * the same run (when present), with the values checked to agree. (2) 1M rows of a real prediction_log in slipway.db
 * (half of them labelled in prediction_feedback) read into typed arrays by `readEndpointPredictions`, against the
 * obvious alternative measured in the same run: `.all()` the rows and JSON.parse each row's outputs in JavaScript.
 *
 * Memory held by each result (heap + array buffers after a collection) is printed beside the times.
 *
 *   node --expose-gc --import tsx bench/performance.ts [--rows N]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultEndpoint } from '../src/engine/serving';
import { performanceWindows, readEndpointPredictions } from '../src/engine/monitoring/performance';
import { Store } from '../src/engine/store';
import { PERFORMANCE_METRICS } from '../src/shared/monitoring';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };
const ROWS = Number(flag('--rows') ?? 1_000_000);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const dir = mkdtempSync(join(process.env.SLIPWAY_BENCH_DIR ?? tmpdir(), 'slipway-bench-performance-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// Deterministic data: scores from a 32-bit LCG, rounded to 4 decimals so there are ties; labels drawn from the score
// (a calibrated model), made a little worse on later days; 30 days of timestamps.
let seed = 20261205;
const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const scores = new Float64Array(ROWS);
const labels = new Int8Array(ROWS);
const ts = new Float64Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  const s = Math.round(random() * 10_000) / 10_000;
  scores[i] = s;
  ts[i] = T0 + Math.floor((i / ROWS) * 30 * DAY);
  const drift = (ts[i]! - T0) / (30 * DAY) * 0.2;
  labels[i] = random() < s * (1 - drift) + drift / 2 ? 1 : 0;
}

const seconds = (fn: () => void): number => {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
};
const fmt = (s: number): string => `${s.toFixed(3)} s`;
const gc = (globalThis as { gc?: () => void }).gc;
const heldMb = (): number => {
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1_048_576;
};

console.log(`# ${ROWS.toLocaleString('en')} labelled predictions`);
performanceWindows({ scores, labels, ts }, {}); // warm-up (JIT)
let one!: ReturnType<typeof performanceWindows>;
const tOne = seconds(() => (one = performanceWindows({ scores, labels, ts })));
const tDaily = seconds(() => performanceWindows({ scores, labels, ts }, { windowMs: DAY }));
console.log(`window metrics, one window:        ${fmt(tOne)}`);
console.log(`window metrics, 30 daily windows:  ${fmt(tDaily)} (plus the overall window)`);

const python = '/usr/bin/python3';
if (existsSync(python)) {
  writeFileSync(join(dir, 'scores.f64'), Buffer.from(scores.buffer));
  writeFileSync(join(dir, 'labels.i8'), Buffer.from(labels.buffer));
  const run = spawnSync(python, [join(import.meta.dirname, 'performance_sklearn.py'), join(dir, 'scores.f64'), join(dir, 'labels.i8'), '0.5'], { encoding: 'utf8' });
  if (run.status !== 0) console.log(`scikit-learn run failed: ${run.stderr}`);
  else {
    const result = JSON.parse(run.stdout) as { seconds: Record<string, number>; total: number; values: Record<string, number> };
    const worst = Math.max(...PERFORMANCE_METRICS.map((m) => Math.abs(result.values[m]! - one.overall.metrics[m]!)));
    console.log(`scikit-learn, same 8 metrics:      ${fmt(result.total)} (${Object.entries(result.seconds).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')})`);
    console.log(`ratio Slipway / scikit-learn:      ${(tOne / result.total).toFixed(3)} (largest difference in value ${worst.toExponential(1)})`);
  }
} else {
  console.log('scikit-learn: /usr/bin/python3 not found, comparison skipped');
}

console.log(`\n# ${ROWS.toLocaleString('en')} rows of a prediction_log in SQLite`);
const store = Store.open(join(dir, 'slipway.db'));
const built = seconds(() => {
  const insert = store.db.prepare('INSERT INTO prediction_log (id, endpoint, model, version, ts_ms, latency_us, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const label = store.db.prepare('INSERT INTO prediction_feedback (id, label, ts_ms) VALUES (?, ?, ?)');
  const inputs = JSON.stringify({ annual_income: 52000, loan_amount: 12000, employment_years: 4, existing_debt_ratio: 0.31, credit_history_months: 84 });
  for (let start = 0; start < ROWS; start += 100_000) {
    store.db.transaction(() => {
      for (let i = start; i < Math.min(ROWS, start + 100_000); i++) {
        const id = `01J${String(i).padStart(23, '0')}`;
        const s = scores[i]!;
        insert.run(id, 'credit', 'credit', '3', ts[i], 900, inputs, JSON.stringify({ label: [s >= 0.5 ? 1 : 0], probabilities: [1 - s, s], postprocessed: { risk_tier: s > 0.35 ? 'HIGH' : 'LOW' } }));
        if (i % 2 === 0) label.run(id, labels[i], ts[i]! + 3_600_000);
      }
    })();
  }
});
console.log(`(setup: wrote the log and ${Math.ceil(ROWS / 2).toLocaleString('en')} labels in ${fmt(built)})`);
const settings = { ...defaultEndpoint('credit'), scoreOutput: 'probabilities' };
let read!: ReturnType<typeof readEndpointPredictions>;
const before = heldMb();
const tRead = seconds(() => (read = readEndpointPredictions(store, settings, '1')));
const heldTyped = heldMb() - before;
const tMetrics = seconds(() => performanceWindows(read.data, { windowMs: DAY }));
console.log(`read into typed arrays (SQLite JSON functions, streaming iterate): ${fmt(tRead)}; then 30 daily windows: ${fmt(tMetrics)}`);
let parsedRows = 0;
let kept: unknown[] = [];
const beforeNaive = heldMb();
const tNaive = seconds(() => {
  const rows = store.db.prepare(`SELECT p.ts_ms, p.outputs, (SELECT f.label FROM prediction_feedback f WHERE f.id = p.id ORDER BY f.seq DESC LIMIT 1) AS label FROM prediction_log p WHERE p.endpoint = ?`).all('credit') as { ts_ms: number; outputs: string; label: unknown }[];
  for (const row of rows) {
    const outputs = JSON.parse(row.outputs) as { probabilities: number[] };
    if (outputs.probabilities[1]! >= 0) parsedRows++;
  }
  kept = rows;
});
const heldNaive = heldMb() - beforeNaive;
console.log(`(baseline kept ${kept.length.toLocaleString('en')} row objects)`);
kept = [];
console.log(`baseline, .all() + JSON.parse per row in JS:                       ${fmt(tNaive)} (${parsedRows.toLocaleString('en')} rows)`);
console.log(`ratio typed-array read / baseline:                                   ${(tRead / tNaive).toFixed(3)}`);
if (gc) console.log(`memory held by the result: typed arrays ${heldTyped.toFixed(0)} MB; rows from .all() ${heldNaive.toFixed(0)} MB`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
store.close();
