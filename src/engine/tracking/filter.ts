import { SlipwayError } from '../errors';

/**
 * MLflow's search filter grammar: clauses joined by AND, each `<entity>.<key> <comparator> <value>`.
 * Entities: metrics, params, tags, attributes (also their singular and MLflow's other spellings). Keys may be quoted
 * with backticks or double quotes. Values are quoted strings, numbers, or a parenthesised list for IN / NOT IN.
 */
export type EntityType = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

export interface Clause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  value: string | number | string[] | null;
}

const ENTITY_ALIASES: Record<string, EntityType> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

export const STRING_ATTRIBUTES = ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'lifecycle_stage'] as const;
export const NUMERIC_ATTRIBUTES = ['start_time', 'end_time', 'created', 'Created'] as const;

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'quoted-ident'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '.'; at: number };

function bad(filter: string, message: string): SlipwayError {
  return new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid filter '${filter}': ${message}`);
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const at = i;
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      let text = '';
      while (j < filter.length && filter[j] !== ch) {
        if (filter[j] === '\\' && j + 1 < filter.length) j++;
        text += filter[j];
        j++;
      }
      if (j >= filter.length) throw bad(filter, `unterminated quote starting at character ${at + 1}.`);
      i = j + 1;
      // Double quotes and backticks quote identifiers after a dot; elsewhere a double-quoted token is a string value.
      const prev = tokens[tokens.length - 1];
      const isIdent = ch === '`' || (ch === '"' && prev?.kind === 'punct' && prev.text === '.');
      tokens.push(isIdent ? { kind: 'quoted-ident', text, at } : { kind: 'string', text, at });
      continue;
    }
    const op = /^(<=|>=|!=|<>|=|<|>)/.exec(filter.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[1] === '<>' ? '!=' : op[1]!, at });
      i += op[1]!.length;
      continue;
    }
    if ('(),.'.includes(ch)) {
      const prev = tokens[tokens.length - 1];
      const numberFollows = ch === '.' && /\d/.test(filter[i + 1] ?? '') && prev?.kind !== 'word' && prev?.kind !== 'quoted-ident';
      if (!numberFollows) {
        tokens.push({ kind: 'punct', text: ch as '(' | ')' | ',' | '.', at });
        i++;
        continue;
      }
    }
    const num = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(filter.slice(i));
    const prev = tokens[tokens.length - 1];
    if (num && (prev?.kind === 'op' || (prev?.kind === 'punct' && (prev.text === '(' || prev.text === ',')))) {
      tokens.push({ kind: 'number', value: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const word = /^[\w\-:]+/u.exec(filter.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    throw bad(filter, `unexpected character '${ch}' at position ${at + 1}.`);
  }
  return tokens;
}

/** Parses a filter string; an empty or blank filter is no clauses. Errors are INVALID_PARAMETER_VALUE. */
/** Attribute names a filter may use; runs by default, experiments and models pass their own. */
export interface AttributeSet {
  strings: readonly string[];
  numbers: readonly string[];
}

export const RUN_ATTRIBUTES: AttributeSet = { strings: STRING_ATTRIBUTES, numbers: NUMERIC_ATTRIBUTES };

export function parseFilter(input: string | undefined | null, attributes: AttributeSet = RUN_ATTRIBUTES): Clause[] {
  if (!input || !input.trim()) return [];
  const filter: string = input;
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toUpperCase() === word;

  while (i < tokens.length) {
    clauses.push(parseClause());
    if (i >= tokens.length) break;
    const joiner = next();
    if (isWord(joiner, 'OR')) throw bad(filter, 'OR is not supported; combine clauses with AND.');
    if (!isWord(joiner, 'AND')) throw bad(filter, `expected AND between clauses near position ${(joiner?.at ?? 0) + 1}.`);
    if (i >= tokens.length) throw bad(filter, 'the filter ends with AND.');
  }
  return clauses;

  function parseClause(): Clause {
    const { type, key } = parseIdentifier();
    const comparator = parseComparator();
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') {
      if (type === 'metric' || type === 'attribute') throw bad(filter, `${comparator} applies to params and tags only.`);
      return { type, key, comparator, value: null };
    }
    const value = comparator === 'IN' || comparator === 'NOT IN' ? parseList() : parseScalar();
    return check({ type, key, comparator, value });
  }

  function parseIdentifier(): { type: EntityType; key: string } {
    const first = next();
    if (!first || (first.kind !== 'word' && first.kind !== 'quoted-ident')) throw bad(filter, `expected an identifier such as metrics.accuracy near position ${(first?.at ?? filter.length) + 1}.`);
    if (peek()?.kind === 'punct' && (peek() as { text: string }).text === '.') {
      next();
      const keyToken = next();
      const entity = ENTITY_ALIASES[first.kind === 'word' ? first.text.toLowerCase() : ''];
      if (!entity) throw bad(filter, `unknown entity "${first.text}"; use metrics., params., tags. or attributes.`);
      if (!keyToken || (keyToken.kind !== 'word' && keyToken.kind !== 'quoted-ident')) throw bad(filter, `expected a key after "${first.text}.".`);
      let key = keyToken.text;
      // Unquoted keys may contain dots: metrics.val.loss is the metric "val.loss".
      while (keyToken.kind === 'word' && peek()?.kind === 'punct' && (peek() as { text: string }).text === '.' && tokens[i + 1]?.kind === 'word') {
        next();
        key += `.${(next() as { text: string }).text}`;
      }
      return { type: entity, key };
    }
    return { type: 'attribute', key: first.text };
  }

  function parseComparator(): Comparator {
    const t = next();
    if (t?.kind === 'op') return t.text as Comparator;
    if (isWord(t, 'LIKE')) return 'LIKE';
    if (isWord(t, 'ILIKE')) return 'ILIKE';
    if (isWord(t, 'IN')) return 'IN';
    if (isWord(t, 'NOT') && isWord(peek(), 'IN')) {
      next();
      return 'NOT IN';
    }
    if (isWord(t, 'IS')) {
      const negated = isWord(peek(), 'NOT');
      if (negated) next();
      if (!isWord(next(), 'NULL')) throw bad(filter, 'expected NULL after IS.');
      return negated ? 'IS NOT NULL' : 'IS NULL';
    }
    throw bad(filter, `expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) near position ${(t?.at ?? filter.length) + 1}.`);
  }

  function parseScalar(): string | number {
    const t = next();
    if (t?.kind === 'string') return t.text;
    if (t?.kind === 'number') return t.value;
    throw bad(filter, `expected a quoted string or a number near position ${(t?.at ?? filter.length) + 1}.`);
  }

  function parseList(): string[] {
    const open = next();
    if (open?.kind !== 'punct' || open.text !== '(') throw bad(filter, 'expected "(" after IN.');
    const values: string[] = [];
    for (;;) {
      const t = next();
      if (t?.kind !== 'string') throw bad(filter, 'IN lists hold quoted strings.');
      values.push(t.text);
      const sep = next();
      if (sep?.kind === 'punct' && sep.text === ')') break;
      if (sep?.kind !== 'punct' || sep.text !== ',') throw bad(filter, 'expected "," or ")" in an IN list.');
    }
    return values;
  }

  function check(clause: Clause): Clause {
    const { type, key, comparator, value } = clause;
    if (type === 'metric') {
      if (typeof value !== 'number') throw bad(filter, `metric "${key}" must be compared with a number.`);
      if (!['=', '!=', '<', '<=', '>', '>='].includes(comparator)) throw bad(filter, `metrics support =, !=, <, <=, >, >=, not ${comparator}.`);
      return clause;
    }
    if (type === 'param' || type === 'tag') {
      if (!['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'].includes(comparator)) throw bad(filter, `${type}s support =, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, not ${comparator}.`);
      if (typeof value === 'number') throw bad(filter, `${type} "${key}" must be compared with a quoted string.`);
      return clause;
    }
    const numeric = attributes.numbers.includes(key);
    const stringy = attributes.strings.includes(key);
    if (!numeric && !stringy) throw bad(filter, `unknown attribute "${key}"; known: ${[...attributes.strings, ...attributes.numbers.filter((n) => n !== 'Created')].join(', ')}.`);
    if (numeric) {
      if (typeof value !== 'number') throw bad(filter, `attribute "${key}" must be compared with a number.`);
      if (!['=', '!=', '<', '<=', '>', '>='].includes(comparator)) throw bad(filter, `attribute "${key}" supports numeric comparisons only.`);
      return { ...clause, key: key.toLowerCase() === 'created' ? 'start_time' : key };
    }
    if (typeof value === 'number') throw bad(filter, `attribute "${key}" must be compared with a quoted string.`);
    if (!['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'].includes(comparator)) throw bad(filter, `attribute "${key}" supports =, !=, LIKE, ILIKE, IN, NOT IN.`);
    return clause;
  }
}

/** One `order_by` entry: `metrics.acc DESC`, `attributes.start_time`, `params.lr ASC`. */
export interface OrderTerm {
  type: EntityType;
  key: string;
  ascending: boolean;
}

export function parseOrderBy(orderBy: string): OrderTerm {
  const match = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(orderBy);
  if (!match) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${orderBy}'.`);
  const ascending = (match[2] ?? 'ASC').toUpperCase() === 'ASC';
  const tokens = tokenize(match[1]!);
  const first = tokens[0];
  if (!first || (first.kind !== 'word' && first.kind !== 'quoted-ident')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${orderBy}'.`);
  if (tokens.length === 1) {
    return { type: 'attribute', key: normalizeOrderAttribute(first.text, orderBy), ascending };
  }
  const entity = first.kind === 'word' ? ENTITY_ALIASES[first.text.toLowerCase()] : undefined;
  const rest = tokens.slice(2);
  if (!entity || tokens[1]?.kind !== 'punct' || rest.length === 0) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${orderBy}'.`);
  const key = rest.map((t) => ('text' in t ? t.text : '')).join('');
  return { type: entity, key: entity === 'attribute' ? normalizeOrderAttribute(key, orderBy) : key, ascending };
}

function normalizeOrderAttribute(key: string, orderBy: string): string {
  const k = key.toLowerCase() === 'created' ? 'start_time' : key;
  if (![...STRING_ATTRIBUTES, 'start_time', 'end_time'].includes(k)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${orderBy}': unknown attribute "${key}".`);
  }
  return k;
}
