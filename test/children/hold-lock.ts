// Opens the store, takes the write lock and holds it for argv[3] ms, printing "locked" once it has it.
import { Store } from '../../src/engine/store';

const store = Store.open(process.argv[2]!);
store.db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\n');
setTimeout(() => {
  store.db.exec('COMMIT');
  store.close();
}, Number(process.argv[3]));
