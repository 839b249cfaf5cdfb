import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ModelAliasDeletedOutput, ModelShowOutput, ModelSummary, ModelsHistoryOutput, ModelsListOutput, ModelVersion, ModelVersionOutput } from '../../shared/mlflow-registry';
import { SlipwayError } from '../../engine/errors';
import { openProject, type OpenProject } from '../../engine/project';
import { ModelRegistry, parseModelRef } from '../../engine/registry';
import { action, emit, ExitWith, table, withJson } from '../output';

function short(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Opens the project and its registry for one command, closing the store afterwards. */
async function withRegistry<T>(fn: (registry: ModelRegistry, project: OpenProject) => Promise<T> | T): Promise<T> {
  const project = openProject(process.cwd());
  try {
    return await fn(new ModelRegistry(project.store, { objects: project.tracking.artifacts }), project);
  } finally {
    project.close();
  }
}

function requireReason(reason: string | undefined, what: string): string {
  if (!reason?.trim()) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} needs --reason "…": it is recorded in the audit log with your name and the time.`);
  return reason.trim();
}

function versionLine(v: ModelVersion): string {
  const aliases = v.aliases?.length ? ` @${v.aliases.join(' @')}` : '';
  return `${v.name}:${v.version}  ${v.current_stage}${aliases}  ${v.source}${v.run_id ? `  run ${v.run_id}` : ''}\n`;
}

function renderVersion(v: ModelVersion): string {
  const lines = [
    `Model version ${v.name}:${v.version}`,
    `  stage     ${v.current_stage}`,
    `  aliases   ${v.aliases?.join(', ') || '-'}`,
    `  source    ${v.source}`,
    `  run       ${v.run_id ?? '-'}`,
    `  created   ${short(v.creation_timestamp)} UTC${v.user_id ? ` by ${v.user_id}` : ''}`,
    `  status    ${v.status}`,
  ];
  if (v.model_id) lines.push(`  logged model ${v.model_id}`);
  if (v.description) lines.push(`  ${v.description}`);
  for (const tag of v.tags ?? []) lines.push(`  tag ${tag.key}=${tag.value}`);
  return `${lines.join('\n')}\n`;
}

function summarize(registry: ModelRegistry, name: string): ModelSummary {
  const model = registry.getModel(name);
  const versions = registry.searchVersions({ filter: `name = '${name.replaceAll("'", "''")}'`, maxResults: 1 }).versions;
  const stages: Record<string, string> = {};
  for (const v of model.latest_versions ?? []) if (v.current_stage !== 'None') stages[v.current_stage] = v.version;
  return {
    name: model.name,
    description: model.description ?? '',
    latestVersion: versions[0]?.version ?? null,
    aliases: Object.fromEntries((model.aliases ?? []).map((a) => [a.alias, a.version])),
    stages,
    lastUpdated: model.last_updated_timestamp,
  };
}

