import type { EndpointDiscovery } from '../../shared/serving';
import type { EndpointsModel } from '../serving/model';
import type { ModelsModel } from './model';

/** What the model and serving commands act on, besides the engine and the UI. */
export interface ModelsCommandContext {
  tree: ModelsModel;
  endpoints: EndpointsModel;
  /** Starts a serve process for MODELREF; resolves once it listens. */
  serve(modelRef: string): Promise<EndpointDiscovery>;
  /** Opens the read-only history document of a model. */
  showHistory(name: string): Promise<void>;
  /** JSON files of the workspace a request may be sent from (absolute paths). */
  requestFiles(): Promise<string[]>;
  /** Workspace-relative form of a path, for pickers. */
  relative(path: string): string;
}
