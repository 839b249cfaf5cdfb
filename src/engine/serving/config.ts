import { isScalar, type Node } from 'yaml';
import { asMap, asNumber, asSeq, asString, entries, type YamlFile } from '../yaml';

/** A field computed from the score by thresholds: the first rule whose `above` the score exceeds gives the label. */
export interface ThresholdRule {
  field: string;
  thresholds: { above: number; label: string }[];
  otherwise: string;
}

/** `serving.endpoints.<name>` in slipway.yaml. */
export interface EndpointSettings {
  name: string;
  /** MODELREF served by `slipway serve NAME`. */
  model?: string;
  /** Column schema file, relative to the project root (else the version's schema). */
  schema?: string;
  /** ONNX output holding class probabilities (default: an output named probabilities / probability / output_probability). */
  scoreOutput?: string;
  /** The class whose probability is the score (default 1). */
  positiveLabel: string | number;
  /** Class labels in the order of the probability output's columns (default 0, 1, …). */
  classes?: (string | number)[];
  postprocess: ThresholdRule[];
}

export interface ServingSettings {
  endpoints: Record<string, EndpointSettings>;
}

const ENDPOINT_KEYS = ['model', 'schema', 'score_output', 'positive_label', 'classes', 'postprocess'];

/** Settings of an endpoint that slipway.yaml does not describe. */
export function defaultEndpoint(name: string): EndpointSettings {
  return { name, positiveLabel: 1, postprocess: [] };
}

function scalar(file: YamlFile, node: Node | null, what: string): string | number | null {
  if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return node.value;
  file.report(node, `${what} must be a number or a string.`, 'yaml/type');
  return null;
}

function parseEndpoint(file: YamlFile, name: string, node: Node | null): EndpointSettings {
  const out = defaultEndpoint(name);
  const map = asMap(file, node, `serving.endpoints.${name}`);
  if (!map) return out;
  for (const { key, keyNode, value } of entries(file, map)) {
    const where = `serving.endpoints.${name}.${key}`;
    if (key === 'model' || key === 'schema') {
      const text = asString(file, value, where);
      if (text !== null) out[key] = text;
    } else if (key === 'score_output') {
      out.scoreOutput = asString(file, value, where) ?? undefined;
    } else if (key === 'positive_label') {
      out.positiveLabel = scalar(file, value, where) ?? out.positiveLabel;
    } else if (key === 'classes') {
      out.classes = (asSeq(file, value, where)?.items ?? []).map((item) => scalar(file, item as Node, `each of ${where}`) ?? '');
    } else if (key === 'postprocess') {
      out.postprocess = parsePostprocess(file, value, where);
    } else {
      file.report(keyNode, `Unknown key "${key}" in serving.endpoints.${name}. Known keys: ${ENDPOINT_KEYS.join(', ')}.`, 'config/unknown-key');
    }
  }
  return out;
}

/**
 * `postprocess: { <field>: { thresholds: [{ above: 0.35, label: HIGH }, ...], otherwise: LOW } }`. Thresholds are
 * checked in descending order, whatever order the file lists them in.
 */
function parsePostprocess(file: YamlFile, node: Node | null, where: string): ThresholdRule[] {
  const rules: ThresholdRule[] = [];
  const map = asMap(file, node, where);
  if (!map) return rules;
  for (const { key: field, value } of entries(file, map)) {
    const ruleMap = asMap(file, value, `${where}.${field}`);
    if (!ruleMap) continue;
    const rule: ThresholdRule = { field, thresholds: [], otherwise: '' };
    let sawOtherwise = false;
    for (const { key, keyNode, value: v } of entries(file, ruleMap)) {
      if (key === 'otherwise') {
        sawOtherwise = true;
        rule.otherwise = asString(file, v, `${where}.${field}.otherwise`) ?? '';
      } else if (key === 'thresholds') {
        for (const item of asSeq(file, v, `${where}.${field}.thresholds`)?.items ?? []) {
          const step = asMap(file, item as Node, `each of ${where}.${field}.thresholds`);
          if (!step) continue;
          let above: number | null = null;
          let label: string | null = null;
          for (const { key: k, keyNode: kn, value: sv } of entries(file, step)) {
            if (k === 'above') above = asNumber(file, sv, 'above');
            else if (k === 'label') label = asString(file, sv, 'label');
            else file.report(kn, `Unknown key "${k}" in a threshold. Known keys: above, label.`, 'config/unknown-key');
          }
          if (above === null || label === null) file.report(step, 'Each threshold needs `above: <number>` and `label: <text>`.', 'config/threshold');
          else rule.thresholds.push({ above, label });
        }
      } else {
        file.report(keyNode, `Unknown key "${key}" in ${where}.${field}. Known keys: thresholds, otherwise.`, 'config/unknown-key');
      }
    }
    if (!sawOtherwise) file.report(ruleMap, `${where}.${field} needs \`otherwise: <label>\` for scores below every threshold.`, 'config/threshold');
    rule.thresholds.sort((a, b) => b.above - a.above);
    rules.push(rule);
  }
  return rules;
}

/** The `serving:` section of slipway.yaml. */
export const servingSection = {
  name: 'serving' as const,
  description: 'Prediction endpoints: model, schema, score output and post-processing.',
  defaults: (): ServingSettings => ({ endpoints: {} }),
  parse(file: YamlFile, node: Node | null): ServingSettings {
    const out = servingSection.defaults();
    const map = asMap(file, node, 'serving');
    if (!map) return out;
    for (const { key, keyNode, value } of entries(file, map)) {
      if (key !== 'endpoints') {
        file.report(keyNode, `Unknown key "${key}" in serving. Known keys: endpoints.`, 'config/unknown-key');
        continue;
      }
      const endpoints = asMap(file, value, 'serving.endpoints');
      if (!endpoints) continue;
      for (const { key: name, value: endpoint } of entries(file, endpoints)) out.endpoints[name] = parseEndpoint(file, name, endpoint);
    }
    return out;
  },
};

/** Applies threshold rules to a score. */
export function postprocess(rules: readonly ThresholdRule[], score: number | undefined): Record<string, string> | undefined {
  if (!rules.length || score === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const rule of rules) out[rule.field] = rule.thresholds.find((t) => score > t.above)?.label ?? rule.otherwise;
  return out;
}
