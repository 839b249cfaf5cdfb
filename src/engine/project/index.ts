export { PROJECT_MARKERS, findProjectRoot, findGitRoot, ProjectPaths, requireProject } from './project';
export { openProject, openProjectAt } from './open';
export type { OpenProject } from './open';
export { initProject } from './init';
export type { InitResult } from './init';
