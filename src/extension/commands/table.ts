import type { EngineState } from '../connection/connection';
import type { CommandContext } from './context';
import { DATA_COMMANDS } from '../data/commands';
import type { Precondition } from './preconditions';
import { MODEL_COMMANDS } from '../models/commands';
import { MONITORING_COMMANDS } from '../monitoring/commands';
import { SERVING_COMMANDS } from '../serving/commands';

/** One command: package.json's `contributes.commands` must list exactly these ids and titles (a test checks). */
export interface CommandSpec {
  id: string;
  title: string;
  needs: Precondition[];
  /** A codicon for view toolbars (`$(refresh)`). */
  icon?: string;
  run(this: void, ctx: CommandContext, ...args: unknown[]): Promise<void> | void;
}

export const CATEGORY = 'Slipway';

/** A run id given by a tree row (its command argument) or typed in by another extension. */
function runIdFrom(arg: unknown): string | undefined {
  if (typeof arg === 'string' && /^[0-9a-f]{32}$/.test(arg)) return arg;
  if (arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' && arg.id.startsWith('run:')) return arg.id.slice(4).split(':')[0];
  return undefined;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    id: 'slipway.startEngine',
    title: 'Start Engine',
    needs: ['trust'],
    async run({ engine, ui }) {
      if (engine.state.kind === 'connected') {
        ui.info(`The Slipway engine is already running at ${engine.state.engine.url} (pid ${engine.state.engine.pid}).`);
        return;
      }
      await ui.progress('Starting the Slipway engine…', () => engine.start());
      const after = engine.state as EngineState;
      if (after.kind === 'connected') ui.info(`Slipway engine started at ${after.engine.url}.`);
    },
  },
  {
    id: 'slipway.initProject',
    title: 'Initialize Project',
    needs: ['trust'],
    async run({ engine, ui }) {
      if (engine.initialized) {
        ui.info('This folder is already a Slipway project (it has a .slipway/ folder).');
        return;
      }
      await ui.progress('Initializing the Slipway project…', () => engine.initialize());
      ui.info('Initialized the Slipway project (.slipway/ is git-ignored) and started the engine.');
    },
  },
  {
    id: 'slipway.stopEngine',
    title: 'Stop Engine',
    needs: ['engine'],
    run({ engine, ui }) {
      if (!engine.stop()) ui.error('The Slipway engine was not running.');
    },
  },
  {
    id: 'slipway.showEngineStatus',
    title: 'Show Engine Status',
    needs: [],
    run({ engine, ui }) {
      const state = engine.state;
      if (state.kind === 'connected') ui.info(`Slipway engine ${state.engine.version} is running at ${state.engine.url} (pid ${state.engine.pid}).`);
      else if (state.kind === 'connecting') ui.info('Connecting to the Slipway engine…');
      else ui.error(`${state.reason} Run "Slipway: Start Engine" to start it.`);
    },
  },
  {
    id: 'slipway.refreshRuns',
    title: 'Refresh Runs',
    needs: ['engine'],
    icon: '$(refresh)',
    async run({ runs }) {
      await runs.refresh();
    },
  },
  {
    id: 'slipway.showRun',
    title: 'Show Run',
    needs: ['engine'],
    icon: '$(open-preview)',
    async run(ctx, arg) {
      const { runs, ui } = ctx;
      let runId = runIdFrom(arg);
      if (!runId) {
        const items = runs.roots.flatMap((experiment) =>
          (experiment.children ?? []).map((run) => ({ label: run.label, description: experiment.label, detail: run.description, value: run.id.slice(4) })),
        );
        if (!items.length) {
          ui.error('There are no runs to show yet. Log one with `slipway run -- <command>` first.');
          return;
        }
        runId = await ui.pick(items, 'Run to show');
      }
      if (runId) ctx.showRun(runId);
    },
  },
  ...MODEL_COMMANDS,
  ...SERVING_COMMANDS,
  ...DATA_COMMANDS,
  ...MONITORING_COMMANDS,
];
