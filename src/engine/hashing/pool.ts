import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './worker-source';

/** What the pool learned about one file. */
export type FileHashResult =
  | { md5: string; size: number; ino: string; mtimeNs: string; mode: number; stored: boolean; error?: undefined }
  | { error: { code: string; message: string; path?: string } };

/** Write the hashed bytes into this content-addressed store while hashing (one pass over the file). */
export interface StoreTarget {
  root: string;
  fsync: boolean;
}

export interface HashJob {
  path: string;
  /** Size if known (from a directory walk); used to balance batches. */
  size?: number;
}

interface Task {
  id: number;
  files: string[];
  store: StoreTarget | null;
}

interface Reply {
  id: number;
  progress: number;
  results?: FileHashResult[];
}

const BATCH_FILES = 256;
const BATCH_BYTES = 64 << 20;

/**
 * A fixed set of hashing workers (one per core, at most 8). Files are sent in batches, so per-message overhead is
 * paid once per few hundred small files, while a large file travels alone and keeps one core busy. Workers are
 * started on first use and do not keep the process alive when idle.
 */
export class HashPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { task: Task; resolve: (r: FileHashResult[]) => void; reject: (e: Error) => void; onBytes?: (n: number) => void }[] = [];
  private readonly running = new Map<Worker, (typeof this.queue)[number]>();
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number = Math.max(1, Math.min(8, availableParallelism()))) {}

  /** Hashes (and with `store`, stores) each file. Results are in the order of `jobs`; failures are per file. */
  async run(jobs: readonly HashJob[], options: { store?: StoreTarget; onBytes?: (bytes: number) => void } = {}): Promise<FileHashResult[]> {
    const batches = makeBatches(jobs);
    const results: FileHashResult[] = new Array<FileHashResult>(jobs.length);
    await Promise.all(
      batches.map(async (batch) => {
        const out = await this.submit(
          batch.map((i) => jobs[i]!.path),
          options.store ?? null,
          options.onBytes,
        );
        batch.forEach((index, k) => (results[index] = out[k]!));
      }),
    );
    return results;
  }

  /** Stops the workers. Pending work fails. */
  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.splice(0)) item.reject(new Error('The hashing pool was closed.'));
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }

  private submit(files: string[], store: StoreTarget | null, onBytes?: (n: number) => void): Promise<FileHashResult[]> {
    if (this.closed) return Promise.reject(new Error('The hashing pool was closed.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { id: this.nextId++, files, store }, resolve, reject, onBytes });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let worker = this.idle.pop();
      if (!worker && this.workers.length < this.size) worker = this.spawn();
      if (!worker) return;
      const item = this.queue.shift()!;
      this.running.set(worker, item);
      worker.ref();
      worker.postMessage(item.task);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    this.workers.push(worker);
    worker.on('message', (reply: Reply) => {
      const item = this.running.get(worker);
      if (!item) return;
      if (reply.progress) item.onBytes?.(reply.progress);
      if (!reply.results) return;
      this.running.delete(worker);
      worker.unref();
      this.idle.push(worker);
      item.resolve(reply.results);
      this.pump();
    });
    worker.on('error', (error) => {
      const item = this.running.get(worker);
      this.running.delete(worker);
      this.workers.splice(this.workers.indexOf(worker), 1);
      item?.reject(error);
      this.pump();
    });
    return worker;
  }
}

function makeBatches(jobs: readonly HashJob[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  jobs.forEach((job, i) => {
    const size = job.size ?? 0;
    if (current.length && (current.length >= BATCH_FILES || bytes + size > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length) batches.push(current);
  return batches;
}
