/** Reads several tables at once, one worker thread per table, falling back to reading them one by one. */
import { availableParallelism } from 'node:os';
import type { ErrorCode } from '../errors';
import { SlipwayError } from '../errors';
import { workerReply, workerScript } from '../threads';
import { readTable } from './read';
import type { ReadOptions, Table } from './types';

export interface TableRequest {
  path: string;
  options?: ReadOptions;
}

type Reply = { ok: true; table: Table } | { ok: false; code: ErrorCode; message: string };

async function readInWorker(script: string, request: TableRequest): Promise<Table> {
  const workerData = { path: request.path, options: request.options ?? {} };
  const reply = await workerReply<Reply>(script, workerData, (code) => new SlipwayError('INTERNAL_ERROR', `Reading ${request.path} stopped unexpectedly (worker exit ${code}).`));
  if (reply.ok) return reply.table;
  throw new SlipwayError(reply.code, reply.message);
}

/**
 * Reads the tables in parallel when there is more than one and more than one CPU; results are in request order.
 * Each table's typed arrays are transferred from its worker, not copied.
 */
export async function readTables(requests: readonly TableRequest[]): Promise<Table[]> {
  const script = requests.length > 1 && availableParallelism() > 1 ? workerScript(__dirname, 'tables-worker.js') : undefined;
  if (!script) {
    const out: Table[] = [];
    for (const r of requests) out.push(await readTable(r.path, r.options));
    return out;
  }
  return Promise.all(requests.map((r) => readInWorker(script, r)));
}
