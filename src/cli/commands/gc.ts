import type { Command } from 'commander';
import { gc } from '../../engine/lineage';
import { openProject } from '../../engine/project';
import { action, emit, withJson } from '../output';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function registerGc(program: Command): void {
  withJson(
    program
      .command('gc')
      .description('remove cached data and artifacts that no branch, tag, workspace .dvc file, live run or model version uses')
      .option('--rev <git-rev...>', 'keep only the data of these revisions (default: every branch and tag) besides the workspace, runs and models')
      .option('-n, --dry-run', 'list what would be removed and remove nothing'),
  ).action(
    action(async (options: { rev?: string[]; dryRun?: boolean; json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const result = await gc(project, { revs: options.rev, dryRun: options.dryRun });
        emit(options.json === true, result, (r) => {
          const verb = r.dryRun ? 'Would remove' : 'Removed';
          const lines = r.dryRun ? r.objects.map((o) => `${o.store === 'data' ? 'data    ' : 'artifact'}  ${o.oid}  ${bytes(o.size)}`) : [];
          lines.push(`${verb} ${r.data.removed} data object(s) (${bytes(r.data.removedBytes)}), kept ${r.data.kept}.`);
          lines.push(`${verb} ${r.artifacts.removed} artifact object(s) (${bytes(r.artifacts.removedBytes)}), kept ${r.artifacts.kept}.`);
          return `${lines.join('\n')}\n`;
        });
      } finally {
        project.close();
      }
    }),
  );
}
