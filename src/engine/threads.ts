/** One job on a worker thread, shared by the table reader, the drift tests and the monitor scheduler. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The worker entry for a module in `dir`: its `worker.ts` when running from source, or `bundled` (e.g.
 * `drift-worker.js`) beside the bundle; undefined when neither exists.
 */
export function workerScript(dir: string, bundled: string): string | undefined {
  return [join(dir, 'worker.ts'), join(dir, bundled)].find((p) => existsSync(p));
}

/**
 * Starts `script` with `workerData` and resolves with the one message it posts, then terminates it. Rejects with the
 * worker's own error, or with `stopped(exitCode)` when it exits without replying.
 */
export function workerReply<R>(script: string, workerData: unknown, stopped: (code: number) => Error): Promise<R> {
  return new Promise((resolve, reject) => {
    // Running from source (tests, benchmarks): register tsx inside the worker before loading the TypeScript entry.
    const worker = script.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, workerData })
      : new Worker(script, { workerData });
    let settled = false;
    worker.once('message', (reply: R) => {
      settled = true;
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', (error) => { if (!settled) { settled = true; reject(error); } });
    worker.once('exit', (code) => { if (!settled) { settled = true; reject(stopped(code)); } });
  });
}
