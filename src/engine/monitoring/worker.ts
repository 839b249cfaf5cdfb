/**
 * Worker-thread entry that runs monitors for the daemon (src/engine/monitoring/scheduler.ts), so reading data and
 * testing columns never block the daemon's HTTP event loop. It opens its own store connection; its writes reach the
 * daemon's event stream through the change log like any other process's. Bundled as `monitor-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlipwayError } from '../errors';
import { openProjectAt, ProjectPaths } from '../project';
import { runMonitors } from './run';

interface Job { root: string; names: string[]; trusted: boolean }

async function run(): Promise<void> {
  const job = workerData as Job;
  try {
    const project = openProjectAt(new ProjectPaths(job.root));
    try {
      const output = await runMonitors(project, { names: job.names, trusted: job.trusted });
      parentPort!.postMessage({ ok: true, output });
    } finally {
      project.close();
    }
  } catch (error) {
    parentPort!.postMessage({ ok: false, code: error instanceof SlipwayError ? error.code : 'INTERNAL_ERROR', message: (error as Error).message });
  }
}

void run();
