export { runEngine } from './run';
export type { RunningEngine } from './run';
export { probeEngine, readDiscovery, isProcessAlive, fetchHealth, readSavedState } from './discovery';
export type { EngineProbe } from './discovery';
export { startEngineDetached, stopEngine, daemonScript } from './control';
