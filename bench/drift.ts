/**
 * Drift benchmark: 1M reference + 1M current rows × 100 columns (80 numerical, 20 categorical), from Parquet and
 * from CSV. Times read, statistics and render separately with peak RSS per format (each in its own process), then
 * times the same per-column statistics with SciPy (/usr/bin/python3 bench/drift_scipy.py) and prints the ratio.
 *
 *   node --import tsx bench/drift.ts [--rows N]     (data is generated once with DuckDB under $TMPDIR)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareTablesParallel, renderDriftHtml } from '../src/engine/drift';
import { readTables } from '../src/engine/tables';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };
const ROWS = Number(flag('--rows') ?? 1_000_000);
const NUMERIC = 80;
const CATEGORICAL = 20;
const dir = join(process.env.SLIPWAY_BENCH_DIR ?? tmpdir(), `slipway-bench-drift-${ROWS}`);
const file = (side: string, ext: string): string => join(dir, `${side}.${ext}`);

function columnsSql(current: boolean): string {
  const cols: string[] = [];
  for (let k = 0; k < NUMERIC; k++) {
    const shift = current && k % 5 === 0 ? 0.25 : 0;
    const normal = 'sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())';
    const expr = [
      `${k} + ${1 + (k % 5)} * (${normal} + ${shift})`,
      `-ln(1 - random()) * ${2 + (k % 7)} * ${1 + shift}`,
      `random() * 100 + ${shift * 30}`,
      `round(random() * 1000 + ${shift * 300})`,
    ][k % 4]!;
    const nulls = k % 10 === 1 ? `CASE WHEN random() < 0.01 THEN NULL ELSE round(${expr}, 4) END` : `round(${expr}, 4)`;
    cols.push(`${nulls} AS num_${k}`);
  }
  for (let k = 0; k < CATEGORICAL; k++) {
    const power = current && k % 4 === 0 ? 1.4 : 1;
    cols.push(`'v' || floor(pow(random(), ${power}) * ${5 + 5 * k})::INTEGER AS cat_${k}`);
  }
  return cols.join(',\n');
}

async function generate(): Promise<void> {
  if (existsSync(join(dir, 'done'))) return;
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const side of ['reference', 'current']) {
    await c.run(`CREATE TABLE ${side} AS SELECT ${columnsSql(side === 'current')} FROM range(${ROWS})`);
    await c.run(`COPY ${side} TO '${file(side, 'parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
    await c.run(`COPY ${side} TO '${file(side, 'csv')}' (FORMAT csv, HEADER true)`);
  }
  c.closeSync();
  writeFileSync(join(dir, 'done'), '');
  console.log(`generated ${ROWS} rows × ${NUMERIC + CATEGORICAL} columns per side in ${((performance.now() - started) / 1000).toFixed(1)} s (${dir})`);
}

interface Phase {
  format: string; readMs: number; readCpuMs: number; statisticsMs: number; statisticsCpuMs: number; renderMs: number;
  htmlBytes: number; drifted: number; maxRssMb: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };

/** One format in this process: read both sides, compare, render. */
async function phase(format: 'parquet' | 'csv'): Promise<void> {
  // As runDrift does: both files read at once on worker threads, columns tested on two threads.
  let t = performance.now();
  let cpu = process.cpuUsage();
  const [reference, current] = await readTables([{ path: file('reference', format) }, { path: file('current', format) }]);
  const readMs = performance.now() - t;
  const readCpuMs = cpuMs(cpu);
  t = performance.now();
  cpu = process.cpuUsage();
  const report = await compareTablesParallel(reference!, current!);
  const statisticsMs = performance.now() - t;
  const statisticsCpuMs = cpuMs(cpu);
  t = performance.now();
  const html = renderDriftHtml(report);
  const renderMs = performance.now() - t;
  if (format === 'parquet') {
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    writeFileSync(join(dir, 'tests.json'), JSON.stringify(Object.fromEntries(report.columns.map((c) => [c.column, c.test]))));
    writeFileSync(join(dir, 'report.html'), html);
  }
  const result: Phase = { format, readMs, readCpuMs, statisticsMs, statisticsCpuMs, renderMs, htmlBytes: Buffer.byteLength(html), drifted: report.number_of_drifted_columns, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(result));
}

function child(format: string): Phase {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--rows', String(ROWS), '--phase', format], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${format} phase failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Phase;
}

async function main(): Promise<void> {
  const only = flag('--phase');
  if (only === 'parquet' || only === 'csv') return phase(only);
  await generate();
  const sizes = ['parquet', 'csv'].map((f) => `${f} ${(statSync(file('reference', f)).size / 2 ** 20).toFixed(0)} MB/side`).join(', ');
  console.log(`data: ${sizes}`);
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const results: Phase[] = [];
  for (const format of ['parquet', 'csv']) {
    const r = child(format);
    results.push(r);
    console.log(`${r.format.padEnd(8)} read ${s(r.readMs)} s (cpu ${s(r.readCpuMs)} s) · statistics ${s(r.statisticsMs)} s (cpu ${s(r.statisticsCpuMs)} s) · render ${s(r.renderMs)} s (${(r.htmlBytes / 1024).toFixed(0)} KB HTML) · peak RSS ${r.maxRssMb.toFixed(0)} MB · ${r.drifted} drifted`);
  }
  const parquet = results[0]!;
  const total = parquet.readMs + parquet.statisticsMs + parquet.renderMs;
  console.log(`whole report from Parquet: ${s(total)} s (target < 45 s) ${total < 45_000 ? 'OK' : 'MISSED'}`);
  const py = spawnSync('/usr/bin/python3', [join(__dirname, 'drift_scipy.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) {
    console.log(`SciPy baseline not run: ${py.stderr.trim().split('\n').pop() ?? 'python3 failed'}`);
    return;
  }
  const scipy = JSON.parse(py.stdout.trim().split('\n').pop()!) as { statistics_s: number; statistics_cpu_s: number; by_test: Record<string, number>; scipy: string };
  const ratio = parquet.statisticsMs / 1000 / scipy.statistics_s;
  const cpuRatio = parquet.statisticsCpuMs / 1000 / scipy.statistics_cpu_s;
  console.log(`SciPy ${scipy.scipy} statistics: ${scipy.statistics_s.toFixed(2)} s (cpu ${scipy.statistics_cpu_s.toFixed(2)} s; ${Object.entries(scipy.by_test).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')})`);
  console.log(`statistics ratio Slipway / SciPy: ${ratio.toFixed(3)} wall, ${cpuRatio.toFixed(3)} cpu (target <= 0.3) ${ratio <= 0.3 ? 'OK' : 'MISSED'}`);
}

main().catch((error: unknown) => { console.error(error); process.exit(1); });
