export { Store, APPLICATION_ID, translateSqliteError } from './database';
export type { ChangeRecord } from './database';
export { ChangeFollower } from './changes';
export type { Change } from './changes';
export { latestSchemaVersion, migrations } from './migrations';
export type { Migration } from './migrations';
