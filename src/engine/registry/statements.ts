import type Database from 'better-sqlite3';

// Search queries vary with their filter and stay uncached (db.prepare), so this cache only holds fixed statements.
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection. Compiling SQL costs more than running these small statements,
 * and every alias move runs about ten of them.
 */
export function sql(db: Database.Database, text: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map<string, Database.Statement>()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.prepare(text)));
  return statement;
}
