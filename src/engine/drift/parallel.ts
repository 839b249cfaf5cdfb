/**
 * Tests columns on two threads: a worker takes about half of the work (by row count) while this thread does the
 * rest. Column data is copied to the worker (structured clone), so the caller's tables stay intact. Small inputs,
 * single-CPU machines and runs without the worker script stay on this thread.
 */
import { availableParallelism } from 'node:os';
import type { ErrorCode } from '../errors';
import { SlipwayError } from '../errors';
import { workerReply, workerScript } from '../threads';
import type { Column } from '../tables/types';
import type { ColumnJob, ColumnOutcome } from './compare';
import { runColumnJob } from './compare';

const PARALLEL_MIN_VALUES = 2_000_000;

type Reply = { ok: true; outcomes: ColumnOutcome[] } | { ok: false; code: ErrorCode; message: string };

const size = (c: Column): number => ('values' in c ? c.values.length * 2 : c.codes.length / 2);
const weight = (job: ColumnJob): number => size(job.reference) + size(job.current);

async function inWorker(script: string, jobs: ColumnJob[]): Promise<ColumnOutcome[]> {
  const reply = await workerReply<Reply>(script, jobs, (code) => new SlipwayError('INTERNAL_ERROR', `Drift worker stopped unexpectedly (exit ${code}).`));
  if (reply.ok) return reply.outcomes;
  throw new SlipwayError(reply.code, reply.message);
}

/** Outcomes of `jobs`, in order, computed on up to two threads. */
export async function runColumnJobs(jobs: readonly ColumnJob[]): Promise<ColumnOutcome[]> {
  const total = jobs.reduce((s, j) => s + weight(j), 0);
  const script = total >= PARALLEL_MIN_VALUES && jobs.length > 1 && availableParallelism() > 1 ? workerScript(__dirname, 'drift-worker.js') : undefined;
  if (!script) return jobs.map(runColumnJob);
  // Greedy split by weight, heaviest first, so both threads finish at about the same time.
  const order = jobs.map((_, i) => i).sort((a, b) => weight(jobs[b]!) - weight(jobs[a]!));
  const remote: number[] = [];
  const local: number[] = [];
  let remoteWeight = 0;
  let localWeight = 0;
  for (const i of order) {
    if (remoteWeight <= localWeight) { remote.push(i); remoteWeight += weight(jobs[i]!); }
    else { local.push(i); localWeight += weight(jobs[i]!); }
  }
  const pending = inWorker(script, remote.map((i) => jobs[i]!));
  // Let the worker start before this thread is busy.
  await new Promise((resolve) => setImmediate(resolve));
  const outcomes: ColumnOutcome[] = new Array<ColumnOutcome>(jobs.length);
  let localError: Error | undefined;
  try {
    for (const i of local) outcomes[i] = runColumnJob(jobs[i]!);
  } catch (error) {
    localError = error instanceof Error ? error : new Error(String(error));
  }
  // Wait for the worker either way, so no thread outlives the call.
  const fromWorker = await pending.catch((error: unknown) => { throw localError ?? error; });
  if (localError) throw localError;
  remote.forEach((i, k) => { outcomes[i] = fromWorker[k]!; });
  return outcomes;
}
