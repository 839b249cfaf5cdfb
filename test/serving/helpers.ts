import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServeHandle, type ServeOptions } from '../../src/engine/serving';
import type { ServeOutput } from '../../src/shared/serving';
import { lines } from '../helpers';

export const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
export const MATRIX = { modelFile: join(MODELS, 'credit_matrix.onnx'), schemaFile: join(MODELS, 'credit_matrix.schema.yaml') };
export const MATRIX_V2 = join(MODELS, 'credit_matrix_v2.onnx');
export const COLUMNS = { modelFile: join(MODELS, 'credit_columns.onnx'), schemaFile: join(MODELS, 'credit_columns.schema.yaml') };
export const NUMERIC = ['annual_income', 'loan_amount', 'employment_years', 'existing_debt_ratio', 'credit_history_months'];

export type Row = Record<string, number | string | null>;
export const testRows = JSON.parse(readFileSync(join(MODELS, 'test_inputs.json'), 'utf8')) as Row[];
export const expected = (JSON.parse(readFileSync(join(MODELS, 'expected.json'), 'utf8')) as { probabilities: Record<string, number[]> }).probabilities;

/** The rows without `purpose`, for the models whose schema has only numeric columns. */
export const numericRows: Row[] = testRows.map((row) => Object.fromEntries(NUMERIC.map((c) => [c, row[c]!])));

export const RISK_CONFIG = `version: 1
serving:
  endpoints:
    credit:
      score_output: probabilities
      positive_label: 1
      postprocess:
        risk_tier:
          thresholds:
            - { above: 0.15, label: MEDIUM }
            - { above: 0.35, label: HIGH }
          otherwise: LOW
`;

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A temp project folder, optionally with a slipway.yaml; removed when the test process exits. */
export function tempProject(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-serve-'));
  made.push(dir);
  if (config) writeFileSync(join(dir, 'slipway.yaml'), config);
  return dir;
}

export async function startServing(options: Partial<ServeOptions> = {}): Promise<ServeHandle & { root: string }> {
  const root = options.projectRoot ?? tempProject();
  const handle = await serve({ ...MATRIX, port: 0, token: 'test-token', ...options, projectRoot: root });
  return Object.assign(handle, { root });
}

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export async function request(url: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body,
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
}

export const REPO = join(import.meta.dirname, '..', '..');

export interface ServeProcess {
  child: import('node:child_process').ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The JSON document `slipway serve --json` prints once it listens (its last line starts with `}`). */
export async function serveOutput(server: import('node:child_process').ChildProcess): Promise<ServeOutput> {
  let text = '';
  for await (const line of lines(server)) {
    text += line;
    if (line.startsWith('}')) break;
  }
  return JSON.parse(text) as ServeOutput;
}

/** Spawns `node <entry> args` and resolves when it prints its "listening on URL" line. */
export async function spawnServe(args: string[], options: { cwd?: string; entry?: string[]; env?: Record<string, string> } = {}): Promise<ServeProcess> {
  const { spawn } = await import('node:child_process');
  const entry = options.entry ?? ['--import', 'tsx', join(REPO, 'src/engine/serving/main.ts')];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening: ${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

/**
 * Sixteen clients posting one row in a loop until stopped. Each response must name a version in `want` and carry
 * that version's own score, so a response computed by one version but labelled with another is caught.
 */
export function versionCheckingLoad(url: string, want: Record<string, number>, clients = 16): { seen: Record<string, number>; failures: string[]; stop: () => Promise<void> } {
  const seen: Record<string, number> = Object.fromEntries(Object.keys(want).map((v) => [v, 0]));
  const failures: string[] = [];
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      const reply = await request(`${url}/predict`, { body: numericRows[0] });
      if (reply.status !== 200) {
        failures.push(`${reply.status} ${reply.text}`);
        continue;
      }
      const body = reply.body as { version: string; score?: number };
      const score = want[body.version];
      if (score === undefined) failures.push(`unknown version ${body.version}`);
      else if (Math.abs(body.score! - score) > 1e-5) failures.push(`version ${body.version} answered ${body.score}, not its own score ${score}`);
      else seen[body.version]!++;
    }
  };
  const workers = Array.from({ length: clients }, worker);
  return {
    seen,
    failures,
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
    },
  };
}
