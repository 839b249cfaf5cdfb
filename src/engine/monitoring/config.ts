/** The `monitors:` and `alerts:` sections of slipway.yaml (docs/monitoring.md). */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { DriftTestName } from '../../shared/drift';
import type { MonitorStatus } from '../../shared/monitoring';
import { TEST_NAMES } from '../drift/tests';
import { YamlFile, asMap, asNumber, asSeq, asString, entries } from '../yaml';
import { parseWindowLength } from './window';

/** A monitor's reference data: a path in the work tree, or the version a git revision's `.dvc` file records. */
export interface ReferenceSetting {
  path: string;
  rev?: string;
}

export interface PerformanceSetting {
  maxChange?: number;
  minLabels?: number;
  threshold?: number;
}

export interface MonitorSettings {
  name: string;
  endpoint?: string;
  data?: string;
  timestamp?: string;
  model?: string;
  reference?: ReferenceSetting;
  window: string;
  windowMs: number;
  columns?: string[];
  prediction?: string;
  target?: string;
  driftShare?: number;
  tests: Record<string, { test?: DriftTestName; threshold?: number }>;
  minRows: number;
  performance?: PerformanceSetting;
}

export interface AlertRuleSettings {
  name: string;
  /** Monitors the rule watches; undefined: all. */
  monitors?: string[];
  on: MonitorStatus[];
  command?: string;
  webhook?: string;
}

export interface MonitorsSettings {
  monitors: Record<string, MonitorSettings>;
}

export interface AlertsSettings {
  rules: Record<string, AlertRuleSettings>;
}

export const DEFAULT_WINDOW = '1d';
export const DEFAULT_MIN_ROWS = 100;
export const DEFAULT_ALERT_ON: MonitorStatus[] = ['drift', 'degraded', 'drift_and_degraded'];
const STATUSES: MonitorStatus[] = ['ok', 'drift', 'degraded', 'drift_and_degraded', 'insufficient', 'error'];

const MONITOR_KEYS = ['endpoint', 'data', 'timestamp', 'model', 'reference', 'window', 'columns', 'prediction', 'target', 'drift_share', 'tests', 'min_rows', 'performance'];
const ALERT_KEYS = ['monitors', 'on', 'command', 'webhook'];

function strings(file: YamlFile, node: Node | null, where: string): string[] {
  if (isScalar(node) && typeof node.value === 'string') return [node.value];
  const seq = asSeq(file, node, where);
  if (!seq) return [];
  const out: string[] = [];
  for (const item of seq.items) {
    const text = asString(file, item as Node, `each of ${where}`);
    if (text !== null) out.push(text);
  }
  return out;
}

function fraction(file: YamlFile, node: Node | null, where: string, lo: number, hi: number): number | undefined {
  const n = asNumber(file, node, where);
  if (n === null) return undefined;
  if (!(n >= lo && n <= hi)) {
    file.report(node, `${where} must be from ${lo} to ${hi}; got ${n}.`, 'config/range');
    return undefined;
  }
  return n;
}

function wholeNumber(file: YamlFile, node: Node | null, where: string): number | undefined {
  const n = asNumber(file, node, where);
  if (n === null) return undefined;
  if (!Number.isInteger(n) || n < 0) {
    file.report(node, `${where} must be a whole number of at least 0; got ${n}.`, 'config/range');
    return undefined;
  }
  return n;
}

function parseReference(file: YamlFile, node: Node | null, where: string): ReferenceSetting | undefined {
  if (isMap(node)) {
    let path: string | undefined;
    let rev: string | undefined;
    for (const { key, keyNode, value } of entries(file, node)) {
      if (key === 'path') path = asString(file, value, `${where}.path`) ?? undefined;
      else if (key === 'rev') rev = asString(file, value, `${where}.rev`) ?? undefined;
      else file.report(keyNode, `Unknown key "${key}" in ${where}. Known keys: path, rev.`, 'config/unknown-key');
    }
    if (!path) {
      file.report(node, `${where} needs \`path:\` (the tracked data file), with \`rev:\` naming a git revision.`, 'config/reference');
      return undefined;
    }
    return { path, rev };
  }
  const path = asString(file, node, where);
  return path ? { path } : undefined;
}

