/**
 * Small SVG charts drawn from histogram shares and history points. Each series is one <path>, so a row's sparkline
 * costs two elements whatever its bin count; colours come from CSS classes bound to theme variables.
 */
import type { PanelHistogram, PanelHistory, PanelMetricHistory } from '../../shared/drift-panel';
import { P_FLOOR, allowedBand, metricLine, scoreLine, short } from './scale';
import type { Box, ChartPoint } from './scale';

const NS = 'http://www.w3.org/2000/svg';

function svgEl(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return node;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Bars as one path: each bin is a rectangle from the baseline; `inset` narrows bars so two series interleave. */
function barsPath(values: readonly number[], top: number, x0: number, width: number, height: number, inset: number): string {
  const w = width / Math.max(values.length, 1);
  let d = '';
  values.forEach((v, i) => {
    const h = top > 0 ? (v / top) * height : 0;
    if (h <= 0) return;
    d += `M${r1(x0 + i * w + inset)} ${r1(height)}v${r1(-h)}h${r1(Math.max(w - 2 * inset, 0.6))}v${r1(h)}z`;
  });
  return d || 'M0 0';
}

/** Merges shares into at most `bins` bins (for the row sparklines). */
export function downsample(values: readonly number[], bins: number): number[] {
  if (values.length <= bins) return [...values];
  const step = Math.ceil(values.length / bins);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(values.slice(i, i + step).reduce((s, v) => s + v, 0));
  return out;
}

/** The row's small chart: reference and current shares, side by side per bin. */
export function sparkline(h: PanelHistogram, width = 120, height = 24): SVGElement {
  const ref = downsample(h.reference, 24);
  const cur = downsample(h.current, 24);
  const top = Math.max(...ref, ...cur, 0);
  const w = width / Math.max(ref.length, 1);
  return svgEl(
    'svg',
    { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' },
    svgEl('path', { class: 'ref', d: barsPath(ref, top, 0, width, height, w * 0.05) }),
    svgEl('path', { class: 'cur', d: barsPath(cur, top, w * 0.3, width - w * 0.3, height, w * 0.05) }),
  );
}

/** Overlaid reference and current distributions with the bin labels on the axis and a description for screen readers. */
export function distributionChart(h: PanelHistogram, column: string): SVGElement {
  const n = h.labels.length;
  const width = Math.max(360, Math.min(900, n * 22));
  const height = 180;
  const plot = height - 34;
  const top = Math.max(...h.reference, ...h.current, 0);
  // Headroom above the tallest bar for the "max" label.
  const scaled = (top * plot) / (plot - 14);
  const label = (i: number, anchor: string, text: string) => svgEl('text', { x: r1((i + 0.5) * (width / Math.max(n, 1))), y: height - 18, 'text-anchor': anchor, class: 'axis' }, text);
  const ticks: SVGElement[] = [];
  if (n > 0 && h.edges) {
    ticks.push(svgEl('text', { x: 0, y: height - 18, 'text-anchor': 'start', class: 'axis' }, h.labels[0]!.split(' – ')[0] ?? ''));
    ticks.push(svgEl('text', { x: width, y: height - 18, 'text-anchor': 'end', class: 'axis' }, h.labels[n - 1]!.split(' – ')[1] ?? ''));
  } else if (n > 0 && n <= 12) {
    for (let i = 0; i < n; i++) ticks.push(label(i, 'middle', h.labels[i]!.length > 10 ? `${h.labels[i]!.slice(0, 9)}…` : h.labels[i]!));
  }
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
  const desc = h.labels.map((l, i) => `${l}: reference ${percent(h.reference[i] ?? 0)}, current ${percent(h.current[i] ?? 0)}`).join('; ');
  return svgEl(
    'svg',
    { class: 'dist', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Distribution of ${column}: reference and current` },
    svgEl('desc', {}, desc),
    svgEl('line', { x1: 0, x2: width, y1: plot, y2: plot, class: 'baseline' }),
    svgEl('path', { class: 'ref overlay', d: barsPath(h.reference, scaled, 0, width, plot, 0.5) }),
    svgEl('path', { class: 'cur overlay', d: barsPath(h.current, scaled, 0, width, plot, 0.5) }),
    svgEl('text', { x: 0, y: 10, class: 'axis' }, `max ${percent(top)}`),
    ...ticks,
  );
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const HISTORY_BOX: Box = { width: 520, height: 160, pad: { l: 52, r: 8, t: 8, b: 22 } };
const METRIC_BOX: Box = { width: 300, height: 120, pad: { l: 44, r: 8, t: 8, b: 20 } };

function dots(points: readonly ChartPoint[], text: (p: ChartPoint) => string): SVGElement[] {
  return points.map((p, i) => svgEl('circle', { cx: p.x, cy: p.y, r: 3, class: p.flagged ? 'point flagged' : 'point', 'data-index': i }, svgEl('title', {}, text(p))));
}

function timeAxis(box: Box, t0: number, t1: number): SVGElement[] {
  return [
    svgEl('text', { x: box.pad.l, y: box.height - 6, class: 'axis' }, day(t0)),
    svgEl('text', { x: box.width - box.pad.r, y: box.height - 6, 'text-anchor': 'end', class: 'axis' }, day(t1)),
  ];
}

/**
 * The column's score per window as a line with the threshold dashed across; flagged windows are filled dots.
 * p-values are drawn on a log10 axis (so 1e-3 and 1e-30 stay apart), distances on a linear one from 0.
 */
export function historyChart(history: PanelHistory): SVGElement {
  const box = HISTORY_BOX;
  const g = scoreLine(history.points, history.scoreKind, history.threshold, box);
  const label = g.scale.label;
  const ticks = g.scale.kind === 'log' ? [g.scale.hi, g.scale.lo] : [g.scale.hi];
  return svgEl(
    'svg',
    {
      class: `history ${g.scale.kind}`,
      width: box.width,
      height: box.height,
      viewBox: `0 0 ${box.width} ${box.height}`,
      role: 'img',
      'aria-label': `Drift score of ${history.column} over ${g.points.length} windows${g.scale.kind === 'log' ? ' on a log scale' : ''}, threshold ${history.threshold}`,
    },
    svgEl('line', { x1: box.pad.l, x2: box.width - box.pad.r, y1: g.thresholdY, y2: g.thresholdY, class: 'threshold' }),
    svgEl('text', { x: box.pad.l - 4, y: g.thresholdY + 4, 'text-anchor': 'end', class: 'axis' }, label(history.threshold)),
    // Axis ends are labelled unless the threshold's label sits there already.
    ...ticks.filter((v) => Math.abs(g.scale.y(v) - g.thresholdY) > 14).map((v) => svgEl('text', { x: box.pad.l - 4, y: g.scale.y(v) + 4, 'text-anchor': 'end', class: 'axis tick' }, g.scale.kind === 'log' && v <= P_FLOOR ? '1e-300' : label(v))),
    svgEl('path', { class: 'score', d: g.path || 'M0 0' }),
    ...dots(g.points, (p) => `${day(p.windowStartMs)}: ${label(p.value)}${p.flagged ? ' (drift)' : ''}`),
    ...timeAxis(box, g.t0, g.t1),
  );
}

/**
 * One metric per window: the allowed band (baseline to max_change in the worse direction) shaded, the baseline
 * dashed, degraded windows as filled dots. Without a baseline only the line is drawn.
 */
export function metricChart(m: PanelMetricHistory, baseline: number | null, maxChange: number): { svg: SVGElement; points: ChartPoint[] } {
  const box = METRIC_BOX;
  const g = metricLine(m.points, baseline, maxChange, m.lowerIsBetter, box);
  const x1 = box.pad.l;
  const x2 = box.width - box.pad.r;
  const extra: SVGElement[] = [];
  if (g.band && g.baselineY !== null && baseline !== null) {
    const limit = allowedBand(baseline, maxChange, m.lowerIsBetter).limit;
    extra.push(
      svgEl('rect', { x: x1, y: g.band.y, width: x2 - x1, height: Math.max(g.band.height, 0.5), class: 'band' }),
      svgEl('line', { x1, x2, y1: g.baselineY, y2: g.baselineY, class: 'metric-baseline' }),
      svgEl('text', { x: x1 - 4, y: g.baselineY + 4, 'text-anchor': 'end', class: 'axis' }, short(baseline)),
    );
    if (Math.abs(g.scale.y(limit) - g.baselineY) > 12) extra.push(svgEl('text', { x: x1 - 4, y: g.scale.y(limit) + 4, 'text-anchor': 'end', class: 'axis' }, short(limit)));
  } else {
    extra.push(svgEl('text', { x: x1 - 4, y: box.pad.t + 8, 'text-anchor': 'end', class: 'axis' }, short(g.scale.hi)), svgEl('text', { x: x1 - 4, y: box.height - box.pad.b, 'text-anchor': 'end', class: 'axis' }, short(g.scale.lo)));
  }
  const degraded = g.points.filter((p) => p.flagged).length;
  const svg = svgEl(
    'svg',
    {
      class: 'metric',
      width: box.width,
      height: box.height,
      viewBox: `0 0 ${box.width} ${box.height}`,
      role: 'img',
      'data-metric': m.metric,
      'aria-label': `${m.metric} over ${g.points.length} windows${baseline === null ? ', no baseline' : `, baseline ${short(baseline)}`}, ${degraded} degraded`,
    },
    ...extra,
    svgEl('path', { class: 'score', d: g.path || 'M0 0' }),
    ...dots(g.points, (p) => `${day(p.windowStartMs)}: ${short(p.value)}${p.flagged ? ' (degraded)' : ''}`),
    ...timeAxis(box, g.t0, g.t1),
  );
  return { svg, points: g.points };
}
