import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingMetrics } from '../../src/engine/serving/metrics';

void test('Prometheus text: cumulative buckets, +Inf equals count, labels escaped, model info', () => {
  const metrics = new ServingMetrics();
  metrics.record('predict', 200, 0.0002);
  metrics.record('predict', 200, 0.003);
  metrics.record('predict', 400, 0.00005, 'BAD_REQUEST');
  metrics.serving = { model: 'credit "risk"\nv', version: '3' };
  const text = metrics.render();
  const bucket = (le: string) => Number(new RegExp(`slipway_serving_request_duration_seconds_bucket\\{route="predict",le="${le.replace('+', '\\+')}"\\} (\\d+)`).exec(text)![1]);
  assert.deepEqual([bucket('0.0001'), bucket('0.00025'), bucket('0.0025'), bucket('0.005'), bucket('+Inf')], [1, 2, 2, 3, 3]);
  assert.match(text, /slipway_serving_request_duration_seconds_count\{route="predict"\} 3/);
  assert.match(text, /slipway_serving_requests_total\{route="predict",code="200"\} 2/);
  assert.match(text, /slipway_serving_errors_total\{route="predict",status="400",code="BAD_REQUEST"\} 1/);
  assert.ok(text.includes('slipway_serving_model_info{model="credit \\"risk\\"\\nv",version="3"} 1'));
  for (const line of text.trimEnd().split('\n')) assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? -?[\d.e+-]+)$/, line);
});
