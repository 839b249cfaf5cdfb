import { join } from 'node:path';
import type { ChangeEvent } from '../../shared/engine-api';
import { Emitter } from '../util/emitter';
import { EngineConnection } from './connection';
import type { EngineState } from './connection';
import { isInitialized, isProcessAlive } from './discovery';
import { chooseRuntime, initProject, spawnDaemon } from './launcher';

export interface EngineServiceOptions {
  root: string;
  /** Folder holding the bundled daemon.js. */
  distDir: string;
  nodePath(): string;
  /** Whether the workspace is trusted; an untrusted one gets a daemon that never runs alert commands or webhooks. */
  trusted?(): boolean;
  backoffMs?: readonly number[];
  startTimeoutMs?: number;
}

/** The extension's one handle on the engine: connection state, change events, start and stop. */
export class EngineService {
  private readonly states = new Emitter<EngineState>();
  private readonly changes = new Emitter<ChangeEvent>();
  readonly onState = this.states.event;
  readonly onChange = this.changes.event;
  private readonly connection: EngineConnection;

  constructor(private readonly options: EngineServiceOptions) {
    this.connection = new EngineConnection(options.root, {
      backoffMs: options.backoffMs,
      onState: (state) => this.states.fire(state),
      onChange: (event) => this.changes.fire(event),
    });
  }

  get state(): EngineState {
    return this.connection.current;
  }

  connect(): void {
    this.connection.start();
  }

  /** Something hints the engine may be back (its discovery file changed): try at once. */
  nudge(): void {
    this.connection.retryNow();
  }

  get initialized(): boolean {
    return isInitialized(this.options.root);
  }

  /** `slipway init` in the workspace (creates .slipway/ and git-ignores it), then starts the engine. */
  async initialize(): Promise<void> {
    if (!this.initialized) await initProject(this.options.root, join(this.options.distDir, 'cli.js'), this.runtime());
    await this.start();
  }

  private runtime() {
    return chooseRuntime(this.options.nodePath(), process.versions, process.execPath);
  }

  /** Resolves once the connection is live: reuses a running daemon, else starts one and waits until it serves. */
  async start(): Promise<void> {
    if (this.state.kind === 'connected') return;
    if (!this.initialized) throw new Error(`${this.options.root} is not a Slipway project yet. Run "Slipway: Initialize Project" (or \`slipway init\`) first.`);
    const runtime = this.runtime();
    const args = this.options.trusted?.() === false ? ['--untrusted'] : [];
    const child = spawnDaemon(this.options.root, join(this.options.distDir, 'daemon.js'), runtime, args);
    const limit = this.options.startTimeoutMs ?? 20_000;
    await new Promise<void>((resolve, reject) => {
      const log = join(this.options.root, '.slipway', 'engine.log');
      const done = (error?: Error) => {
        clearTimeout(timeout);
        clearInterval(retry);
        listener.dispose();
        if (error) reject(error);
        else resolve();
      };
      const timeout = setTimeout(() => done(new Error(`The Slipway engine did not start within ${limit / 1000} s. See ${log}.`)), limit);
      const listener = this.onState((state) => state.kind === 'connected' && done());
      child.once('error', (error) => done(new Error(`Could not run ${runtime.command}: ${error.message}. Set slipway.engine.nodePath to a Node.js 20 binary.`)));
      child.once('exit', (code) => {
        // Another window may have started the engine first; the daemon then exits and we attach to that one.
        this.nudge();
        setTimeout(() => {
          if (this.state.kind !== 'connected') done(new Error(`The Slipway engine exited with code ${code ?? 'null'} while starting. See ${log}.`));
        }, 1000);
      });
      // Bounded wait for the daemon's first answer, only while starting.
      const retry = setInterval(() => this.nudge(), 200);
      if (this.state.kind === 'connected') done();
    });
  }

  /** Stops the daemon this workspace uses (SIGTERM: it finishes in-flight writes and removes its discovery file). */
  stop(): boolean {
    if (this.state.kind !== 'connected') return false;
    const { pid } = this.state.engine;
    if (!isProcessAlive(pid)) return false;
    process.kill(pid, 'SIGTERM');
    return true;
  }

  dispose(): void {
    this.connection.dispose();
    this.states.dispose();
    this.changes.dispose();
  }
}
