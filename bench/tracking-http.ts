// MLflow REST ingest and search over HTTP, against the engine daemon in its own process, load from wrk (Debian).
//   node --import tsx bench/tracking-http.ts        (BENCH_SECONDS per wrk run, default 10; needs `npm run build`)
// (a) runs/log-batch of 1,000 points with keep-alive, next to the raw SQLite insert rate measured in this run;
// (b) single runs/log-metric requests at concurrency 1 and 16; (c) runs/search with a metric filter over
// 100,000 runs x 20 metrics.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineDiscovery } from '../src/shared/engine-api';
import { initProject } from '../src/engine/project';
import { Store } from '../src/engine/store';
import { rawInsertRate } from './lib/raw-sqlite';

const root = join(import.meta.dirname, '..');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

function startDaemon(dir: string): Promise<{ engine: EngineDiscovery; stop: () => void }> {
  const child = spawn(process.execPath, [join(root, 'dist', 'daemon.js'), '--root', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => {
      const engine = JSON.parse(readFileSync(join(dir, '.slipway', 'engine.json'), 'utf8')) as EngineDiscovery;
      resolve({ engine, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`daemon exited with ${code}`)));
  });
}

async function api(engine: EngineDiscovery, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${engine.url}/api/2.0/mlflow${path}`, { method: 'POST', headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A wrk script that POSTs `body`; with `batchOf`, each request is a fresh log-batch whose steps keep increasing. */
function luaScript(engine: EngineDiscovery, body: string, batchOf?: { runId: string; size: number }): string {
  const head = `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${engine.token}"\n`;
  if (!batchOf) return `${head}wrk.body = [[${body}]]\n`;
  // Training scripts log increasing steps; re-sending one body would log the same steps over and over.
  return `${head}local n = 0
request = function()
  n = n + 1
  local parts = {}
  for i = 0, ${batchOf.size - 1} do
    parts[#parts + 1] = string.format('{"key":"m%d","value":%f,"timestamp":%d,"step":%d}', i % 5, math.sin(i), 1700000000000 + n, n * ${batchOf.size} + i)
  end
  return wrk.format(nil, nil, nil, '{"run_id":"${batchOf.runId}","metrics":[' .. table.concat(parts, ",") .. ']}')
end
`;
}

function wrk(engine: EngineDiscovery, path: string, body: string, connections: number, batchOf?: { runId: string; size: number }): { rps: number; p50: string; p99: string } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-wrk-'));
  const script = join(dir, 'post.lua');
  writeFileSync(script, luaScript(engine, body, batchOf));
  const out = execFileSync('wrk', ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', script, `${engine.url}${path}`], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (errors) throw new Error(`wrk saw ${errors[1]} error responses:\n${out}`);
  return { rps, p50: /50%\s+(\S+)/.exec(out)?.[1] ?? '?', p99: /99%\s+(\S+)/.exec(out)?.[1] ?? '?' };
}

/** Fills a store with `runs` finished runs of `metrics` latest metrics each, directly (setup, not measured). */
function populate(dbPath: string, runs: number, metrics: number): void {
  const store = Store.open(dbPath);
  const db = store.db;
  const insertRun = db.prepare("INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri) VALUES (?, '0', ?, 'bench', 'FINISHED', ?, ?, 'active', ?)");
  const insertLatest = db.prepare('INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, 0)');
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const tx = db.transaction((from: number) => {
    for (let r = from; r < Math.min(runs, from + 5000); r++) {
      const id = r.toString(16).padStart(32, '0');
      insertRun.run(id, `run-${r}`, 1_700_000_000_000 + r, 1_700_000_000_500 + r, `mlflow-artifacts:/0/${id}/artifacts`);
      for (let m = 0; m < metrics; m++) insertLatest.run(id, `m${m}`, rand(), 1_700_000_000_000 + r);
    }
  });
  for (let from = 0; from < runs; from += 5000) tx.immediate(from);
  db.exec('ANALYZE');
  store.close();
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-http-'));
  initProject(dir);
  const raw = rawInsertRate(300_000);
  const { engine, stop } = await startDaemon(dir);
  try {
    const run = (await api(engine, '/runs/create', { experiment_id: '0' })) as { run: { info: { run_id: string } } };
    const runId = run.run.info.run_id;
    const now = Date.now();
    const single = JSON.stringify({ run_id: runId, key: 'loss', value: 0.5, timestamp: now, step: 1 });

    const a = wrk(engine, '/api/2.0/mlflow/runs/log-batch', '', 4, { runId, size: 1000 });
    const points = a.rps * 1000;
    console.log(`(a) log-batch x1000 over HTTP, keep-alive, 4 connections: ${Math.round(points).toLocaleString('en-US')} points/s (${a.rps.toFixed(0)} req/s, p50 ${a.p50}, p99 ${a.p99})`);
    console.log(`    raw SQLite insert in this run: ${Math.round(raw).toLocaleString('en-US')} points/s; ratio ${(points / raw).toFixed(2)} (targets: >= 100,000 points/s and >= 0.40)`);
    for (const c of [1, 16]) {
      const b = wrk(engine, '/api/2.0/mlflow/runs/log-metric', single, c);
      console.log(`(b) log-metric, concurrency ${c}: ${Math.round(b.rps).toLocaleString('en-US')} req/s (p50 ${b.p50}, p99 ${b.p99})${c === 16 ? ' (target >= 5,000 req/s)' : ''}`);
    }
  } finally {
    stop();
  }
  await new Promise((r) => setTimeout(r, 500));
  populate(join(dir, '.slipway', 'slipway.db'), 100_000, 20);
  const second = await startDaemon(dir);
  try {
    const timings: number[] = [];
    let matched = 0;
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      const found = (await api(second.engine, '/runs/search', { experiment_ids: ['0'], filter: `metrics.m${i % 20} > 0.999`, max_results: 100, order_by: [`metrics.m${i % 20} DESC`] })) as { runs?: unknown[] };
      timings.push(performance.now() - started);
      matched = found.runs?.length ?? 0;
    }
    timings.sort((x, y) => x - y);
    console.log(`(c) runs/search, filter + order_by on a metric over 100,000 runs x 20 metrics: median ${timings[10]!.toFixed(1)} ms, max ${timings[20]!.toFixed(1)} ms (${matched} runs returned; target < 100 ms)`);
  } finally {
    second.stop();
  }
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}

void main();