/** `slipway models …`: the model registry from the terminal. */
export function registerModels(program: Command): void {
  const models = program.command('models').description('registered models: versions, aliases, stages and their audit trail');

  withJson(models.command('list').description('list registered models').option('--filter <filter>', "MLflow filter, e.g. \"name LIKE 'credit%'\"").option('-n, --max <count>', 'at most this many', '100').option('--page-token <token>', 'continue a previous listing')).action(
    action(async (options: { filter?: string; max: string; pageToken?: string; json?: boolean }) => {
      const output = await withRegistry((registry): ModelsListOutput => {
        const found = registry.searchModels({ filter: options.filter, maxResults: Number(options.max), pageToken: options.pageToken });
        return { models: found.models.map((m) => summarize(registry, m.name)), nextPageToken: found.nextPageToken ?? null };
      });
      emit(options.json === true, output, (o) => {
        if (!o.models.length) return 'No registered models yet. Register one with `slipway models register NAME runs:/RUN/PATH` or a model file.\n';
        const rows = o.models.map((m) => [m.name, m.latestVersion ?? '-', Object.entries(m.aliases).map(([a, v]) => `${a}→${v}`).join(' ') || '-', Object.entries(m.stages).map(([s, v]) => `${s}:${v}`).join(' ') || '-', short(m.lastUpdated)]);
        return table(['MODEL', 'LATEST', 'ALIASES', 'STAGES', 'UPDATED (UTC)'], rows) + (o.nextPageToken ? `More: --page-token ${o.nextPageToken}\n` : '');
      });
    }),
  );

  withJson(models.command('show <modelref>').description('show a model (NAME) or one version (NAME@ALIAS, NAME:VERSION)')).action(
    action(async (ref: string, options: { json?: boolean }) => {
      const parsed = parseModelRef(ref);
      if (parsed.kind === 'name') {
        const output = await withRegistry((registry): ModelShowOutput => ({
          model: registry.getModel(parsed.name),
          versions: registry.searchVersions({ filter: `name = '${parsed.name.replaceAll("'", "''")}'` }).versions,
        }));
        emit(options.json === true, output, (o) => {
          const aliases = (o.model.aliases ?? []).map((a) => `${a.alias}→${a.version}`).join(', ') || '-';
          const head = `Model ${o.model.name}\n  aliases   ${aliases}\n  created   ${short(o.model.creation_timestamp)} UTC\n${o.model.description ? `  ${o.model.description}\n` : ''}`;
          return `${head}${o.versions.length ? o.versions.map(versionLine).join('') : 'No versions yet.\n'}`;
        });
        return;
      }
      const output = await withRegistry((registry): ModelVersionOutput => ({ modelVersion: registry.resolve(parsed) }));
      emit(options.json === true, output, (o) => renderVersion(o.modelVersion));
    }),
  );

  withJson(
    models
      .command('register <name> <source>')
      .description('register a new version from runs:/RUN/PATH, models:/MODEL_ID or a model file')
      .option('--schema <file>', 'column schema (*.schema.yaml) stored with the version')
      .option('--description <text>', 'description of the version'),
  ).action(
    action(async (name: string, source: string, options: { schema?: string; description?: string; json?: boolean }) => {
      const schemaYaml = options.schema === undefined ? undefined : readSchema(options.schema);
      const output = await withRegistry(async (registry): Promise<ModelVersionOutput> => {
        try {
          registry.getModel(name);
        } catch (error) {
          if (!(error instanceof SlipwayError && error.code === 'RESOURCE_DOES_NOT_EXIST')) throw error;
          registry.createModel({ name });
        }
        const extra = { description: options.description, schemaYaml };
        const run = /^runs:\/\/?([0-9a-f]{32})(?:\/(.*))?$/.exec(source);
        if (run) return { modelVersion: registry.createVersionFromRun(name, run[1]!, run[2] ?? '', extra) };
        const logged = /^models:\/(m-[0-9a-f]+)$/.exec(source);
        if (logged) return { modelVersion: registry.createVersionFromLoggedModel(name, logged[1]!, extra) };
        if (/^[a-z][a-z0-9+.-]*:\//i.test(source) && !existsSync(source)) {
          throw new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot register "${source}": give runs:/RUN_ID/PATH, models:/MODEL_ID or the path of a model file.`);
        }
        return { modelVersion: await registry.createVersionFromFile(name, source, extra) };
      });
      emit(options.json === true, output, (o) => `Registered ${o.modelVersion.name}:${o.modelVersion.version} from ${o.modelVersion.source}.\n`);
    }),
  );

  withJson(
    models
      .command('alias <name> <alias> [version]')
      .description('point ALIAS at VERSION (or remove it with --delete); audited')
      .option('--reason <text>', 'why (required; kept in the audit log)')
      .option('--delete', 'remove the alias instead of moving it'),
  ).action(
    action(async (name: string, alias: string, version: string | undefined, options: { reason?: string; delete?: boolean; json?: boolean }) => {
      const reason = requireReason(options.reason, options.delete ? 'Removing an alias' : 'Moving an alias');
      if (options.delete) {
        await withRegistry((registry) => registry.deleteAlias(name, alias, { reason }));
        const deleted: ModelAliasDeletedOutput = { deleted: `${name}@${alias}` };
        emit(options.json === true, deleted, () => `Removed ${name}@${alias}.\n`);
        return;
      }
      if (version === undefined) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Give the version ${name}@${alias} should point to, e.g. \`slipway models alias ${name} ${alias} 3 --reason "…"\`.`);
      const output = await withRegistry((registry): ModelVersionOutput => ({ modelVersion: registry.setAlias(name, alias, version, { reason }) }));
      emit(options.json === true, output, (o) => `${name}@${alias} → version ${o.modelVersion.version}.\n`);
    }),
  );

  withJson(
    models
      .command('stage <name> <version> <stage>')
      .description('move a version to None, Staging, Production or Archived; audited')
      .option('--reason <text>', 'why (required; kept in the audit log)')
      .option('--archive-existing', 'archive the versions now in that stage (Staging or Production only)'),
  ).action(
    action(async (name: string, version: string, stage: string, options: { reason?: string; archiveExisting?: boolean; json?: boolean }) => {
      const reason = requireReason(options.reason, 'A stage change');
      const output = await withRegistry((registry): ModelVersionOutput => ({ modelVersion: registry.transitionStage(name, version, stage, options.archiveExisting === true, { reason }) }));
      emit(options.json === true, output, (o) => `${o.modelVersion.name}:${o.modelVersion.version} is now in ${o.modelVersion.current_stage}.\n`);
    }),
  );

  withJson(models.command('rollback <name> <alias>').description("move ALIAS back to the version that held it before; audited").option('--reason <text>', 'why (required; kept in the audit log)')).action(
    action(async (name: string, alias: string, options: { reason?: string; json?: boolean }) => {
      const reason = requireReason(options.reason, 'A rollback');
      const output = await withRegistry((registry): ModelVersionOutput => ({ modelVersion: registry.rollback(name, alias, { reason }) }));
      emit(options.json === true, output, (o) => `${name}@${alias} rolled back to version ${o.modelVersion.version}.\n`);
    }),
  );

  withJson(models.command('history <name>').description('who changed stages and aliases, when, from what to what, and why').option('--verify', 'check the hash chain and the registry against it; exit 1 on any problem')).action(
    action(async (name: string, options: { verify?: boolean; json?: boolean }) => {
      const output = await withRegistry((registry): ModelsHistoryOutput => {
        const entries = registry.history(name);
        return options.verify ? { entries, verification: registry.verify(name) } : { entries };
      });
      emit(options.json === true, output, (o) => {
        const rows = o.entries.map((e) => [short(e.tsMs), e.actor, e.action, e.subject || '-', `${e.from ?? '-'} → ${e.to ?? '-'}`, e.reason || '-']);
        let text = rows.length ? table(['WHEN (UTC)', 'WHO', 'ACTION', 'ON', 'FROM → TO', 'WHY'], rows) : `No recorded changes for ${name}.\n`;
        if (o.verification) {
          text += o.verification.ok
            ? `Audit log verified: ${o.verification.checked} entries, hash chain intact, registry state matches.\n`
            : `AUDIT LOG VERIFICATION FAILED:\n${o.verification.problems.map((p) => `  - ${p.message}\n`).join('')}`;
        }
        return text;
      });
      if (output.verification && !output.verification.ok) throw new ExitWith(1);
    }),
  );
}

function readSchema(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot read the schema file ${path}. Give the path of a *.schema.yaml file.`);
  }
}
