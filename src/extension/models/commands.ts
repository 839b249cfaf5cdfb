import type { CommandContext } from '../commands/context';
import type { CommandSpec } from '../commands/table';
import { modelFromArg, versionChoices } from './collect';
import { rollbackAlias, setAlias } from './fetch';

/** Said when the reason box is confirmed empty; the engine also refuses reason-less rollbacks. */
export const REASON_REQUIRED = 'A reason is required: it is kept in the model\'s audit trail next to who moved the alias and when. Nothing was changed.';

function http(ctx: CommandContext) {
  const state = ctx.engine.state;
  if (state.kind !== 'connected') throw new Error('The Slipway engine is not running.');
  return state.http;
}

async function pickModel(ctx: CommandContext, arg: unknown, placeholder: string): Promise<string | undefined> {
  const given = modelFromArg(arg)?.name ?? (typeof arg === 'string' ? arg : undefined);
  if (given) return given;
  const models = ctx.models.tree.models;
  if (!models.length) {
    ctx.ui.error('There are no registered models yet. Register one with `slipway models register NAME SOURCE` first.');
    return undefined;
  }
  return ctx.ui.pick(
    [...models].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({ label: m.name, description: (m.aliases ?? []).map((a) => `@${a.alias}→v${a.version}`).join(' '), value: m.name })),
    placeholder,
  );
}

/** Asks why; refuses (with a message) an empty answer. Undefined means stop. */
async function askReason(ctx: CommandContext, what: string): Promise<string | undefined> {
  const reason = await ctx.ui.ask(`Why ${what}? (required, kept in the audit trail)`, { placeholder: 'e.g. better AUC on the March holdout' });
  if (reason === undefined) return undefined;
  if (!reason.trim()) {
    ctx.ui.error(REASON_REQUIRED);
    return undefined;
  }
  return reason.trim();
}

export const MODEL_COMMANDS: readonly CommandSpec[] = [
  {
    id: 'slipway.refreshModels',
    title: 'Refresh Models',
    needs: ['engine'],
    icon: '$(refresh)',
    async run({ models }) {
      await models.tree.refresh();
    },
  },
  {
    id: 'slipway.setModelAlias',
    title: 'Set or Move Alias',
    needs: ['engine'],
    icon: '$(tag)',
    async run(ctx, arg) {
      const name = await pickModel(ctx, arg, 'Model whose alias to set or move');
      if (!name) return;
      let version = modelFromArg(arg)?.version;
      if (!version) {
        const choices = versionChoices(ctx.models.tree.versions, name);
        if (!choices.length) {
          ctx.ui.error(`${name} has no versions yet. Register one with \`slipway models register ${name} SOURCE\`.`);
          return;
        }
        version = await ctx.ui.pick(choices, `Version of ${name} the alias should point at`);
        if (!version) return;
      }
      const existing = (ctx.models.tree.models.find((m) => m.name === name)?.aliases ?? []).map((a) => a.alias);
      const alias = (await ctx.ui.ask(`Alias to point at ${name} v${version}`, { placeholder: existing.length ? `existing: ${existing.join(', ')}` : 'e.g. champion' }))?.trim();
      if (alias === undefined) return;
      if (!alias) {
        ctx.ui.error('An alias name is required (letters, digits, - and _), e.g. champion. Nothing was changed.');
        return;
      }
      const reason = await askReason(ctx, `point ${name}@${alias} at v${version}`);
      if (!reason) return;
      await setAlias(http(ctx), name, alias, version, reason);
      ctx.ui.info(`${name}@${alias} now points at v${version}.`);
    },
  },
  {
    id: 'slipway.rollbackModelAlias',
    title: 'Roll Back Alias',
    needs: ['engine'],
    icon: '$(history)',
    async run(ctx, arg) {
      const name = await pickModel(ctx, arg, 'Model whose alias to roll back');
      if (!name) return;
      const aliases = ctx.models.tree.models.find((m) => m.name === name)?.aliases ?? [];
      if (!aliases.length) {
        ctx.ui.error(`${name} has no aliases to roll back. Set one with "Slipway: Set or Move Alias".`);
        return;
      }
      const alias = await ctx.ui.pick(
        aliases.map((a) => ({ label: `@${a.alias}`, description: `now v${a.version}`, value: a.alias })),
        `Alias of ${name} to move back to the version that held it before`,
      );
      if (!alias) return;
      const reason = await askReason(ctx, `roll back ${name}@${alias}`);
      if (!reason) return;
      const now = await rollbackAlias(http(ctx), name, alias, reason);
      ctx.ui.info(`${name}@${alias} rolled back to v${now.version}.`);
    },
  },
  {
    id: 'slipway.showModelHistory',
    title: 'Show Model History',
    needs: ['engine'],
    icon: '$(list-ordered)',
    async run(ctx, arg) {
      const name = await pickModel(ctx, arg, 'Model whose history to show');
      if (name) await ctx.models.showHistory(name);
    },
  },
];
