/**
 * Geometry of the panel's line charts, kept free of the DOM so it can be checked on its own: the y scales (linear for
 * distances and metrics, log10 for p-values), the allowed band around a metric's baseline, and which points are
 * marked. chart.ts turns the result into SVG.
 */
import type { MonitorHistoryPoint } from '../../shared/monitoring';

/** The smallest p-value drawn; smaller ones (and 0) sit on this line and are labelled "<1e-300". */
export const P_FLOOR = 1e-300;

export interface Box {
  width: number;
  height: number;
  pad: { l: number; r: number; t: number; b: number };
}

/** A y scale: `y(v)` in pixels for a value in data units, `label(v)` for its tick or tooltip. */
export interface YScale {
  kind: 'linear' | 'log';
  /** Domain in data units (for log: the p-values at the bottom and top). */
  lo: number;
  hi: number;
  y: (value: number) => number;
  label: (value: number) => string;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** A value in a few significant digits. */
export function short(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(1).replace('.0e', 'e');
  return String(Number(x.toPrecision(3)));
}

/** Linear scale over [lo, hi] onto the box's plot area (top = hi). A flat domain is widened so it has height. */
export function linearScale(values: readonly number[], box: Box, { pad = 0.05, floorAtZero = false } = {}): YScale {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (floorAtZero) lo = Math.min(lo, 0);
  if (hi - lo < 1e-12) [lo, hi] = [lo - (Math.abs(lo) * 0.1 || 0.05), hi + (Math.abs(hi) * 0.1 || 0.05)];
  else {
    const extra = (hi - lo) * pad;
    [lo, hi] = [floorAtZero && lo === 0 ? 0 : lo - extra, hi + extra];
  }
  const plot = box.height - box.pad.t - box.pad.b;
  return { kind: 'linear', lo, hi, y: (v) => r1(box.pad.t + (1 - (v - lo) / (hi - lo)) * plot), label: short };
}

/**
 * log10 scale for p-values: the top is 1, the bottom the smallest of the values and the threshold (a decade lower,
 * floored at P_FLOOR). Values at or below P_FLOOR, including 0, are drawn on the floor and labelled "<1e-300".
 */
export function logScale(values: readonly number[], box: Box): YScale {
  const logs = values.map((v) => Math.log10(Math.max(v, P_FLOOR)));
  const bottom = Math.max(Math.floor(Math.min(...logs, 0)) - 1, Math.log10(P_FLOOR));
  const top = 0;
  const plot = box.height - box.pad.t - box.pad.b;
  return {
    kind: 'log',
    lo: Number(`1e${bottom}`),
    hi: 1,
    y: (v) => r1(box.pad.t + (1 - (Math.log10(Math.max(v, P_FLOOR)) - bottom) / (top - bottom)) * plot),
    label: (v) => (v < P_FLOOR ? '<1e-300' : short(v)),
  };
}

/** The scale a column's history uses: log10 for p-value tests, linear from 0 for distances; the threshold is on it. */
export function scoreScale(scoreKind: 'p_value' | 'distance', values: readonly number[], threshold: number, box: Box): YScale {
  return scoreKind === 'p_value' ? logScale([...values, threshold], box) : linearScale([...values, threshold], box, { pad: 0, floorAtZero: true });
}

/** Horizontal placement of windows: each point sits at its window's middle, from the first start to the last end. */
export function timeScale(points: readonly MonitorHistoryPoint[], box: Box): { t0: number; t1: number; x(p: MonitorHistoryPoint): number } {
  const t0 = Math.min(...points.map((p) => p.window_start_ms));
  const t1 = Math.max(...points.map((p) => p.window_end_ms));
  const span = Math.max(t1 - t0, 1);
  return { t0, t1, x: (p) => r1(box.pad.l + (((p.window_start_ms + p.window_end_ms) / 2 - t0) / span) * (box.width - box.pad.l - box.pad.r)) };
}

/**
 * The values a metric may take before it counts as degraded: from the baseline to max_change in the worse direction
 * (below it when higher is better, above it for log loss, Brier score and ECE).
 */
export function allowedBand(baseline: number, maxChange: number, lowerIsBetter: boolean): { lo: number; hi: number; limit: number } {
  const limit = lowerIsBetter ? baseline + maxChange : baseline - maxChange;
  return { lo: Math.min(baseline, limit), hi: Math.max(baseline, limit), limit };
}

export interface ChartPoint {
  x: number;
  y: number;
  value: number;
  /** Drifted (columns) or degraded (metrics) in its window. */
  flagged: boolean;
  windowStartMs: number;
  reportId: string;
}

export interface LineGeometry {
  scale: YScale;
  t0: number;
  t1: number;
  /** One path through the points with a value, oldest first. */
  path: string;
  points: ChartPoint[];
}

function line(points: readonly MonitorHistoryPoint[], scale: YScale, box: Box): LineGeometry {
  const sorted = [...points].sort((a, b) => a.window_start_ms - b.window_start_ms);
  const time = timeScale(sorted, box);
  const drawn = sorted
    .filter((p) => p.value !== null && Number.isFinite(p.value))
    .map((p) => ({ x: time.x(p), y: scale.y(p.value!), value: p.value!, flagged: p.flagged, windowStartMs: p.window_start_ms, reportId: p.report_id }));
  return { scale, t0: time.t0, t1: time.t1, path: drawn.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`).join(''), points: drawn };
}

/** A column's drift score per window on its test's scale. */
export function scoreLine(points: readonly MonitorHistoryPoint[], scoreKind: 'p_value' | 'distance', threshold: number, box: Box): LineGeometry & { thresholdY: number } {
  const values = points.flatMap((p) => (p.value === null ? [] : [p.value]));
  const scale = scoreScale(scoreKind, values, threshold, box);
  return { ...line(points, scale, box), thresholdY: scale.y(threshold) };
}

/** A metric per window with its baseline and allowed band (both null when the report has no baseline for it). */
export function metricLine(
  points: readonly MonitorHistoryPoint[],
  baseline: number | null,
  maxChange: number,
  lowerIsBetter: boolean,
  box: Box,
): LineGeometry & { baselineY: number | null; band: { y: number; height: number } | null } {
  const values = points.flatMap((p) => (p.value === null || !Number.isFinite(p.value) ? [] : [p.value]));
  const band = baseline === null ? null : allowedBand(baseline, maxChange, lowerIsBetter);
  const scale = linearScale([...values, ...(band ? [band.lo, band.hi] : [])], box);
  const geometry = line(points, scale, box);
  if (!band) return { ...geometry, baselineY: null, band: null };
  const top = scale.y(band.hi);
  return { ...geometry, baselineY: scale.y(baseline!), band: { y: top, height: r1(scale.y(band.lo) - top) } };
}
