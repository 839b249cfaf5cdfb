export { CONFIG_FILE, CONFIG_VERSION, loadProjectConfig, parseProjectConfig, defaultSettings } from './project-config';
export type { ProjectConfig } from './project-config';
export type { SectionSpec, ProjectSettings } from './sections';
