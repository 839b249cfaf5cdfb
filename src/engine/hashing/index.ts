export { HashPool } from './pool';
export type { FileHashResult, HashJob, StoreTarget } from './pool';
export { hashListing, parseListing } from './dir-listing';
export type { ListingEntry, DirectoryHash } from './dir-listing';
export { pythonJsonDumps, pythonJsonString, comparePython } from './python-json';
