export { ObjectStore, md5File, md5Buffer, md5OfOid } from './object-store';
export type { StoredObject, ObjectStoreOptions } from './object-store';
