export { PROJECT_MARKERS, findProjectRoot, findGitRoot, ProjectPaths, requireProject } from './project';
