import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amber', 'brisk', 'calm', 'deft', 'eager', 'fleet', 'gentle', 'hardy', 'keen', 'lucid', 'mellow', 'nimble', 'placid', 'quiet', 'rapid', 'steady', 'tidal', 'vivid', 'wry', 'zesty'];
const NOUNS = ['anchor', 'beacon', 'cove', 'dinghy', 'estuary', 'ferry', 'gull', 'harbor', 'inlet', 'jetty', 'keel', 'lagoon', 'mooring', 'oar', 'pier', 'quay', 'rudder', 'sail', 'tide', 'wharf'];

/** A readable run name such as `steady-keel-417`, used when a run is created without one. */
export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]!}-${NOUNS[randomInt(NOUNS.length)]!}-${randomInt(1000)}`;
}