function parseTests(file: YamlFile, node: Node | null, where: string): MonitorSettings['tests'] {
  const out: MonitorSettings['tests'] = {};
  const map = asMap(file, node, where);
  if (!map) return out;
  for (const { key: column, value } of entries(file, map)) {
    const spec = asMap(file, value, `${where}.${column}`);
    if (!spec) continue;
    const one: { test?: DriftTestName; threshold?: number } = {};
    for (const { key, keyNode, value: v } of entries(file, spec)) {
      if (key === 'test') {
        const test = asString(file, v, `${where}.${column}.test`);
        if (test !== null && !TEST_NAMES.includes(test as DriftTestName)) file.report(v, `Unknown drift test "${test}" in ${where}.${column}. Use one of: ${TEST_NAMES.join(', ')}.`, 'config/value');
        else if (test !== null) one.test = test as DriftTestName;
      } else if (key === 'threshold') {
        const t = asNumber(file, v, `${where}.${column}.threshold`);
        if (t !== null && !(t >= 0)) file.report(v, `${where}.${column}.threshold must be at least 0.`, 'config/range');
        else if (t !== null) one.threshold = t;
      } else {
        file.report(keyNode, `Unknown key "${key}" in ${where}.${column}. Known keys: test, threshold.`, 'config/unknown-key');
      }
    }
    out[column] = one;
  }
  return out;
}

function parsePerformance(file: YamlFile, node: Node | null, where: string): PerformanceSetting | undefined {
  const map = asMap(file, node, where);
  if (!map) return undefined;
  const out: PerformanceSetting = {};
  for (const { key, keyNode, value } of entries(file, map)) {
    if (key === 'max_change') out.maxChange = fraction(file, value, `${where}.max_change`, 0, 1);
    else if (key === 'min_labels') out.minLabels = wholeNumber(file, value, `${where}.min_labels`);
    else if (key === 'threshold') out.threshold = fraction(file, value, `${where}.threshold`, 0, 1);
    else file.report(keyNode, `Unknown key "${key}" in ${where}. Known keys: max_change, min_labels, threshold.`, 'config/unknown-key');
  }
  return out;
}

function parseMonitor(file: YamlFile, name: string, node: Node | null, keyNode: Node): MonitorSettings | null {
  const where = `monitors.${name}`;
  const out: MonitorSettings = { name, window: DEFAULT_WINDOW, windowMs: parseWindowLength(DEFAULT_WINDOW)!, tests: {}, minRows: DEFAULT_MIN_ROWS };
  const map = asMap(file, node, where);
  if (!map) return null;
  for (const { key, keyNode: kn, value } of entries(file, map)) {
    const at = `${where}.${key}`;
    switch (key) {
      case 'endpoint': case 'data': case 'timestamp': case 'model': case 'prediction': case 'target': {
        const text = asString(file, value, at);
        if (text !== null && text.trim() === '') file.report(value, `${at} must not be empty.`, 'config/value');
        else if (text !== null) out[key] = text;
        break;
      }
      case 'reference': out.reference = parseReference(file, value, at); break;
      case 'window': {
        const text = asString(file, value, at);
        const ms = text === null ? null : parseWindowLength(text);
        if (text !== null && ms === null) file.report(value, `${at} must be a length such as 30s, 15m, 12h, 1d or 1w; got "${text}".`, 'config/value');
        else if (text !== null && ms !== null) { out.window = text.trim(); out.windowMs = ms; }
        break;
      }
      case 'columns': out.columns = strings(file, value, at); break;
      case 'drift_share': {
        const share = fraction(file, value, at, 0, 1);
        if (share === 0) file.report(value, `${at} must be greater than 0.`, 'config/range');
        else out.driftShare = share;
        break;
      }
      case 'tests': out.tests = parseTests(file, value, at); break;
      case 'min_rows': out.minRows = wholeNumber(file, value, at) ?? out.minRows; break;
      case 'performance': out.performance = parsePerformance(file, value, at); break;
      default: file.report(kn, `Unknown key "${key}" in ${where}. Known keys: ${MONITOR_KEYS.join(', ')}.`, 'config/unknown-key');
    }
  }
  if (!out.endpoint === !out.data) {
    file.report(keyNode, `Monitor "${name}" needs exactly one of \`endpoint:\` (a served endpoint's prediction log) or \`data:\` (a file, folder or glob of CSV/Parquet).`, 'config/monitor-source');
  }
  if (out.endpoint && out.timestamp) file.report(map, `${where}.timestamp applies to data monitors only; an endpoint's windows use the prediction time.`, 'config/value');
  return out;
}

