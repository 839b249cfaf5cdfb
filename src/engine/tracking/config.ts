import type { Node } from 'yaml';
import { asMap, asString, entries, type YamlFile } from '../yaml';

/** The `tracking:` section of slipway.yaml. */
export interface TrackingSettings {
  /** Experiment that `slipway run` logs into when `--experiment` is not given. */
  experiment: string;
}

export const trackingSection = {
  name: 'tracking' as const,
  description: 'Defaults for tracked runs.',
  defaults: (): TrackingSettings => ({ experiment: 'Default' }),
  parse(file: YamlFile, node: Node | null): TrackingSettings {
    const out = trackingSection.defaults();
    const map = asMap(file, node, 'tracking');
    if (!map) return out;
    for (const { key, keyNode, value } of entries(file, map)) {
      if (key === 'experiment') {
        const name = asString(file, value, 'tracking.experiment');
        if (name !== null) out.experiment = name;
      } else {
        file.report(keyNode, `Unknown key "${key}" in tracking. Known keys: experiment.`, 'config/unknown-key');
      }
    }
    return out;
  },
};
