import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P_VALUE_TESTS } from '../../src/shared/drift-panel';
import type { MonitorHistoryPoint } from '../../src/shared/monitoring';
import { TESTS } from '../../src/engine/drift/tests';
import { P_FLOOR, allowedBand, linearScale, logScale, metricLine, scoreLine, scoreScale, timeScale } from '../../src/webviews/drift-report/scale';
import type { Box } from '../../src/webviews/drift-report/scale';

const BOX: Box = { width: 220, height: 120, pad: { l: 20, r: 0, t: 10, b: 10 } };
const DAY = 86_400_000;
const point = (day: number, value: number | null, flagged = false): MonitorHistoryPoint => ({ window_start_ms: day * DAY, window_end_ms: (day + 1) * DAY, report_id: `r${day}`, value, flagged });

void test('linear scale: the domain is padded, maps top to the plot top and bottom to the plot bottom; a flat domain gets height', () => {
  const s = linearScale([0.5, 0.9], BOX, { pad: 0 });
  assert.equal(s.kind, 'linear');
  assert.equal(s.y(0.9), 10);
  assert.equal(s.y(0.5), 110);
  assert.equal(s.y(0.7), 60);
  const padded = linearScale([0.5, 0.9], BOX);
  assert.ok(padded.lo < 0.5 && padded.hi > 0.9);
  const flat = linearScale([0.8, 0.8], BOX);
  assert.ok(flat.hi > flat.lo);
  assert.equal(flat.y(0.8), 60, 'a single value sits in the middle');
  const zero = linearScale([0.2, 0.1], BOX, { pad: 0, floorAtZero: true });
  assert.equal(zero.lo, 0);
  assert.equal(zero.y(0), 110);
});

void test('log scale for p-values: decades are evenly spaced, 0 and values below 1e-300 are clamped and labelled "<1e-300"', () => {
  const s = logScale([1e-4, 0.05], BOX);
  assert.equal(s.kind, 'log');
  assert.equal(s.hi, 1);
  assert.equal(s.lo, 1e-5, 'a decade below the smallest value');
  assert.equal(s.y(1), 10);
  assert.equal(s.y(1e-5), 110);
  // Each decade is a fifth of the plot height.
  assert.equal(s.y(1e-1), 30);
  assert.equal(s.y(1e-2) - s.y(1e-1), 20);
  const tiny = logScale([0, 1e-320, 0.3], BOX);
  assert.equal(tiny.lo, P_FLOOR, 'the bottom is floored at 1e-300');
  assert.equal(tiny.y(0), 110);
  assert.equal(tiny.y(1e-320), 110);
  assert.equal(tiny.y(P_FLOOR), 110);
  assert.equal(tiny.label(0), '<1e-300');
  assert.equal(tiny.label(1e-320), '<1e-300');
  assert.equal(tiny.label(P_FLOOR), '1e-300');
  assert.equal(tiny.label(0.05), '0.05');
  assert.equal(tiny.label(2.5e-7), '2.5e-7');
});

void test('score scale by test kind: p-values on log10 with the threshold on it, distances linear from 0', () => {
  const p = scoreScale('p_value', [0.2, 0.3], 0.05, BOX);
  assert.equal(p.kind, 'log');
  assert.equal(p.lo, 1e-3, 'the threshold is inside the domain, a decade of room below it');
  const d = scoreScale('distance', [0.02, 0.3], 0.1, BOX);
  assert.equal(d.kind, 'linear');
  assert.equal(d.lo, 0);
  assert.equal(d.hi, 0.3);
  const below = scoreScale('distance', [0.02, 0.03], 0.1, BOX);
  assert.equal(below.hi, 0.1, 'a threshold above every score stays on the chart');
  assert.equal(below.y(0.1), 10);
});

void test('score line: the threshold is drawn on the same scale as the points; null scores leave gaps, not zeros', () => {
  const g = scoreLine([point(2, 1e-12, true), point(0, 0.5), point(1, null), point(3, 0, true)], 'p_value', 0.05, BOX);
  assert.equal(g.scale.kind, 'log');
  assert.deepEqual(g.points.map((p) => p.reportId), ['r0', 'r2', 'r3'], 'oldest first, the null left out');
  assert.equal(g.thresholdY, g.scale.y(0.05));
  assert.ok(g.points[0]!.y < g.thresholdY && g.points[1]!.y > g.thresholdY, 'above the threshold line is no drift, below it drift');
  assert.deepEqual(g.points.map((p) => p.flagged), [false, true, true]);
  assert.equal(g.points[2]!.y, 110, 'a p-value of 0 sits on the floor');
  assert.equal(g.path.split('L').length, 3);
  assert.match(g.path, /^M/);
  const dist = scoreLine([point(0, 0.05), point(1, 0.2, true)], 'distance', 0.1, BOX);
  assert.equal(dist.scale.kind, 'linear');
  assert.equal(dist.thresholdY, 60);
});

void test('time scale: points at the middle of their windows, spread from the first start to the last end', () => {
  const t = timeScale([point(0, 1), point(9, 1)], BOX);
  assert.equal(t.t0, 0);
  assert.equal(t.t1, 10 * DAY);
  assert.equal(t.x(point(0, 1)), 30);
  assert.equal(t.x(point(9, 1)), 210);
});

void test('allowed band: baseline to max_change below it when higher is better, above it when lower is better', () => {
  assert.deepEqual(allowedBand(0.9, 0.05, false), { lo: 0.9 - 0.05, hi: 0.9, limit: 0.9 - 0.05 });
  assert.deepEqual(allowedBand(0.3, 0.05, true), { lo: 0.3, hi: 0.3 + 0.05, limit: 0.3 + 0.05 });
});

void test('metric line: baseline and band on the scale with the values, degraded windows marked, no baseline means no band', () => {
  const points = [point(0, 0.95), point(1, 0.88), point(2, 0.6, true)];
  const g = metricLine(points, 0.92, 0.05, false, BOX);
  assert.ok(g.scale.lo < 0.6 && g.scale.hi > 0.95, 'values, baseline and band all fit');
  assert.equal(g.baselineY, g.scale.y(0.92));
  assert.equal(g.band!.y, g.baselineY, 'for accuracy the band hangs below the baseline');
  assert.ok(Math.abs(g.band!.y + g.band!.height - g.scale.y(0.87)) <= 0.1);
  assert.deepEqual(g.points.map((p) => p.flagged), [false, false, true]);
  const inBand = (y: number) => y >= g.band!.y && y <= g.band!.y + g.band!.height;
  assert.deepEqual(g.points.map((p) => inBand(p.y)), [false, true, false], '0.95 is above the baseline, 0.88 within the allowed change, 0.6 far below it');

  const loss = metricLine([point(0, 0.3), point(1, 0.5, true)], 0.3, 0.1, true, BOX);
  assert.equal(loss.band!.y + loss.band!.height, loss.baselineY, 'for log loss the band sits above the baseline');
  assert.equal(loss.band!.y, loss.scale.y(0.4));

  const bare = metricLine([point(0, 0.7), point(1, 0.75)], null, 0.05, false, BOX);
  assert.equal(bare.baselineY, null);
  assert.equal(bare.band, null);
  assert.equal(bare.points.length, 2);
});

void test('the p-value tests the panel knows are the engine\'s p-value tests', () => {
  assert.deepEqual([...P_VALUE_TESTS].sort(), Object.values(TESTS).filter((t) => t.scoreKind === 'p_value').map((t) => t.name).sort());
});