function parseAlert(file: YamlFile, name: string, node: Node | null): AlertRuleSettings | null {
  const where = `alerts.${name}`;
  const map = asMap(file, node, where);
  if (!map) return null;
  const out: AlertRuleSettings = { name, on: DEFAULT_ALERT_ON };
  for (const { key, keyNode, value } of entries(file, map)) {
    const at = `${where}.${key}`;
    if (key === 'monitors') out.monitors = strings(file, value, at);
    else if (key === 'on') {
      const list = strings(file, value, at);
      const bad = list.filter((s) => !STATUSES.includes(s as MonitorStatus));
      if (bad.length) file.report(value, `${at}: unknown status ${bad.map((b) => `"${b}"`).join(', ')}. Use: ${STATUSES.join(', ')}.`, 'config/value');
      else out.on = list as MonitorStatus[];
    } else if (key === 'command') out.command = asString(file, value, at) ?? undefined;
    else if (key === 'webhook') {
      const url = asString(file, value, at);
      if (url !== null && !/^https?:\/\/\S+$/.test(url)) file.report(value, `${at} must be an http:// or https:// URL; got "${url}".`, 'config/value');
      else if (url !== null) out.webhook = url;
    } else file.report(keyNode, `Unknown key "${key}" in ${where}. Known keys: ${ALERT_KEYS.join(', ')}.`, 'config/unknown-key');
  }
  return out;
}

/**
 * A section that maps names to entries (`monitors:`, `alerts:`): an empty section is none, and an entry that does not
 * parse is left out (its problems are reported where they are).
 */
function parseNamed<T>(file: YamlFile, node: Node | null, section: string, parse: (key: string, value: Node | null, keyNode: Node) => T | null): Record<string, T> {
  const out: Record<string, T> = {};
  if (isScalar(node) && node.value === null) return out;
  const map = asMap(file, node, section);
  if (!map) return out;
  for (const { key, keyNode, value } of entries(file, map)) {
    const parsed = parse(key, value, keyNode);
    if (parsed) out[key] = parsed;
  }
  return out;
}

/** The `monitors:` section: one entry per monitor, by name. */
export const monitorsSection = {
  name: 'monitors' as const,
  description: 'Monitors: data or an endpoint\'s prediction log compared with reference data over time windows.',
  defaults: (): MonitorsSettings => ({ monitors: {} }),
  parse(file: YamlFile, node: Node | null): MonitorsSettings {
    return { monitors: parseNamed(file, node, 'monitors', (key, value, keyNode) => parseMonitor(file, key, value, keyNode)) };
  },
};

/** The `alerts:` section: rules that fire on monitor verdicts, by name. */
export const alertsSection = {
  name: 'alerts' as const,
  description: 'Alert rules: which monitor statuses raise an alert, and an optional command or webhook.',
  defaults: (): AlertsSettings => ({ rules: {} }),
  parse(file: YamlFile, node: Node | null): AlertsSettings {
    return { rules: parseNamed(file, node, 'alerts', (key, value) => parseAlert(file, key, value)) };
  },
};

/**
 * Alert rules may only name declared monitors. Reports each undeclared name on `file` at its list item (or at the
 * `monitors:` value when it is a single name), so editors show it with the rest of slipway.yaml's problems.
 */
export function reportAlertMonitors(file: YamlFile, monitors: MonitorsSettings, alerts: AlertsSettings): void {
  const unknown = Object.values(alerts.rules).filter((r) => (r.monitors ?? []).some((m) => !monitors.monitors[m]));
  if (!unknown.length) return;
  const rules = isMap(file.root) ? file.root.get('alerts', true) : null;
  const known = Object.keys(monitors.monitors);
  for (const rule of unknown) {
    const ruleNode = isMap(rules) ? rules.get(rule.name, true) : null;
    const list = isMap(ruleNode) ? (ruleNode.get('monitors', true) as Node | undefined) : undefined;
    const items = isSeq(list) ? list.items : [list];
    for (const name of (rule.monitors ?? []).filter((m) => !monitors.monitors[m])) {
      const node = items.find((i) => isScalar(i) && i.value === name) as Node | undefined;
      file.report(node ?? list ?? null, `alerts.${rule.name}.monitors: no monitor "${name}" under \`monitors:\`.${known.length ? ` Monitors: ${known.join(', ')}.` : ''}`, 'config/unknown-monitor');
    }
  }
}

/**
 * The same rule, enforced where monitors run: loading slipway.yaml for other commands does not fail on it. Re-reads
 * the file at `path` to point at the offending entries; throws CONFIG_INVALID with `file:line:col` for each.
 */
export function checkAlertMonitors(path: string, monitors: MonitorsSettings, alerts: AlertsSettings): void {
  const unknown = Object.values(alerts.rules).some((r) => (r.monitors ?? []).some((m) => !monitors.monitors[m]));
  if (!unknown) return;
  const file = YamlFile.read(path);
  reportAlertMonitors(file, monitors, alerts);
  file.throwIfErrors();
}
