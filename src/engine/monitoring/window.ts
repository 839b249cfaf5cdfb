/** Monitor windows: lengths such as `1d`, `12h`, `2s`, and tumbling windows aligned to UTC. */

import { parseDuration } from './duration';

/** A window length in ms from `<whole number><s|m|h|d|w>` (the grammar of parseDuration); null when the text is not one. */
export function parseWindowLength(text: string): number | null {
  try {
    return parseDuration(text);
  } catch {
    return null;
  }
}

/**
 * Start of the window holding `t`. Windows are multiples of their length since the Unix epoch (UTC), as the
 * performance report's windows are: days start at 00:00 UTC, weeks on Thursdays (1970-01-01 was one).
 */
export function windowStart(t: number, lengthMs: number): number {
  return Math.floor(t / lengthMs) * lengthMs;
}

/** Windows never evaluated in one go; older due windows are left out (and said so). */
export const MAX_WINDOWS_PER_RUN = 500;

export interface DueWindows {
  windows: { start: number; end: number }[];
  /** Due windows left out because there were more than MAX_WINDOWS_PER_RUN. */
  skipped: number;
}

/**
 * Closed windows not yet evaluated: those after `evaluatedUntil` (end of the newest stored window) up to `now`. On a
 * first run (`evaluatedUntil` null) only the last closed window, or every window from `since` on when given.
 */
export function dueWindows(lengthMs: number, now: number, evaluatedUntil: number | null, since?: number): DueWindows {
  const lastEnd = windowStart(now, lengthMs);
  let first: number;
  if (since !== undefined) first = windowStart(since, lengthMs);
  else if (evaluatedUntil !== null) first = windowStart(evaluatedUntil + lengthMs - 1, lengthMs);
  else first = lastEnd - lengthMs;
  const count = Math.max(0, Math.round((lastEnd - first) / lengthMs));
  const take = Math.min(count, MAX_WINDOWS_PER_RUN);
  const windows: { start: number; end: number }[] = [];
  for (let i = count - take; i < count; i++) windows.push({ start: first + i * lengthMs, end: first + (i + 1) * lengthMs });
  return { windows, skipped: count - take };
}

/** End of the next window that is not evaluated yet (in the past when something is due). */
export function nextDue(lengthMs: number, now: number, evaluatedUntil: number | null): number {
  if (evaluatedUntil === null) return windowStart(now, lengthMs);
  return windowStart(evaluatedUntil + lengthMs - 1, lengthMs) + lengthMs;
}
