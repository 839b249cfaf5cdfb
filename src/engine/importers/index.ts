export { importMlruns } from './mlruns';
export type { MlrunsImportReport } from './mlruns';
export { rebaseArtifactUri } from './file-uri';
