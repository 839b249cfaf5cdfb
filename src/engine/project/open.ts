import { existsSync } from 'node:fs';
import { loadProjectConfig, type ProjectConfig } from '../config';
import { SlipwayError } from '../errors';
import { ObjectStore } from '../objects';
import { Store } from '../store';
import type { TrackingContext } from '../tracking/context';
import { ProjectPaths, requireProject } from './project';

/** An open project: its paths, validated slipway.yaml, store and artifact store. */
export interface OpenProject {
  paths: ProjectPaths;
  config: ProjectConfig;
  store: Store;
  tracking: TrackingContext;
  close(): void;
}

/**
 * Opens the project containing `cwd`. The project must have been initialised (`slipway init` creates `.slipway/`);
 * slipway.yaml, when present, must be valid.
 */
export function openProject(cwd: string, options: { readonly?: boolean } = {}): OpenProject {
  const paths = requireProject(cwd);
  return openProjectAt(paths, options);
}

export function openProjectAt(paths: ProjectPaths, options: { readonly?: boolean } = {}): OpenProject {
  if (!paths.initialized) {
    throw new SlipwayError('NOT_A_PROJECT', `${paths.root} has no .slipway/ folder. Run \`slipway init\` there first.`);
  }
  const config = loadProjectConfig(paths.root);
  if (options.readonly && !existsSync(paths.database)) {
    throw new SlipwayError('NOT_A_PROJECT', `${paths.root} has no Slipway store yet. Run \`slipway init\` there first.`);
  }
  const store = Store.open(paths.database, { readonly: options.readonly ?? false });
  const tracking: TrackingContext = { store, artifacts: new ObjectStore(paths.artifacts) };
  return { paths, config, store, tracking, close: () => store.close() };
}
