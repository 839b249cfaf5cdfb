// Serving throughput and latency: in-process session.run next to HTTP /predict driven by wrk from another process.
//   node --import tsx bench/serving.ts            (BENCH_SECONDS=10 per wrk run, BENCH_SUSTAIN_SECONDS=120)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoadedModel, defaultEndpoint } from '../src/engine/serving';
import { validateRows } from '../src/engine/serving/rows';
import { loadColumnSchema } from '../src/engine/validation';

const root = join(import.meta.dirname, '..');
const models = join(root, 'test', 'fixtures', 'models');
const modelFile = join(models, 'credit_matrix.onnx');
const schemaFile = join(models, 'credit_matrix.schema.yaml');
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const sustain = Number(process.env.BENCH_SUSTAIN_SECONDS ?? 120);
const row = { annual_income: 57080.1, loan_amount: 19728.68, employment_years: 1.3, existing_debt_ratio: 0.1427, credit_history_months: 152 };

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function inProcess(concurrency: number): Promise<{ p50: number; p99: number; rate: number }> {
  const schema = loadColumnSchema(schemaFile);
  const model = await LoadedModel.load({ name: 'credit', version: 'bench', modelFile, schema }, defaultEndpoint('credit'));
  const batch = validateRows(schema, [row]);
  const latencies: number[] = [];
  const until = performance.now() + Math.min(seconds, 5) * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const start = performance.now();
      await model.predict(batch);
      latencies.push((performance.now() - start) * 1000);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await model.release();
  latencies.sort((a, b) => a - b);
  return { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), rate: latencies.length / elapsed };
}

function toMicros(text: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(text)!;
  const value = Number(match[1]);
  return match[2] === 'us' ? value : match[2] === 'ms' ? value * 1000 : value * 1e6;
}

function wrk(url: string, connections: number, duration: number, script: string): { p50: number; p99: number; rate: number; non2xx: number } {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', script, `${url}/predict`], { encoding: 'utf8' });
  const p50 = toMicros(/50%\s+(\S+)/.exec(out)![1]!);
  const p99 = toMicros(/99%\s+(\S+)/.exec(out)![1]!);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { p50, p99, rate, non2xx };
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  const script = join(work, 'predict.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '${JSON.stringify(row)}'\n`);
  const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/engine/serving/main.ts'), '--model-file', modelFile, '--schema', schemaFile, '--port', '0', '--project', work], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    server.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
  });
  try {
    wrk(url, 8, 2, script); // warm-up: JIT, session arenas
    const rows: string[] = [];
    const print = (label: string, r: { p50: number; p99: number; rate: number }, base?: number) =>
      rows.push(`| ${label} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.rate.toFixed(0)} | ${base ? (r.rate / base).toFixed(2) : '1.00'} |`);
    for (const c of [1, 32]) {
      const local = await inProcess(c);
      const http = wrk(url, c, seconds, script);
      if (http.non2xx) throw new Error(`${http.non2xx} non-2xx responses at concurrency ${c}`);
      print(`in-process predict, c=${c}`, local);
      print(`HTTP POST /predict (wrk), c=${c}`, http, local.rate);
    }
    const os = await import('node:os');
    console.log(`node ${process.versions.node}, ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${seconds} s per HTTP run, prediction log on`);
    console.log('| measurement | p50 µs | p99 µs | requests/s | ratio to in-process |\n|---|---|---|---|---|');
    console.log(rows.join('\n'));

    // Sustained load: RSS at 30 s and at the end, prediction log on.
    const early = Math.min(30, sustain / 4);
    const load = spawn('wrk', ['-t1', '-c32', `-d${sustain}s`, '-s', script, `${url}/predict`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let loadOut = '';
    load.stdout.on('data', (chunk: Buffer) => (loadOut += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, early * 1000));
    const rssEarly = rssKb(server.pid!);
    await new Promise((resolve) => load.once('exit', resolve));
    const rssLate = rssKb(server.pid!);
    const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(loadOut)?.[1] ?? 0);
    console.log(`sustained c=32 for ${sustain} s: ${rate.toFixed(0)} req/s; RSS ${(rssEarly / 1024).toFixed(1)} MiB at ${early} s → ${(rssLate / 1024).toFixed(1)} MiB at ${sustain} s (${(((rssLate - rssEarly) / rssEarly) * 100).toFixed(1)} %)`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
