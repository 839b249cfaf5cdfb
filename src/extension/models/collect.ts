import type { ModelVersion, RegisteredModel } from '../../shared/mlflow-registry';
import type { EndpointDiscovery } from '../../shared/serving';
import type { TreeNode } from '../tree/node';
import { servedByVersion } from '../serving/served-state';

/** Tree ids: `model:<name>` and `modelversion:<version>:<name>` (the version first, since names may hold colons). */
export function modelNodeId(name: string): string {
  return `model:${name}`;
}

export function versionNodeId(name: string, version: string): string {
  return `modelversion:${version}:${name}`;
}

/** The model (and version) a tree row or a command argument names. */
export function modelFromArg(arg: unknown): { name: string; version?: string } | undefined {
  const id = arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' ? arg.id : undefined;
  if (!id) return undefined;
  const version = /^modelversion:(\d+):(.+)$/.exec(id);
  if (version) return { name: version[2]!, version: version[1]! };
  if (id.startsWith('model:') && id.length > 6) return { name: id.slice(6) };
  return undefined;
}

const STAGE_ICONS: Record<string, string> = { Production: 'rocket', Staging: 'beaker', Archived: 'archive' };

function versionNode(version: ModelVersion, served: readonly EndpointDiscovery[]): TreeNode {
  const aliases = [...(version.aliases ?? [])].sort();
  const stage = version.current_stage && version.current_stage !== 'None' ? version.current_stage : undefined;
  const run = version.run_id ? `run ${version.run_id.slice(0, 8)}` : undefined;
  const serving = served.map((e) => `serving :${e.port}`);
  const description = [aliases.map((a) => `@${a}`).join(' '), stage, ...serving, run].filter(Boolean).join(' · ');
  const tooltip = [
    `${version.name} version ${version.version}`,
    `Aliases: ${aliases.length ? aliases.join(', ') : 'none'}`,
    `Stage: ${version.current_stage ?? 'None'}`,
    version.run_id ? `Source run: ${version.run_id}` : 'Source run: none (registered from a file)',
    `Source: ${version.source}`,
    `Registered: ${new Date(version.creation_timestamp).toISOString()}`,
    ...(version.description ? [`Description: ${version.description}`] : []),
    ...served.map((e) => `Served as ${e.name} at ${e.url} (pid ${e.pid})`),
  ].join('\n');
  return {
    id: versionNodeId(version.name, version.version),
    label: `v${version.version}`,
    description,
    tooltip,
    icon: served.length ? { id: 'server-process', color: 'charts.green' } : { id: STAGE_ICONS[version.current_stage] ?? 'package' },
    collapsible: 'none',
    contextValue: served.length ? 'modelVersion.served' : 'modelVersion',
    ...(version.run_id ? { command: { command: 'slipway.showRun', title: 'Show Run', arguments: [version.run_id] } } : {}),
  };
}

/**
 * The Models tree: registered models by name, each with its versions newest first; a version row shows its aliases,
 * stage, the endpoints serving it and its source run. Versions of models missing from `models` are dropped.
 */
export function collectModelsTree(models: readonly RegisteredModel[], versions: readonly ModelVersion[], endpoints: readonly EndpointDiscovery[]): TreeNode[] {
  const byModel = new Map<string, ModelVersion[]>();
  for (const version of versions) byModel.set(version.name, [...(byModel.get(version.name) ?? []), version]);
  const served = servedByVersion(endpoints);
  return [...models]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((model) => {
      const own = (byModel.get(model.name) ?? []).sort((a, b) => Number(b.version) - Number(a.version));
      const aliases = [...(model.aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias));
      const servedCount = own.reduce((n, v) => n + (served.get(`${model.name}:${v.version}`)?.length ?? 0), 0);
      const description = [own.length === 1 ? '1 version' : `${own.length} versions`, ...aliases.map((a) => `@${a.alias}→v${a.version}`), servedCount ? `${servedCount} serving` : '']
        .filter(Boolean)
        .join(' · ');
      return {
        id: modelNodeId(model.name),
        label: model.name,
        description,
        tooltip: [`Registered model ${model.name}`, ...(model.description ? [model.description] : []), `Updated: ${new Date(model.last_updated_timestamp).toISOString()}`].join('\n'),
        icon: { id: 'library' },
        collapsible: 'expanded',
        contextValue: 'model',
        children: own.map((version) => versionNode(version, served.get(`${model.name}:${version.version}`) ?? [])),
      } satisfies TreeNode;
    });
}

/** One picker entry per model version, newest first within each model, with its aliases. */
export function versionChoices(versions: readonly ModelVersion[], name: string): { label: string; description: string; value: string }[] {
  return versions
    .filter((v) => v.name === name)
    .sort((a, b) => Number(b.version) - Number(a.version))
    .map((v) => ({ label: `v${v.version}`, description: [...(v.aliases ?? [])].sort().map((a) => `@${a}`).join(' ') || v.current_stage, value: v.version }));
}
