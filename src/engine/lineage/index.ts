export { recordDataVersions, workspaceDataVersions, dataVersionsOfRun, runsUsingData, modelVersionsUsingData, modelVersionsOfRun, dataVersionsOfModelVersion, DATA_VERSIONS_ARTIFACT, DATA_VERSIONS_TAG, DATA_VERSIONS_NOTE_TAG } from './lineage';
export { reproduceRun } from './reproduce';
export type { ReproduceResult } from './reproduce';
export { gc } from './gc';
export type { GcOptions, GcResult, GcObject, GcStoreResult } from './gc';
