import { SlipwayError } from '../errors';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a window length such as `30m`, `12h`, `1d`, `7d` or `1w` (an integer and one unit: s, m, h, d, w) into
 * milliseconds. `what` names the setting in the error (e.g. "--window" or "monitors.daily.window").
 */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+)\s*([smhdw])\s*$/.exec(text);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
  if (!match || !(ms > 0) || !Number.isSafeInteger(ms)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} expects a positive duration such as 30m, 12h, 1d, 7d or 1w, got "${text}".`);
  }
  return ms;
}

/** The shortest text `parseDuration` reads back as `ms` (e.g. 86400000 → "1d"); plain milliseconds otherwise. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
