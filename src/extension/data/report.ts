import type { DataAddOutput, DataCheckoutOutput, DataPullOutput, DataTransferOutput } from '../../shared/cli';

function list(paths: readonly string[], max = 3): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

function gitignoreOf(path: string): string {
  return path.includes('/') ? `${path.slice(0, path.lastIndexOf('/'))}/.gitignore` : '.gitignore';
}

/** The sentence after "Add to Data Versioning". */
export function describeAdd(out: DataAddOutput): string {
  const changed = out.added.filter((r) => r.changed);
  const same = out.added.filter((r) => !r.changed);
  const parts: string[] = [];
  if (changed.length) {
    const files = [...changed.map((r) => r.dvcFile), ...new Set(changed.map((r) => gitignoreOf(r.path)))];
    parts.push(`Tracked ${list(changed.map((r) => r.path))}. Commit ${list(files, 4)} to record the version${changed.length === 1 ? '' : 's'} in git.`);
  }
  if (same.length) parts.push(`${list(same.map((r) => r.path))} ${same.length === 1 ? 'was' : 'were'} already tracked at this version.`);
  return parts.join(' ') || 'Nothing was added.';
}

/** The sentence after a checkout (plain or at a revision). */
export function describeCheckout(checkedOut: DataCheckoutOutput['checkedOut'], rev?: string): string {
  const at = rev ? ` at ${rev.slice(0, 10)}` : '';
  const changed = checkedOut.filter((r) => r.action === 'restored' || r.action === 'updated');
  const unsaved = checkedOut.filter((r) => r.action === 'not-saved');
  const parts: string[] = [];
  if (changed.length) parts.push(`Checked out the data${at}: ${list(changed.map((r) => `${r.path} (${r.action})`))}.`);
  else parts.push(checkedOut.length ? `The tracked data already matches the versions recorded${at || ' in its .dvc files'}.` : `No tracked data${at}.`);
  if (unsaved.length) parts.push(`${list(unsaved.map((r) => r.path))} ${unsaved.length === 1 ? 'has' : 'have'} no recorded version.`);
  return parts.join(' ');
}

function transfer(verb: string, r: DataTransferOutput): string {
  const already = r.needed - r.transferred - r.missing.length;
  const missing = r.missing.length ? ` ${r.missing.length} object(s) were not in the source (first: ${r.missing[0]}).` : '';
  return `${verb} ${r.transferred} of ${r.needed} object(s) ${verb === 'Pushed' ? 'to' : 'from'} "${r.remote}" (${already} already there).${missing}`;
}

export function describePush(out: DataTransferOutput): string {
  return transfer('Pushed', out);
}

export function describePull(out: DataPullOutput): string {
  return `${transfer('Pulled', out.fetched)} ${describeCheckout(out.checkedOut)}`;
}
