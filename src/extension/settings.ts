/** Slipway's settings (`slipway.<key>`), typed. package.json's `contributes.configuration` is checked against SETTINGS. */
export interface SlipwaySettings {
  'engine.autoStart': boolean;
  'engine.nodePath': string;
  'runs.keyMetrics': string[];
  'runs.maxRuns': number;
}

type JsonType<T> = T extends string ? 'string' : T extends boolean ? 'boolean' : T extends number ? 'number' : T extends readonly unknown[] ? 'array' : never;

export type SettingSpec<T> = {
  type: JsonType<T>;
  default: T;
  markdownDescription: string;
  items?: { type: 'string' };
  minimum?: number;
  maximum?: number;
  scope?: 'machine' | 'machine-overridable' | 'resource' | 'window';
};

export const SETTINGS: { [K in keyof SlipwaySettings]: SettingSpec<SlipwaySettings[K]> } = {
  'engine.autoStart': {
    type: 'boolean',
    default: true,
    markdownDescription: 'Start the Slipway engine when a Slipway or DVC workspace opens and none is running (trusted workspaces only).',
  },
  'engine.nodePath': {
    type: 'string',
    default: '',
    scope: 'machine-overridable',
    markdownDescription:
      'Node.js binary that runs the engine. Empty: the editor\'s own runtime (`ELECTRON_RUN_AS_NODE` on desktop, the system Node on code-server). The engine\'s native modules must match this runtime.',
  },
  'runs.keyMetrics': {
    type: 'array',
    items: { type: 'string' },
    default: [],
    markdownDescription: 'Metrics shown next to each run in the Runs view, in this order. Empty: the first three by name.',
  },
  'runs.maxRuns': {
    type: 'number',
    default: 200,
    minimum: 1,
    maximum: 5000,
    markdownDescription: 'How many of the newest runs the Runs view lists.',
  },
};

/** Reads a setting; `get` is the editor's configuration lookup (the wrapper supplies it). */
export function readSettings(get: <T>(key: string) => T | undefined): SlipwaySettings {
  const read = <K extends keyof SlipwaySettings>(key: K): SlipwaySettings[K] => get<SlipwaySettings[K]>(key) ?? SETTINGS[key].default;
  return {
    'engine.autoStart': read('engine.autoStart'),
    'engine.nodePath': read('engine.nodePath'),
    'runs.keyMetrics': read('runs.keyMetrics'),
    'runs.maxRuns': read('runs.maxRuns'),
  };
}
