import { SlipwayError } from '../errors';

/** Indices of the requested columns in `available` (all when none requested); a missing name is an error. */
export function selectColumns(path: string, available: readonly string[], wanted: readonly string[] | undefined): number[] {
  if (!wanted) return available.map((_, i) => i);
  return wanted.map((name) => {
    const index = available.indexOf(name);
    if (index === -1) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} has no column "${name}". Its columns are: ${available.slice(0, 50).join(', ')}${available.length > 50 ? ', …' : ''}.`);
    }
    return index;
  });
}
