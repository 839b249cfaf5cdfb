import type { Command } from 'commander';
import type { DataPullOutput, DataTransferOutput, RecordsPullOutput, RecordsPushOutput, RemoteAddOutput, RemoteListOutput, RemoteModifyOutput } from '../../shared/cli';
import { ExitCode } from '../../shared/cli';
import { openProject, requireProject } from '../../engine/project';
import { pullRecords, pushRecords, SyncBehindError, type SyncContext } from '../../engine/sync';
import { REMOTE_KEYS, addRemote, fetch, listRemotes, modifyRemote, pull, push, resolveRemote, type TransferResult } from '../../engine/versioning';
import { ExitWith, action, emit, printError, table, withJson } from '../output';
import { SlipwayError } from '../../engine/errors';
import { withRepo } from './data';

type TransferFlags = { json?: boolean; remote?: string; jobs?: string };

function describe(verb: string, r: TransferResult): string {
  const missing = r.missing.length ? `; ${r.missing.length} object(s) were not in the source (first: ${r.missing[0]})` : '';
  return `${r.transferred} of ${r.needed} object(s) ${verb} "${r.remote}" (${r.needed - r.transferred - r.missing.length} already there)${missing}.\n`;
}

function transferCommand(program: Command, name: string, description: string): Command {
  return withJson(
    program
      .command(`${name} [targets...]`)
      .description(description)
      .option('-r, --remote <name>', 'remote to use (default: the default or only remote)')
      .option('-j, --jobs <n>', 'objects transferred at once (default 8)'),
  );
}


/**
 * Runs `fn` on the project's store and the remote's folder, for Slipway's own records. Projects never initialised
 * (no .slipway/) have none, so only their data travels.
 */
async function withRecords<T>(remoteName: string | undefined, fn: (ctx: SyncContext) => Promise<T>): Promise<T | undefined> {
  const paths = requireProject(process.cwd());
  if (!paths.initialized) return undefined;
  const remote = resolveRemote(paths.root, remoteName).store;
  const project = openProject(process.cwd());
  try {
    return await fn({ store: project.store, artifacts: project.tracking.artifacts, stateDir: paths.stateDir, remote });
  } finally {
    project.close();
  }
}

function describeRecordsPush(r: RecordsPushOutput | undefined): string {
  if (!r) return '';
  return `${r.runs} run(s), ${r.artifacts} artifact object(s) and ${r.auditEntries} audit entr${r.auditEntries === 1 ? 'y' : 'ies'} sent; registry ${r.snapshotWritten ? 'updated' : 'unchanged'}.\n`;
}

function describeRecordsPull(r: RecordsPullOutput | undefined): string {
  if (!r) return '';
  const added = r.addedVersions.length ? ` (${r.addedVersions.join(', ')})` : '';
  return `${r.runs.length} run(s), ${r.artifacts} artifact object(s), ${r.appendedEntries} audit entr${r.appendedEntries === 1 ? 'y' : 'ies'} and ${r.addedVersions.length} model version(s)${added} pulled.\n`;
}

