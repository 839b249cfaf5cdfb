/**
 * The daemon's monitor scheduler: sleeps until the next monitor window closes, then evaluates the due monitors on a
 * worker thread, one evaluation at a time. slipway.yaml is re-read when it changes. A failing monitor is stored as a
 * report with status `error` by the evaluation itself; anything else that goes wrong is logged and retried later,
 * never thrown into the daemon.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { MonitorRunOutput } from '../../shared/monitoring';
import { messageOf } from '../errors';
import { workerReply, workerScript } from '../threads';
import type { LiveProject } from './live-config';
import { evaluatedUntil } from './records';
import { runMonitors } from './run';
import { nextDue } from './window';

/** Wait after a window closes, so predictions answered at its very end have left the serving log's batch. */
export const GRACE_MS = 500;
/** Longest sleep: settings are looked at again at least this often even if no file event arrives. */
const MAX_SLEEP_MS = 30_000;
/** Pause after a run that failed as a whole (e.g. slipway.yaml does not parse). */
const RETRY_MS = 30_000;

type Reply = { ok: true; output: MonitorRunOutput } | { ok: false; code: string; message: string };

async function inWorker(script: string, data: { root: string; names: string[]; trusted: boolean }): Promise<MonitorRunOutput> {
  const reply = await workerReply<Reply>(script, data, (code) => new Error(`monitor worker stopped unexpectedly (exit ${code})`));
  if (reply.ok) return reply.output;
  throw new Error(reply.message);
}

export interface SchedulerOptions {
  /** False for an untrusted workspace: alert commands and webhooks are skipped. */
  trusted: boolean;
  log?: (line: string) => void;
}

export class MonitorScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private watcher: FSWatcher | null = null;
  private retryAt = 0;

  constructor(private readonly live: LiveProject, private readonly options: SchedulerOptions) {}

  start(): void {
    const project = this.live.current;
    try {
      // A change of slipway.yaml wakes the scheduler at once (new monitors, other windows).
      this.watcher = watch(project.paths.root, (_event, file) => {
        if (file === 'slipway.yaml') this.schedule(0);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = null;
    }
    this.schedule(0);
  }

  /** Stops scheduling and waits for an evaluation in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    await this.running;
  }

  /** Names of monitors with a closed, unevaluated window, and when the next one closes. */
  private due(now: number): { names: string[]; next: number } {
    const project = this.live.current;
    const names: string[] = [];
    let next = Infinity;
    for (const m of Object.values(project.config.settings.monitors.monitors)) {
      const at = nextDue(m.windowMs, now, evaluatedUntil(project.store, m.name)) + GRACE_MS;
      if (at <= now) names.push(m.name);
      else next = Math.min(next, at);
    }
    return { names, next };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), Math.max(0, Math.min(delayMs, MAX_SLEEP_MS)));
  }

  private tick(): void {
    if (this.stopped || this.running) return;
    const now = Date.now();
    if (now < this.retryAt) return this.schedule(this.retryAt - now);
    let due: { names: string[]; next: number };
    try {
      due = this.due(now);
    } catch (error) {
      this.options.log?.(`monitors: cannot schedule: ${messageOf(error)}`);
      return this.schedule(RETRY_MS);
    }
    if (!due.names.length) return this.schedule(due.next - now);
    this.running = this.evaluate(due.names).finally(() => {
      this.running = null;
      this.schedule(0);
    });
  }

  private async evaluate(names: string[]): Promise<void> {
    const root = this.live.current.paths.root;
    const script = workerScript(__dirname, 'monitor-worker.js');
    try {
      const output = script
        ? await inWorker(script, { root, names, trusted: this.options.trusted })
        : await runMonitors(this.live.current, { names, trusted: this.options.trusted });
      for (const r of output.reports) this.options.log?.(`monitor ${r.monitor} ${new Date(r.window_start_ms).toISOString()}: ${r.status}: ${r.summary}`);
      for (const a of output.alerts) this.options.log?.(`alert ${a.id} (${a.rule}) on ${a.monitor}: ${a.actions.map((x) => `${x.kind} ${x.status}`).join(', ') || 'no actions'}`);
      if (!output.reports.length) this.retryAt = Date.now() + RETRY_MS;
    } catch (error) {
      this.options.log?.(`monitors: evaluation failed: ${messageOf(error)}`);
      this.retryAt = Date.now() + RETRY_MS;
    }
  }
}
