/** Printable ASCII other than `"` and `\`: written as is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * JSON text byte-for-byte as Python's `json.dumps(value, sort_keys=True)` writes it with its defaults
 * (`ensure_ascii=True`, separators `", "` and `": "`). DVC hashes directory listings in exactly this form, so any
 * other spelling (JavaScript's JSON.stringify keeps non-ASCII characters and has no spaces) gives another hash.
 */
export function pythonJsonString(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0x22) out += '\\"';
    else if (unit === 0x5c) out += '\\\\';
    else if (unit >= 0x20 && unit <= 0x7e) out += text[i];
    else if (unit === 0x0a) out += '\\n';
    else if (unit === 0x0d) out += '\\r';
    else if (unit === 0x09) out += '\\t';
    else if (unit === 0x08) out += '\\b';
    else if (unit === 0x0c) out += '\\f';
    // Everything else, surrogate halves included, as \uXXXX in lowercase hex: what ensure_ascii produces.
    else out += '\\u' + unit.toString(16).padStart(4, '0');
  }
  return out + '"';
}

/** Python's `json.dumps(value, sort_keys=True)` for values made of strings, safe integers, lists and objects. */
export function pythonJsonDumps(value: unknown): string {
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (Array.isArray(value)) return '[' + value.map(pythonJsonDumps).join(', ') + ']';
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(comparePython);
    return '{' + keys.map((k) => `${pythonJsonString(k)}: ${pythonJsonDumps((value as Record<string, unknown>)[k])}`).join(', ') + '}';
  }
  throw new TypeError(`Cannot write ${typeof value} as DVC-compatible JSON.`);
}

/**
 * Python's string order (by code point). JavaScript's `<` compares UTF-16 code units, which differs from it for
 * characters outside the Basic Multilingual Plane; UTF-8 byte order equals code point order.
 */
export function comparePython(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Strings without surrogate pairs order the same by UTF-16 code unit as by code point. */
export const SURROGATE = /[\ud800-\udfff]/;
