import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WINDOWS_PER_RUN, dueWindows, nextDue, parseWindowLength, windowStart } from '../../src/engine/monitoring/window';

const H = 3_600_000;
const D = 24 * H;

test('window lengths: s, m, h, d, w; anything else is null', () => {
  assert.deepEqual(['2s', '15m', '12h', '1d', '1w', ' 7d '].map(parseWindowLength), [2000, 900_000, 12 * H, D, 7 * D, 7 * D]);
  for (const bad of ['', '1', 'd', '1.5d', '-1d', '0d', '1y', '1 day']) assert.equal(parseWindowLength(bad), null, bad);
});

test('windows are aligned to the epoch in UTC: days at 00:00Z, weeks on Thursdays', () => {
  const t = Date.parse('2026-12-04T15:30:00Z');
  assert.equal(new Date(windowStart(t, D)).toISOString(), '2026-12-04T00:00:00.000Z');
  assert.equal(new Date(windowStart(t, 12 * H)).toISOString(), '2026-12-04T12:00:00.000Z');
  assert.equal(new Date(windowStart(t, 7 * D)).getUTCDay(), 4);
});

test('due windows: first run the last closed one; later every closed one after the stored; --since backfills; capped', () => {
  const now = Date.parse('2026-12-04T15:30:00Z');
  const today = Date.parse('2026-12-04T00:00:00Z');
  assert.deepEqual(dueWindows(D, now, null).windows, [{ start: today - D, end: today }]);
  assert.deepEqual(dueWindows(D, now, today).windows, []);
  assert.deepEqual(dueWindows(D, now, today - 3 * D).windows.map((w) => w.start), [today - 3 * D, today - 2 * D, today - D]);
  assert.deepEqual(dueWindows(D, now, null, today - 2 * D + 5).windows.map((w) => w.start), [today - 2 * D, today - D]);
  const capped = dueWindows(1000, now, now - 10_000 * 1000);
  assert.equal(capped.windows.length, MAX_WINDOWS_PER_RUN);
  assert.equal(capped.skipped, 10_000 - MAX_WINDOWS_PER_RUN);
  assert.equal(capped.windows.at(-1)!.end, windowStart(now, 1000), 'the newest windows are kept');
  assert.equal(nextDue(D, now, today), today + D);
  assert.equal(nextDue(D, now, null), today, 'a monitor without reports is due at once');
});