/** Registers `remote add|modify|list`, `push`, `fetch` and `pull`. */
export function registerRemote(program: Command): void {
  const remote = program.command('remote').description('configure where tracked data is shared');
  withJson(
    remote
      .command('add <name> <url>')
      .description('add a remote (.dvc/config in a DVC project, else slipway.yaml)')
      .option('-d, --default', 'make it the default remote')
      .option('-f, --force', 'replace a remote with the same name')
      .option('--endpoint-url <url>', 'S3-compatible endpoint (MinIO, Ceph...); written as DVC\'s endpointurl')
      .option('--region <region>', 'S3 region')
      .option('--profile <name>', 'AWS profile whose credentials to use'),
  ).action(
    action(async (name: string, url: string, options: { json?: boolean; default?: boolean; force?: boolean; endpointUrl?: string; region?: string; profile?: string }) => {
      const root = requireProject(process.cwd()).root;
      const settings: Record<string, string> = {};
      if (options.endpointUrl) settings.endpointurl = options.endpointUrl;
      if (options.region) settings.region = options.region;
      if (options.profile) settings.profile = options.profile;
      const file = await addRemote(root, name, url, { isDefault: options.default === true, replace: options.force === true, settings });
      const out: RemoteAddOutput = { name, url, file };
      emit(options.json === true, out, (o) => `Added remote "${o.name}" (${o.url}) to ${o.file}.\n`);
    }),
  );
  withJson(
    remote
      .command('modify <name> <key> [value]')
      .description(`set one setting of a remote (url, ${REMOTE_KEYS.join(', ')}), as \`dvc remote modify\` does`)
      .option('--local', 'write to .dvc/config.local, which git does not track (the place for credentials)')
      .option('-u, --unset', 'remove the setting'),
  ).action(
    action(async (name: string, key: string, value: string | undefined, options: { json?: boolean; local?: boolean; unset?: boolean }) => {
      if (value === undefined && !options.unset) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Give a value for ${key}, or --unset to remove it.`);
      const file = await modifyRemote(requireProject(process.cwd()).root, name, key, options.unset ? null : (value ?? null), { local: options.local === true });
      const out: RemoteModifyOutput = { name, key, file, unset: options.unset === true };
      // The value is not echoed: it may be a secret.
      emit(options.json === true, out, (o) => `${o.unset ? 'Removed' : 'Set'} ${o.key} of remote "${o.name}" in ${o.file}.\n`);
    }),
  );
  withJson(remote.command('list').description('list configured remotes')).action(
    action((options: { json?: boolean }) => {
      // Only name, URL and default: a remote's other settings may hold credentials.
      const out: RemoteListOutput = { remotes: listRemotes(requireProject(process.cwd()).root).map((r) => ({ name: r.name, url: r.url, isDefault: r.isDefault })) };
      emit(options.json === true, out, (o) =>
        o.remotes.length ? table(['NAME', 'URL', 'DEFAULT'], o.remotes.map((r) => [r.name, r.url, r.isDefault ? 'yes' : ''])) : 'No remotes. Add one with `slipway remote add NAME URL`.\n',
      );
    }),
  );

  const flags = (o: TransferFlags) => ({ remote: o.remote, jobs: o.jobs ? Math.max(1, Number(o.jobs) || 8) : undefined, cwd: process.cwd() });
  transferCommand(program, 'push', 'send the cached versions of tracked data to a remote').action(
    action(async (targets: string[], options: TransferFlags) => {
      const out: DataTransferOutput = await withRepo(options.json === true, (repo, onProgress) => push(repo, targets, { ...flags(options), onProgress }));
      try {
        out.records = await withRecords(options.remote, pushRecords);
      } catch (error) {
        if (!(error instanceof SyncBehindError)) throw error;
        emit(options.json === true, out, (o) => describe('sent to', o));
        printError(error, options.json === true);
        throw new ExitWith(ExitCode.negative);
      }
      emit(options.json === true, out, (o) => describe('sent to', o) + describeRecordsPush(o.records));
    }),
  );
  transferCommand(program, 'fetch', 'download the versions tracked data needs into the cache, without touching the workspace').action(
    action(async (targets: string[], options: TransferFlags) => {
      const out: DataTransferOutput = await withRepo(options.json === true, (repo, onProgress) => fetch(repo, targets, { ...flags(options), onProgress }));
      emit(options.json === true, out, (o) => describe('fetched from', o));
    }),
  );
  transferCommand(program, 'pull', 'fetch, then check out tracked data')
    .option('-f, --force', 'discard workspace changes that are not saved in the cache')
    .action(
      action(async (targets: string[], options: TransferFlags & { force?: boolean }) => {
        const out: DataPullOutput = await withRepo(options.json === true, (repo, onProgress) => pull(repo, targets, { ...flags(options), force: options.force === true, onProgress }));
        const records = await withRecords(options.remote, pullRecords);
        if (records) {
          const { runs, artifacts, registry } = records;
          out.records = { runs, artifacts, appendedEntries: registry.appendedEntries, addedModels: registry.addedModels, addedVersions: registry.addedVersions };
        }
        emit(options.json === true, out, (o) => {
          const changed = o.checkedOut.filter((r) => r.action !== 'unchanged');
          return describe('fetched from', o.fetched) + changed.map((r) => `  ${r.action.padEnd(9)} ${r.path}\n`).join('') + describeRecordsPull(o.records);
        });
        if (records?.registry.conflicts.length) {
          const message = `${records.registry.conflicts.map((c) => c.message).join(' ')} The registry was not merged; nothing of it was written.`;
          printError(new SlipwayError('INVALID_STATE', message), options.json === true);
          throw new ExitWith(ExitCode.negative);
        }
      }),
    );
}
