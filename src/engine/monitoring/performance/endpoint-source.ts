import type { Store } from '../../store';
import { SlipwayError } from '../../errors';
import { scoreIndexOf, scoreOutputOf, type EndpointSettings } from '../../serving';
import { binaryLabels, LabelCoder } from './labels';
import type { LabelledScores } from './windows';

/** An endpoint's logged predictions joined with their latest labels, as typed arrays. */
export interface EndpointPredictions {
  data: LabelledScores & { ts: Float64Array };
  /** Model and version of the newest logged prediction. */
  model: string;
  version: string;
  notes: string[];
}

// Integer bounds SQLite compares ts_ms with when the caller gives no range.
const EARLIEST = -8.64e15;
const LATEST = 8.64e15;

function jsonKey(name: string): string {
  if (name.includes('"')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `The score output name ${name} contains a double quote, which the prediction log query cannot address.`);
  return `$."${name}"`;
}

/**
 * Reads `prediction_log` rows of one endpoint in [fromMs, toMs), each with its latest `prediction_feedback` label,
 * streaming through SQLite into typed arrays. The score is the endpoint's score output at its positive label's column,
 * found as serving finds it, extracted by SQLite's JSON functions so no row is parsed in JavaScript.
 */
export function readEndpointPredictions(store: Store, settings: EndpointSettings, positiveLabel: string, fromMs?: number, toMs?: number): EndpointPredictions {
  const db = store.db;
  return store.read(() => {
    const newest = db.prepare('SELECT model, version, outputs FROM prediction_log WHERE endpoint = ? ORDER BY ts_ms DESC LIMIT 1').get(settings.name) as { model: string; version: string; outputs: string } | undefined;
    if (!newest) {
      const known = (db.prepare('SELECT DISTINCT endpoint FROM prediction_log LIMIT 20').pluck().all() as string[]).map((e) => JSON.stringify(e));
      throw new SlipwayError(
        'RESOURCE_DOES_NOT_EXIST',
        `Endpoint ${settings.name} has no logged predictions in ${store.path}. ${known.length ? `Endpoints with predictions: ${known.join(', ')}.` : 'No endpoint has logged predictions yet.'} Serve it (slipway serve ${settings.name}) and send predictions first.`,
      );
    }
    const outputNames = Object.keys(JSON.parse(newest.outputs) as Record<string, unknown>).filter((k) => k !== 'postprocessed');
    const scoreOutput = scoreOutputOf(settings, outputNames);
    if (!scoreOutput || !outputNames.includes(scoreOutput)) {
      throw new SlipwayError(
        'INVALID_PARAMETER_VALUE',
        `The predictions of endpoint ${settings.name} have no score output${scoreOutput ? ` "${scoreOutput}"` : ''} (their outputs are ${outputNames.join(', ')}). Name the probability output with serving.endpoints.${settings.name}.score_output in slipway.yaml.`,
      );
    }
    const index = scoreIndexOf({ classes: settings.classes, positiveLabel });
    const key = jsonKey(scoreOutput);
    const from = fromMs ?? EARLIEST;
    const to = toMs ?? LATEST;
    const count = db.prepare('SELECT count(*) FROM prediction_log WHERE endpoint = ? AND ts_ms >= ? AND ts_ms < ?').pluck().get(settings.name, from, to) as number;
    const scores = new Float64Array(count);
    const ts = new Float64Array(count);
    const codes = new Int32Array(count);
    const coder = new LabelCoder();
    const rows = db
      .prepare(
        `SELECT p.ts_ms, COALESCE(json_extract(p.outputs, ?), json_extract(p.outputs, ?)),
                (SELECT f.label FROM prediction_feedback f WHERE f.id = p.id ORDER BY f.seq DESC LIMIT 1)
           FROM prediction_log p WHERE p.endpoint = ? AND p.ts_ms >= ? AND p.ts_ms < ?`,
      )
      .raw(true);
    let n = 0;
    for (const row of rows.iterate(Number.isInteger(index) && index >= 0 ? `${key}[${index}]` : `${key}[#]`, key, settings.name, from, to) as Iterable<[number, unknown, unknown]>) {
      if (n === count) break;
      ts[n] = row[0];
      const score = row[1];
      scores[n] = typeof score === 'number' ? score : NaN;
      codes[n] = coder.code(row[2]);
      n++;
    }
    const labels = binaryLabels(codes, n, coder.keys, positiveLabel, `endpoint ${settings.name}`);
    const notes: string[] = [];
    return { data: { scores, labels, ts, length: n }, model: newest.model, version: newest.version, notes };
  });
}
