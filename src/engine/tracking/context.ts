import type { ObjectStore } from '../objects';
import type { Store } from '../store';

/** What the tracking functions work on: the store and the artifact object store of one project. */
export interface TrackingContext {
  store: Store;
  artifacts: ObjectStore;
}
