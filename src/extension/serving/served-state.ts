import type { EndpointDiscovery } from '../../shared/serving';
import type { Emitter } from '../util/emitter';

/** The endpoints serving each model version, keyed `name:version`. */
export function servedByVersion(endpoints: readonly EndpointDiscovery[]): Map<string, EndpointDiscovery[]> {
  const map = new Map<string, EndpointDiscovery[]>();
  for (const endpoint of endpoints) {
    if (!endpoint.version) continue;
    const key = `${endpoint.model}:${endpoint.version}`;
    map.set(key, [...(map.get(key) ?? []), endpoint]);
  }
  return map;
}

/** What the Models tree needs from the served endpoints. */
export interface ServedSource {
  readonly endpoints: readonly EndpointDiscovery[];
  readonly onDidChange: Emitter<void>['event'];
}
