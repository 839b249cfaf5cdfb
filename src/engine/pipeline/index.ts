export { readDvcPipeline } from './dvc-yaml';
export type { DvcPipeline, DvcStage, PathRef } from './dvc-yaml';
export { checkMissingDeps, MISSING_DEP } from './missing-deps';
export type { PathExists } from './missing-deps';
