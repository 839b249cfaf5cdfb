/**
 * Worker-thread entry that reads one table and hands its typed arrays back without copying (transfer list).
 * Bundles ship it as `tables-worker.js` next to the main bundle (see src/engine/tables/parallel.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlipwayError } from '../errors';
import { readTable } from './read';
import type { ReadOptions } from './types';

interface Job { path: string; options: ReadOptions }

async function run(): Promise<void> {
  const job = workerData as Job;
  try {
    const table = await readTable(job.path, job.options);
    const buffers = table.columns.map((c) => ('values' in c ? c.values.buffer : c.codes.buffer)) as ArrayBuffer[];
    parentPort!.postMessage({ ok: true, table }, buffers);
  } catch (error) {
    const code = error instanceof SlipwayError ? error.code : 'INTERNAL_ERROR';
    parentPort!.postMessage({ ok: false, code, message: (error as Error).message });
  }
}

void run();
