// Metric values against scikit-learn's (fixture made by scripts/fixtures/performance-reference.py), and windowing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { calibrationBin, degradedMetrics, groupMetrics, performanceWindows } from '../../src/engine/monitoring/performance';
import { formatDuration, parseDuration } from '../../src/engine/monitoring/duration';
import { PERFORMANCE_METRICS, type PerformanceMetric } from '../../src/shared/monitoring';

interface Case {
  name: string;
  threshold: number;
  scores: number[];
  labels: number[];
  expected: Record<PerformanceMetric, number | null>;
  calibration: { counts: number[]; prob_true: number[]; prob_pred: number[] };
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'performance', 'sklearn-reference.json'), 'utf8')) as { cases: Case[] };
const TOLERANCE = 1e-9;

function split(c: Case): { pos: Float64Array; neg: Float64Array } {
  return { pos: Float64Array.from(c.scores.filter((_, i) => c.labels[i] === 1)), neg: Float64Array.from(c.scores.filter((_, i) => c.labels[i] !== 1)) };
}

for (const c of fixture.cases) {
  void test(`scikit-learn agreement: ${c.name}`, () => {
    const { pos, neg } = split(c);
    const got = groupMetrics(pos, neg, c.threshold);
    for (const metric of PERFORMANCE_METRICS) {
      const want = c.expected[metric];
      const value = got.metrics[metric];
      if (want === null) assert.equal(value, null, metric);
      else assert.ok(value !== null && Math.abs(value - want) <= TOLERANCE, `${metric}: ${value} vs scikit-learn ${want}`);
    }
    assert.deepEqual(got.calibration.map((b) => b.count), c.calibration.counts);
    const kept = got.calibration.filter((b) => b.count > 0);
    kept.forEach((b, i) => {
      assert.ok(Math.abs(b.mean_score! - c.calibration.prob_pred[i]!) <= TOLERANCE, `bin ${i} mean score`);
      assert.ok(Math.abs(b.positive_rate! - c.calibration.prob_true[i]!) <= TOLERANCE, `bin ${i} positive rate`);
    });
    assert.equal(got.singleClass, c.expected.roc_auc === null);
  });
}

void test('calibration bins are (lo, hi] with 0 in the first, like numpy searchsorted', () => {
  assert.deepEqual([0, 1e-9, 0.1, 0.1000001, 0.3, 0.30000000000000004, 0.3000000000000001, 0.95, 1].map(calibrationBin), [0, 0, 0, 1, 2, 2, 3, 9, 9]);
});

void test('windows: aligned to the window length, empty ones kept, overall equals the union', () => {
  const HOUR = 3_600_000;
  const t0 = Date.UTC(2026, 11, 1);
  // Three hours: hour 0 and 2 have labelled rows, hour 1 has none at all.
  const ts = Float64Array.of(t0 + 10, t0 + 20, t0 + 30, t0 + 40, t0 + 2 * HOUR + 5, t0 + 2 * HOUR + 6, t0 + 2 * HOUR + 7);
  const scores = Float64Array.of(0.9, 0.2, 0.8, 0.4, 0.7, 0.6, 0.1);
  const labels = Int8Array.of(1, 0, 0, -1, 1, 1, 1);
  const result = performanceWindows({ scores, labels, ts }, { windowMs: HOUR });
  assert.deepEqual(result.windows.map((w) => [w.start_ms - t0, w.end_ms - t0, w.predictions, w.labelled, w.positives]), [[0, HOUR, 4, 3, 1], [HOUR, 2 * HOUR, 0, 0, 0], [2 * HOUR, 3 * HOUR, 3, 3, 3]]);
  assert.equal(result.windows[0]!.metrics.roc_auc, 1);
  assert.ok(Math.abs(result.windows[0]!.metrics.accuracy! - 2 / 3) < 1e-15);
  assert.equal(result.windows[2]!.metrics.roc_auc, null);
  assert.ok(result.notes.some((n) => /Only one class.*window 2026-12-01T02:00Z/.test(n)), result.notes.join('\n'));
  assert.equal(result.overall.predictions, 7);
  assert.equal(result.overall.labelled, 6);
  const whole = groupMetrics(Float64Array.of(0.9, 0.7, 0.6, 0.1), Float64Array.of(0.2, 0.8), 0.5);
  assert.deepEqual(result.overall.metrics, whole.metrics);

  const ranged = performanceWindows({ scores, labels, ts }, { windowMs: HOUR, fromMs: t0 + 25, toMs: t0 + 2 * HOUR + 6 });
  assert.deepEqual(ranged.windows.map((w) => w.predictions), [2, 0, 1]);
  assert.equal(ranged.overall.start_ms, t0 + 25);
  const single = performanceWindows({ scores, labels, ts });
  assert.equal(single.windows.length, 1);
  assert.equal(single.windows[0], single.overall);
});

