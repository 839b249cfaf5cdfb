export { writeDeployContext } from './deploy';
export type { DeployOptions, DeployResult } from './deploy';
export { manifests, k8sName } from './manifests';
