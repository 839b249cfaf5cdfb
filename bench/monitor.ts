/**
 * Monitor benchmark: an endpoint monitor over 1M logged predictions × 10 input columns (8 numerical, 2 categorical)
 * in one window. Times reading the window of the prediction log into a typed Table, and the whole evaluation
 * (reference read, table, drift statistics, stored report), against a raw better-sqlite3 loop over the same rows
 * (iterate only, and iterate + JSON.parse of each row's inputs and outputs) measured in the same run.
 *
 *   node --import tsx bench/monitor.ts [--rows N]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateMonitor, readPredictionWindow } from '../src/engine/monitoring';
import { initProject, openProject } from '../src/engine/project';
import { defaultEndpoint } from '../src/engine/serving/config';

const args = process.argv.slice(2);
const at = args.indexOf('--rows');
const ROWS = at === -1 ? 1_000_000 : Number(args[at + 1]);
const REFERENCE_ROWS = 100_000;
const DAY = 86_400_000;
const PURPOSES = ['car', 'home', 'education', 'business', 'medical'];
const REGIONS = ['north', 'south', 'east', 'west'];

let seed = 7;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

function row(shift: number): { inputs: Record<string, number | string>; score: number } {
  const inputs: Record<string, number | string> = {};
  for (let k = 0; k < 8; k++) inputs[`f${k}`] = Math.round((k * 10 + (1 + k) * (normal() + (k % 4 === 0 ? shift : 0))) * 1e4) / 1e4;
  inputs.purpose = PURPOSES[Math.floor(rand() * PURPOSES.length)]!;
  inputs.region = REGIONS[Math.floor(rand() * REGIONS.length)]!;
  return { inputs, score: rand() };
}

const time = <T>(fn: () => T): [T, number] => { const t = performance.now(); const v = fn(); return [v, performance.now() - t]; };
const timeAsync = async <T>(fn: () => Promise<T>): Promise<[T, number]> => { const t = performance.now(); const v = await fn(); return [v, performance.now() - t]; };

async function main(): Promise<void> {
  const dir = join(process.env.SLIPWAY_BENCH_DIR ?? tmpdir(), `slipway-bench-monitor-${ROWS}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  initProject(dir);
  const ref = ['f0,f1,f2,f3,f4,f5,f6,f7,purpose,region'];
  for (let i = 0; i < REFERENCE_ROWS; i++) { const r = row(0); ref.push(Object.values(r.inputs).join(',')); }
  writeFileSync(join(dir, 'reference.csv'), `${ref.join('\n')}\n`);
  writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\nmonitors:\n  live:\n    endpoint: credit\n    reference: reference.csv\n    window: 1d\n');

  const start = Math.floor(Date.now() / DAY) * DAY - DAY;
  const project = openProject(dir);
  const [, loadMs] = time(() => project.store.write(() => {
    const insert = project.store.db.prepare('INSERT INTO prediction_log (id, endpoint, model, version, ts_ms, latency_us, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < ROWS; i++) {
      const r = row(0.3);
      insert.run(`p${String(i).padStart(8, '0')}`, 'credit', 'credit', '1', start + Math.floor((i * DAY) / ROWS), 100, JSON.stringify(r.inputs), JSON.stringify({ label: r.score > 0.5 ? 1 : 0, probabilities: [1 - r.score, r.score] }));
    }
  }));
  console.log(`setup: ${ROWS} predictions logged in ${(loadMs / 1000).toFixed(1)} s`);

  const select = project.store.db.prepare('SELECT inputs, outputs FROM prediction_log WHERE endpoint = ? AND ts_ms >= ? AND ts_ms < ?');
  const [rawCount, rawMs] = time(() => { let n = 0; for (const _ of select.raw(true).iterate('credit', start, start + DAY)) n++; return n; });
  // The same rows and latest label as the reader selects, each row's JSON parsed, one value kept.
  const withLabel = project.store.db.prepare('SELECT p.inputs, p.outputs, (SELECT f.label FROM prediction_feedback f WHERE f.id = p.id ORDER BY f.seq DESC LIMIT 1) FROM prediction_log p WHERE p.endpoint = ? AND p.ts_ms >= ? AND p.ts_ms < ?');
  const [, parseMs] = time(() => {
    const values = new Float64Array(ROWS);
    let n = 0;
    for (const r of withLabel.raw(true).iterate('credit', start, start + DAY) as Iterable<[string, string]>) {
      const inputs = JSON.parse(r[0]) as Record<string, number>;
      JSON.parse(r[1]);
      values[n++] = inputs.f0!;
    }
    return values;
  });
  const settings = defaultEndpoint('credit');
  const before = process.memoryUsage().rss;
  const [table, tableMs] = time(() => readPredictionWindow(project.store, { endpoint: 'credit', startMs: start, endMs: start + DAY, settings }));
  const tableRss = process.memoryUsage().rss - before;
  const monitor = project.config.settings.monitors.monitors.live!;
  const [reports, evalMs] = await timeAsync(() => evaluateMonitor(project, monitor, { now: start + DAY + 1000 }));
  project.close();

  const report = reports[0]!;
  console.log(`rows: ${rawCount} in the window; table: ${table.rowCount} rows × ${table.columns.length} columns (${table.columns.map((c) => c.name).join(', ')})`);
  console.log(`raw better-sqlite3 iterate (no decoding):        ${(rawMs / 1000).toFixed(2)} s`);
  console.log(`raw iterate + label + JSON.parse of each row:     ${(parseMs / 1000).toFixed(2)} s`);
  console.log(`readPredictionWindow → typed Table:              ${(tableMs / 1000).toFixed(2)} s  (${(tableMs / parseMs).toFixed(2)}× the JSON.parse loop, ${(tableMs / rawMs).toFixed(2)}× bare iterate; RSS +${(tableRss / 2 ** 20).toFixed(0)} MiB)`);
  console.log(`whole evaluation (reference ${REFERENCE_ROWS} rows, table, drift, store): ${(evalMs / 1000).toFixed(2)} s → ${report.status}: ${report.summary}`);
  rmSync(dir, { recursive: true, force: true });
}

void main();
