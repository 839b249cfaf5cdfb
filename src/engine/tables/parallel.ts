/** Reads several tables at once, one worker thread per table, falling back to reading them one by one. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../errors';
import { SlipwayError } from '../errors';
import { readTable } from './read';
import type { ReadOptions, Table } from './types';

export interface TableRequest {
  path: string;
  options?: ReadOptions;
}

type Reply = { ok: true; table: Table } | { ok: false; code: ErrorCode; message: string };

/** The worker script: the TypeScript source when running from source, `tables-worker.js` beside a bundle. */
function workerScript(): string | undefined {
  return [join(__dirname, 'worker.ts'), join(__dirname, 'tables-worker.js')].find((p) => existsSync(p));
}

function readInWorker(script: string, request: TableRequest): Promise<Table> {
  return new Promise((resolve, reject) => {
    const workerData = { path: request.path, options: request.options ?? {} };
    // Running from source (tests, benchmarks): register tsx inside the worker before loading the TypeScript entry.
    const worker = script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, workerData })
      : new Worker(script, { workerData });
    let settled = false;
    worker.once('message', (reply: Reply) => {
      settled = true;
      if (reply.ok) resolve(reply.table);
      else reject(new SlipwayError(reply.code, reply.message));
      void worker.terminate();
    });
    worker.once('error', (error) => { if (!settled) { settled = true; reject(error); } });
    worker.once('exit', (code) => { if (!settled) { settled = true; reject(new SlipwayError('INTERNAL_ERROR', `Reading ${request.path} stopped unexpectedly (worker exit ${code}).`)); } });
  });
}

/**
 * Reads the tables in parallel when there is more than one and more than one CPU; results are in request order.
 * Each table's typed arrays are transferred from its worker, not copied.
 */
export async function readTables(requests: readonly TableRequest[]): Promise<Table[]> {
  const script = requests.length > 1 && availableParallelism() > 1 ? workerScript() : undefined;
  if (!script) {
    const out: Table[] = [];
    for (const r of requests) out.push(await readTable(r.path, r.options));
    return out;
  }
  return Promise.all(requests.map((r) => readInWorker(script, r)));
}
