import type Database from 'better-sqlite3';
import { SlipwayError } from '../errors';

/**
 * MLflow's registry filter syntax: `clause AND clause ...`, each `identifier comparator value`.
 * Identifiers: `name`, `tags.<key>` (or `tag.<key>`, key optionally in backticks or quotes), and for model versions
 * also `run_id`, `source_path`, `version_number`, `model_id`. Comparators: `=`, `!=`, `LIKE`, `ILIKE`; `IN` for
 * `run_id`; `<`, `<=`, `>`, `>=` for `version_number`. LIKE is case-sensitive, ILIKE is not, as in MLflow.
 */
export type SearchEntity = 'models' | 'versions';

export interface CompiledFilter {
  /** SQL boolean expression over the entity's table alias (`m` for models, `v` for versions). */
  where: string;
  params: (string | number)[];
}

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma'; text: string; at: number };

const COLUMNS: Record<SearchEntity, Record<string, { column: string; numeric?: boolean; list?: boolean }>> = {
  models: { name: { column: 'm.name' } },
  versions: {
    name: { column: 'v.name' },
    run_id: { column: 'v.run_id', list: true },
    source_path: { column: 'v.source' },
    model_id: { column: 'v.model_id', list: true },
    version_number: { column: 'v.version', numeric: true },
  },
};

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid filter "${filter}" at character ${i + 1}: ${message}.`);
  };
  while (i < filter.length) {
    const c = filter[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= filter.length) fail('unterminated string');
        if (filter[j] === c && filter[j + 1] === c) {
          text += c;
          j += 2;
        } else if (filter[j] === c) {
          break;
        } else {
          text += filter[j];
          j++;
        }
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(filter[i + 1] ?? ''))) {
      const m = /^-?\d+/.exec(filter.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], at: i });
      i += m[0].length;
    } else if (/[!<>=]/.test(c)) {
      const m = /^(!=|<=|>=|=|<|>)/.exec(filter.slice(i));
      if (!m) fail(`unexpected "${c}"`);
      tokens.push({ kind: 'op', text: m![0], at: i });
      i += m![0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, at: i });
      i++;
    } else {
      // identifiers: letters, digits, _, ., and `backticked` or "quoted" parts after a dot
      let j = i;
      let text = '';
      while (j < filter.length && !/[\s=!<>(),]/.test(filter[j]!)) {
        if (filter[j] === '`') {
          const end = filter.indexOf('`', j + 1);
          if (end < 0) fail('unterminated backtick');
          text += filter.slice(j + 1, end);
          j = end + 1;
        } else if ((filter[j] === '"' || filter[j] === "'") && text.endsWith('.')) {
          const end = filter.indexOf(filter[j]!, j + 1);
          if (end < 0) fail('unterminated quoted key');
          text += filter.slice(j + 1, end);
          j = end + 1;
        } else {
          text += filter[j];
          j++;
        }
      }
      tokens.push({ kind: 'word', text, at: i });
      i = j;
    }
  }
  return tokens;
}

