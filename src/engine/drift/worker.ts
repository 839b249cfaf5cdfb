/** Worker-thread entry that tests a share of the columns (src/engine/drift/parallel.ts); bundled as drift-worker.js. */
import { parentPort, workerData } from 'node:worker_threads';
import { SlipwayError } from '../errors';
import type { ColumnJob } from './compare';
import { runColumnJob } from './compare';

try {
  const outcomes = (workerData as ColumnJob[]).map(runColumnJob);
  parentPort!.postMessage({ ok: true, outcomes });
} catch (error) {
  parentPort!.postMessage({ ok: false, code: error instanceof SlipwayError ? error.code : 'INTERNAL_ERROR', message: (error as Error).message });
}
