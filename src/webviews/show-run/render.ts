import type { RunDetails } from '../../shared/show-run';
import { el, table } from '../common/dom';

const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

function duration(run: RunDetails): string {
  if (run.endTime === null) return run.status === 'RUNNING' ? 'running' : '—';
  const seconds = Math.round((run.endTime - run.startTime) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function workingTree(dirty: boolean | null): string {
  if (dirty === null) return 'not recorded';
  return dirty ? 'uncommitted changes (see slipway/git.diff)' : 'clean';
}

function section(id: string, title: string, count: number, body: Node, emptyText: string): HTMLElement {
  const collapsible = el('vscode-collapsible', { title: `${title} (${count})`, open: '', 'data-section-title': id });
  collapsible.append(count ? body : el('p', { class: 'muted', 'data-section': id }, emptyText));
  return collapsible;
}

const STATUS_CLASS: Record<string, string> = { FINISHED: 'ok', FAILED: 'bad', KILLED: 'muted', RUNNING: 'live', SCHEDULED: 'muted' };

/** The whole panel for one run. */
export function renderRun(run: RunDetails): HTMLElement {
  const git = run.git;
  const overview = table('overview', ['Field', 'Value'], [
    ['Status', run.status],
    ['Experiment', run.experimentName],
    ['Run id', run.runId],
    ['Started', time(run.startTime)],
    ['Ended', time(run.endTime)],
    ['Duration', duration(run)],
    ['Git commit', git.commit ?? 'not a git repository'],
    ['Git branch', git.branch ?? '—'],
    ['Working tree', workingTree(git.dirty)],
  ]);
  return el(
    'div',
    {},
    el('header', {}, el('h1', { 'data-field': 'run-name' }, run.runName), el('vscode-badge', { class: `status ${STATUS_CLASS[run.status] ?? ''}`, 'data-field': 'status' }, run.status)),
    el('vscode-collapsible', { title: 'Overview', open: '' }, overview),
    section('params', 'Params', run.params.length, table('params', ['Param', 'Value'], run.params.map((p) => [p.key, p.value])), 'No params logged.'),
    section('metrics', 'Metrics', run.metrics.length, table('metrics', ['Metric', 'Latest value', 'Step'], run.metrics.map((m) => [m.key, m.display, String(m.step)])), 'No metrics logged.'),
    section('tags', 'Tags', run.tags.length, table('tags', ['Tag', 'Value'], run.tags.map((t) => [t.key, t.value])), 'No tags.'),
    section('artifacts', 'Artifacts', run.artifacts.filter((a) => !a.isDir).length, table('artifacts', ['Path', 'Size'], run.artifacts.filter((a) => !a.isDir).map((a) => [a.path, a.size === null ? '—' : `${a.size} B`])), 'No artifacts.'),
  );
}
