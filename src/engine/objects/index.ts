export { ObjectStore, md5File, md5Buffer } from './object-store';
export type { StoredObject } from './object-store';
