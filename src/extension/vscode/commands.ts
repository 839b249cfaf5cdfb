import * as vscode from 'vscode';
import type { CommandContext, Ui } from '../commands/context';
import type { Circumstances } from '../commands/preconditions';
import { unmetPrecondition } from '../commands/preconditions';
import type { CommandSpec } from '../commands/table';

const NO_FOLDER = 'Slipway works on a folder: open your project folder (File > Open Folder…), then try again.';

/** Registers every command of the table; each checks its preconditions first and reports failures in one sentence. */
export function registerCommands(table: readonly CommandSpec[], ui: Ui, ctx: CommandContext | undefined, now: () => Circumstances): vscode.Disposable[] {
  return table.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      const unmet = unmetPrecondition(spec.title, spec.needs, now());
      if (unmet || !ctx) {
        ui.error(unmet ?? NO_FOLDER);
        return;
      }
      try {
        await spec.run(ctx, ...args);
      } catch (error) {
        ui.error(`Slipway: ${spec.title} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
