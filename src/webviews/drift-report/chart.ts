/**
 * Small SVG charts drawn from histogram shares and history points. Each series is one <path>, so a row's sparkline
 * costs two elements whatever its bin count; colours come from CSS classes bound to theme variables.
 */
import type { PanelHistogram, PanelHistory } from '../../shared/drift-panel';

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

/** The column's score per window as a line with the threshold dashed across; flagged windows are filled dots. */
export function historyChart(history: PanelHistory): SVGElement {
  const points = history.points.filter((p) => p.value !== null);
  const width = 520;
  const height = 160;
  const pad = { l: 44, r: 8, t: 8, b: 22 };
  const values = [...points.map((p) => p.value!), history.threshold];
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values) || 1;
  const t0 = Math.min(...history.points.map((p) => p.window_start_ms));
  const t1 = Math.max(...history.points.map((p) => p.window_end_ms));
  const x = (ms: number) => pad.l + ((ms - t0) / Math.max(t1 - t0, 1)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / Math.max(hi - lo, 1e-12)) * (height - pad.t - pad.b);
  const mid = (p: { window_start_ms: number; window_end_ms: number }) => x((p.window_start_ms + p.window_end_ms) / 2);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${r1(mid(p))} ${r1(y(p.value!))}`).join('');
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return svgEl(
    'svg',
    { class: 'history', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Drift score of ${history.column} over ${points.length} windows, threshold ${history.threshold}` },
    svgEl('line', { x1: pad.l, x2: width - pad.r, y1: r1(y(history.threshold)), y2: r1(y(history.threshold)), class: 'threshold' }),
    svgEl('text', { x: pad.l - 4, y: r1(y(history.threshold)) + 4, 'text-anchor': 'end', class: 'axis' }, String(history.threshold)),
    // The top value is labelled unless the threshold's label sits there already.
    ...(y(history.threshold) - pad.t > 14 ? [svgEl('text', { x: pad.l - 4, y: pad.t + 8, 'text-anchor': 'end', class: 'axis' }, String(Number(hi.toPrecision(3))))] : []),
    svgEl('path', { class: 'score', d: line || 'M0 0' }),
    ...points.map((p) =>
      svgEl('circle', { cx: r1(mid(p)), cy: r1(y(p.value!)), r: 3, class: p.flagged ? 'point flagged' : 'point' }, svgEl('title', {}, `${day(p.window_start_ms)}: ${p.value}${p.flagged ? ' (drift)' : ''}`)),
    ),
    svgEl('text', { x: pad.l, y: height - 6, class: 'axis' }, day(t0)),
    svgEl('text', { x: width - pad.r, y: height - 6, 'text-anchor': 'end', class: 'axis' }, day(t1)),
  );
}
