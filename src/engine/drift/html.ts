/**
 * Self-contained HTML drift report: inline CSS and inline SVG charts, no scripts, no external resources, and a
 * CSP that forbids fetching anything — it opens offline in any browser and stays small (a few KB per column).
 * Colours come from VS Code theme variables when shown in a webview, with fallbacks elsewhere.
 */
import type { DriftColumnResult, DriftHistogram, DriftReport } from '../../shared/drift';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function format(x: number | null): string {
  if (x === null) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : x.toFixed(a >= 100 ? 1 : 3);
}

const CHART_BINS = 40;

/** Overlaid reference/current shares as an inline SVG bar chart (at most CHART_BINS bars). */
function chart(ref: DriftHistogram, cur: DriftHistogram, width: number, height: number): string {
  const n = Math.min(ref.counts.length, CHART_BINS);
  if (n === 0) return '';
  const shares = (h: DriftHistogram): number[] => {
    const total = h.counts.reduce((s, c) => s + c, 0) || 1;
    const out = h.counts.slice(0, n).map((c) => c / total);
    if (h.counts.length > n) out[n - 1]! += h.counts.slice(n).reduce((s, c) => s + c, 0) / total;
    return out;
  };
  const r = shares(ref);
  const c = shares(cur);
  const top = Math.max(...r, ...c) || 1;
  const w = width / n;
  const bars = (values: number[], cls: string, inset: number): string =>
    values.map((v, i) => {
      const h = (v / top) * (height - 1);
      return `<rect class="${cls}" x="${(i * w + inset).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(w - 2 * inset, 0.5).toFixed(1)}" height="${h.toFixed(1)}"/>`;
    }).join('');
  const labels = ref.categories ? ref.categories.slice(0, n).join(', ') : `${format(ref.edges?.[0] ?? null)} … ${format(ref.edges?.[ref.edges.length - 1] ?? null)}`;
  return `<svg role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${escape(labels)}</title>${bars(r, 'ref', 0)}${bars(c, 'cur', w * 0.25)}</svg>`;
}

function row(c: DriftColumnResult): string {
  const notes = c.notes.length ? `<div class="note">${c.notes.map(escape).join('<br>')}</div>` : '';
  return `<tr class="${c.drifted ? 'drift' : ''}">
<td><b>${escape(c.column)}</b>${c.role === 'feature' ? '' : ` <span class="tag">${c.role}</span>`}${notes}</td>
<td>${c.type}</td><td>${escape(c.test_label)}</td><td class="num">${format(c.score)}</td><td class="num">${format(c.threshold)}</td>
<td>${c.drifted ? '<span class="bad">Drift</span>' : '<span class="ok">No drift</span>'}</td>
<td>${chart(c.reference.histogram, c.current.histogram, 180, 40)}</td>
<td class="num">${c.reference.missing} / ${c.current.missing}</td></tr>`;
}

const STYLE = `
:root{--fg:var(--vscode-foreground,#1f2328);--bg:var(--vscode-editor-background,#fff);--muted:var(--vscode-descriptionForeground,#656d76);
--line:var(--vscode-panel-border,#d0d7de);--ref:var(--vscode-charts-blue,#4e79a7);--cur:var(--vscode-charts-orange,#f28e2b);
--bad:var(--vscode-charts-red,#cf222e);--ok:var(--vscode-charts-green,#1a7f37)}
body{font:13px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:24px}
h1{font-size:20px;margin:0 0 4px}.muted,.note{color:var(--muted)}.note{font-size:11px;max-width:420px}
.summary{font-size:16px;margin:12px 0}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:middle}
th{font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:var(--bad);font-weight:600}.ok{color:var(--ok)}tr.drift td:first-child{box-shadow:inset 3px 0 var(--bad)}
rect.ref{fill:var(--ref);opacity:.75}rect.cur{fill:var(--cur);opacity:.75}
.key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}.tag{font-size:11px;border:1px solid var(--line);border-radius:3px;padding:0 3px}`;

/** Renders the report as one HTML document with no external references. */
export function renderDriftHtml(report: DriftReport): string {
  const verdict = report.dataset_drift ? '<span class="bad">Dataset drift detected</span>' : '<span class="ok">No dataset drift</span>';
  const roles = [
    report.prediction_drift === null ? '' : `Prediction drift: <b>${report.prediction_drift ? 'yes' : 'no'}</b>.`,
    report.target_drift === null ? '' : `Target drift: <b>${report.target_drift ? 'yes' : 'no'}</b>.`,
  ].join(' ');
  const list = (items: string[]): string => (items.length ? `<ul>${items.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>` : '');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Drift report</title><style>${STYLE}</style></head><body>
<h1>Drift report</h1>
<div class="muted">Reference ${escape(report.reference.path)} (${report.reference.rows} rows) · current ${escape(report.current.path)} (${report.current.rows} rows) · ${escape(report.generated_at)}</div>
<p class="summary">Drift detected in ${report.number_of_drifted_columns} of ${report.number_of_columns} columns (${(report.share_of_drifted_columns * 100).toFixed(1)}%; threshold ${(report.drift_share * 100).toFixed(0)}%). ${verdict}. ${roles}</p>
<p class="key muted">Distribution: <span style="background:var(--ref)"></span>reference <span style="background:var(--cur)"></span>current</p>
<table><thead><tr><th>Column</th><th>Type</th><th>Test</th><th class="num">Score</th><th class="num">Threshold</th><th>Result</th><th>Distribution</th><th class="num">Missing (ref / cur)</th></tr></thead>
<tbody>${report.columns.map(row).join('\n')}</tbody></table>
${report.skipped.length ? `<h2>Not tested</h2>${list(report.skipped.map((s) => s.message))}` : ''}
${report.notes.length ? `<h2>Notes</h2>${list(report.notes)}` : ''}
</body></html>
`;
}