/** Compiles a filter string into SQL. An empty or missing filter matches everything. */
export function compileFilter(entity: SearchEntity, filter: string | undefined): CompiledFilter {
  if (!filter || !filter.trim()) return { where: '1', params: [] };
  const tokens = tokenize(filter);
  const parts: string[] = [];
  const params: (string | number)[] = [];
  let pos = 0;
  const fail = (message: string): never => {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid filter "${filter}": ${message}.`);
  };
  const next = (what: string): Token => tokens[pos++] ?? fail(`expected ${what} at the end`);
  for (;;) {
    const ident = next('an identifier');
    if (ident.kind !== 'word') fail(`expected an identifier, found "${ident.text}"`);
    const opToken = next('a comparator');
    let op = opToken.text.toUpperCase();
    if (opToken.kind === 'word' && op === 'NOT') {
      const after = next('IN');
      if (after.text.toUpperCase() !== 'IN') fail(`expected IN after NOT, found "${after.text}"`);
      op = 'NOT IN';
    } else if (!(opToken.kind === 'op' || (opToken.kind === 'word' && ['LIKE', 'ILIKE', 'IN'].includes(op)))) {
      fail(`expected a comparator after "${ident.text}", found "${opToken.text}"`);
    }
    const { sql, values } = clause(entity, ident.text, op, () => next('a value'), fail);
    parts.push(sql);
    params.push(...values);
    if (pos >= tokens.length) break;
    const and = next('AND');
    if (and.kind !== 'word' || and.text.toUpperCase() !== 'AND') fail(`expected AND, found "${and.text}" (only AND is supported)`);
  }
  return { where: parts.join(' AND '), params };
}

function clause(
  entity: SearchEntity,
  identifier: string,
  op: string,
  next: () => Token,
  fail: (message: string) => never,
): { sql: string; values: (string | number)[] } {
  const lower = identifier.toLowerCase();
  const tagMatch = /^(tags?)\.(.+)$/i.exec(identifier);
  const readString = (): string => {
    const v = next();
    if (v.kind !== 'string') fail(`the value compared with ${identifier} must be a quoted string, found "${v.text}"`);
    return v.text;
  };
  const stringCondition = (column: string): { sql: string; values: (string | number)[] } => {
    if (op === '=' || op === '!=') return { sql: `${column} ${op} ?`, values: [readString()] };
    if (op === 'LIKE' || op === 'ILIKE') return { sql: `slipway_like(${column}, ?, ${op === 'ILIKE' ? 1 : 0})`, values: [readString()] };
    return fail(`${identifier} does not support ${op} (use =, !=, LIKE or ILIKE)`);
  };
  if (tagMatch) {
    const key = tagMatch[2]!;
    const cond = stringCondition('t.value');
    const sql =
      entity === 'models'
        ? `EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.name = m.name AND t.key = ? AND ${cond.sql})`
        : `EXISTS (SELECT 1 FROM model_version_tags t WHERE t.name = v.name AND t.version = v.version AND t.key = ? AND ${cond.sql})`;
    return { sql, values: [key, ...cond.values] };
  }
  const spec = COLUMNS[entity][lower.replace(/^attributes?\./, '')];
  if (!spec) {
    const known = [...Object.keys(COLUMNS[entity]), 'tags.<key>'].join(', ');
    fail(`unknown identifier "${identifier}" (known: ${known})`);
  }
  if (spec.numeric) {
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) fail(`${identifier} is compared with =, !=, <, <=, > or >=`);
    const v = next();
    const n = v.kind === 'number' || v.kind === 'string' ? Number(v.text) : NaN;
    if (!Number.isInteger(n)) fail(`${identifier} must be compared with an integer, found "${v.text}"`);
    return { sql: `${spec.column} ${op} ?`, values: [n] };
  }
  if (op === 'IN' || op === 'NOT IN') {
    if (!spec.list) fail(`${identifier} does not support ${op}`);
    const open = next();
    if (open.kind !== 'lparen') fail(`expected "(" after ${op}`);
    const values: string[] = [];
    for (;;) {
      values.push(readString());
      const sep = next();
      if (sep.kind === 'rparen') break;
      if (sep.kind !== 'comma') fail(`expected "," or ")" in the list after ${op}`);
    }
    return { sql: `${spec.column} ${op} (${values.map(() => '?').join(', ')})`, values };
  }
  return stringCondition(spec.column);
}

const likeCache = new Map<string, RegExp>();

/** SQL LIKE semantics (`%` any run, `_` one character, `\` escapes) as a regular expression. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  const cached = likeCache.get(cacheKey);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
  if (likeCache.size > 500) likeCache.clear();
  likeCache.set(cacheKey, re);
  return re;
}

const registered = new WeakSet<Database.Database>();

/** Registers the SQL functions filters use on a connection (once per connection). */
export function registerSearchFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('slipway_like', { deterministic: true }, (value: unknown, pattern: unknown, ci: unknown) => {
    if (typeof value !== 'string' || typeof pattern !== 'string') return 0;
    return likeToRegExp(pattern, ci === 1).test(value) ? 1 : 0;
  });
  registered.add(db);
}

const ORDER_COLUMNS: Record<SearchEntity, Record<string, string>> = {
  models: { name: 'm.name', timestamp: 'm.last_updated_time', last_updated_timestamp: 'm.last_updated_time', creation_timestamp: 'm.creation_time' },
  versions: {
    name: 'v.name',
    version_number: 'v.version',
    timestamp: 'v.creation_time',
    creation_timestamp: 'v.creation_time',
    last_updated_timestamp: 'v.last_updated_time',
  },
};

/** Compiles `order_by` entries (`column [ASC|DESC]`) into an ORDER BY list, with a unique tiebreak appended. */
export function compileOrderBy(entity: SearchEntity, orderBy: readonly string[] | undefined): string {
  const parts: string[] = [];
  for (const item of orderBy ?? []) {
    const m = /^\s*(?:attributes?\.)?([A-Za-z_]+)\s*(ASC|DESC)?\s*$/i.exec(item);
    const column = m ? ORDER_COLUMNS[entity][m[1]!.toLowerCase()] : undefined;
    if (!m || !column) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by "${item}": use one of ${Object.keys(ORDER_COLUMNS[entity]).join(', ')}, optionally followed by ASC or DESC.`);
    }
    parts.push(`${column} ${(m[2] ?? 'ASC').toUpperCase()}`);
  }
  if (entity === 'models') parts.push('m.name ASC');
  else parts.push('v.name ASC', 'v.version DESC');
  return parts.join(', ');
}

/** Page tokens are opaque to clients: base64url JSON holding the offset of the next page. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

/** The offset a page token stands for (0 without one); INVALID_PARAMETER_VALUE for a token this server did not issue. */
export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof value.offset === 'number' && Number.isInteger(value.offset) && value.offset >= 0) return value.offset;
  } catch {
    // reported below
  }
  throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid page_token "${token}": pass the next_page_token of a previous response unchanged.`);
}

/** Checks max_results against MLflow's bounds for the entity. */
export function checkMaxResults(value: number | undefined, fallback: number, limit: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `max_results must be an integer between 1 and ${limit}; got ${String(value)}.`);
  }
  return value;
}