void test('no labels: null metrics, a note, nothing degraded', () => {
  const n = 100;
  const result = performanceWindows({ scores: new Float64Array(n).fill(0.3), labels: new Int8Array(n).fill(-1), ts: new Float64Array(n) });
  assert.ok(PERFORMANCE_METRICS.every((m) => result.overall.metrics[m] === null));
  assert.ok(result.notes.some((note) => /No labels yet/.test(note)));
  assert.deepEqual(degradedMetrics(result.overall, { accuracy: 0.99, log_loss: 0 }, 0.05, 0), []);
});

void test('degradation: direction by metric, allowed change, minimum labels', () => {
  const scores = Float64Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.9 : 0.1));
  const labels = Int8Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // half the 0.1s are positives
  const w = performanceWindows({ scores, labels }).overall;
  assert.equal(w.metrics.accuracy, 0.25);
  assert.deepEqual(degradedMetrics(w, { accuracy: 0.31, roc_auc: 0.2 }, 0.05, 30), ['accuracy']);
  assert.deepEqual(degradedMetrics(w, { accuracy: 0.3 }, 0.05, 30), []);
  assert.deepEqual(degradedMetrics(w, { brier: w.metrics.brier! - 0.051, ece: w.metrics.ece! + 0.5 }, 0.05, 30), ['brier']);
  assert.deepEqual(degradedMetrics(w, { accuracy: 0.9 }, 0.05, 41), []);
});

void test('scores outside [0, 1]: threshold metrics and AUC, no probability metrics, a note', () => {
  const result = performanceWindows({ scores: Float64Array.of(-2, 3, 0.5, 1.5), labels: Int8Array.of(0, 1, 0, 1) }, { threshold: 1 });
  assert.equal(result.overall.metrics.roc_auc, 1);
  assert.equal(result.overall.metrics.accuracy, 1);
  assert.equal(result.overall.metrics.log_loss, null);
  assert.deepEqual(result.overall.calibration, []);
  assert.ok(result.notes.some((n) => /outside \[0, 1\]/.test(n)));
});

void test('durations: 30m, 12h, 1d, 7d, 1w; bad ones named', () => {
  assert.deepEqual(['30m', '12h', '1d', '7d', '1w', '45s'].map((d) => parseDuration(d)), [1_800_000, 43_200_000, 86_400_000, 604_800_000, 604_800_000, 45_000]);
  assert.equal(formatDuration(86_400_000), '1d');
  assert.equal(formatDuration(604_800_000), '1w');
  assert.equal(formatDuration(90_000), '90s');
  for (const bad of ['', '1', 'd', '0d', '1.5h', '-1d', '1y']) assert.throws(() => parseDuration(bad, '--window'), /--window expects a positive duration/);
});

void test('rows without a score or a time are left out of the metrics and counted in a note', () => {
  const ts = Float64Array.of(0, 1, NaN, 3);
  const result = performanceWindows({ scores: Float64Array.of(0.9, NaN, 0.8, 0.1), labels: Int8Array.of(1, 1, 1, 0), ts }, { fromMs: 0 });
  assert.equal(result.overall.predictions, 3);
  assert.equal(result.overall.labelled, 3);
  assert.equal(result.overall.metrics.roc_auc, 1);
  assert.equal(result.overall.metrics.accuracy, 1);
  assert.ok(result.notes.includes('1 prediction has no timestamp and was left out.'), result.notes.join('\n'));
  assert.ok(result.notes.includes('1 labelled prediction has no score and was left out of the metrics.'), result.notes.join('\n'));
  assert.throws(() => performanceWindows({ scores: Float64Array.of(0.5), labels: Int8Array.of(1) }, { windowMs: 1000 }), /need a timestamp/);
  assert.throws(() => performanceWindows({ scores: Float64Array.of(0.5), labels: Int8Array.of(1), ts: Float64Array.of(0) }, { windowMs: 1, toMs: 1e9 }), /splits into 1000000000 windows/);
});
