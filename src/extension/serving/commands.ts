import { readFile } from 'node:fs/promises';
import type { EndpointDiscovery } from '../../shared/serving';
import type { CommandContext } from '../commands/context';
import type { CommandSpec } from '../commands/table';
import { modelFromArg } from '../models/collect';
import { sendPrediction, stopServing } from './process';

/** MODELREFs a user may serve: every alias (it follows the alias as it moves) and every version. */
export function modelRefChoices(ctx: CommandContext, arg: unknown): { label: string; description: string; value: string }[] {
  const given = modelFromArg(arg);
  const { models, versions } = ctx.models.tree;
  const refs: { label: string; description: string; value: string }[] = [];
  for (const model of [...models].sort((a, b) => a.name.localeCompare(b.name))) {
    if (given && given.name !== model.name) continue;
    for (const a of model.aliases ?? []) {
      if (!given?.version || given.version === a.version) refs.push({ label: `${model.name}@${a.alias}`, description: `v${a.version}; follows the alias when it moves`, value: `${model.name}@${a.alias}` });
    }
    for (const v of versions.filter((v) => v.name === model.name).sort((a, b) => Number(b.version) - Number(a.version))) {
      if (!given?.version || given.version === v.version) refs.push({ label: `${model.name}:${v.version}`, description: 'this version only', value: `${model.name}:${v.version}` });
    }
  }
  return refs;
}

/** An endpoint to act on: those serving the version a tree row names, else all; asks only when there are several. */
async function pickEndpoint(ctx: CommandContext, placeholder: string, arg?: unknown): Promise<EndpointDiscovery | undefined> {
  await ctx.models.endpoints.reload();
  const row = modelFromArg(arg);
  const all = ctx.models.endpoints.endpoints;
  const endpoints = row?.version ? all.filter((e) => e.model === row.name && e.version === row.version) : all;
  if (!endpoints.length) {
    ctx.ui.error('Nothing is being served from this workspace. Start an endpoint with "Slipway: Serve Model" or `slipway serve MODELREF`.');
    return undefined;
  }
  if (endpoints.length === 1) return endpoints[0];
  return ctx.ui.pick(
    endpoints.map((e) => ({ label: e.name, description: `${e.model}:${e.version} at ${e.url}`, detail: `pid ${e.pid}`, value: e })),
    placeholder,
  );
}

export const SERVING_COMMANDS: readonly CommandSpec[] = [
  {
    id: 'slipway.serveModel',
    title: 'Serve Model',
    needs: ['trust', 'engine'],
    icon: '$(play)',
    async run(ctx, arg) {
      const choices = modelRefChoices(ctx, arg);
      if (!choices.length) {
        ctx.ui.error('There is no registered model version to serve. Register an ONNX model with `slipway models register NAME model.onnx --schema model.schema.yaml` first.');
        return;
      }
      const ref = choices.length === 1 && arg ? choices[0]!.value : await ctx.ui.pick(choices, 'Model to serve (NAME@ALIAS follows the alias)');
      if (!ref) return;
      const endpoint = await ctx.ui.progress(`Starting ${ref}…`, () => ctx.models.serve(ref));
      ctx.ui.info(`Serving ${endpoint.model}:${endpoint.version} at ${endpoint.url} (pid ${endpoint.pid}).`);
    },
  },
  {
    id: 'slipway.stopServing',
    title: 'Stop Serving',
    needs: [],
    icon: '$(debug-stop)',
    async run(ctx, arg) {
      const endpoint = await pickEndpoint(ctx, 'Endpoint to stop', arg);
      if (!endpoint) return;
      const outcome = await stopServing(endpoint, ctx.models.endpoints);
      if (outcome === 'stopped') ctx.ui.info(`Stopped ${endpoint.name} (pid ${endpoint.pid}).`);
      else if (outcome === 'gone') ctx.ui.error(`${endpoint.name} had already stopped (pid ${endpoint.pid} is gone).`);
      else ctx.ui.error(`${endpoint.name} (pid ${endpoint.pid}) is still running 10 s after SIGTERM; end it with \`kill -9 ${endpoint.pid}\`.`);
    },
  },
  {
    id: 'slipway.requestPlayground',
    title: 'Request Playground',
    needs: [],
    icon: '$(send)',
    async run(ctx, arg) {
      const endpoint = await pickEndpoint(ctx, 'Endpoint to send the request to', arg);
      if (!endpoint) return;
      const files = await ctx.models.requestFiles();
      if (!files.length) {
        ctx.ui.error('No JSON file to send: save a request body (one row as an object, or an array of rows) as a .json file in the workspace.');
        return;
      }
      const file = await ctx.ui.pick(
        files.map((f) => ({ label: ctx.models.relative(f), value: f })),
        `JSON request body for ${endpoint.name}`,
      );
      if (!file) return;
      const body = await readFile(file, 'utf8');
      try {
        JSON.parse(body);
      } catch (error) {
        ctx.ui.error(`${ctx.models.relative(file)} is not valid JSON (${(error as Error).message}). Fix it and send again.`);
        return;
      }
      const answer = await ctx.ui.progress(`POST ${endpoint.url}/predict…`, () => sendPrediction(endpoint, body));
      await ctx.ui.openUntitled(answer.text, 'json');
      if (answer.status >= 400) ctx.ui.error(`${endpoint.name} answered HTTP ${answer.status}; the response is in the new editor.`);
    },
  },
];
