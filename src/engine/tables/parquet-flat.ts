/**
 * Fast path for the common Parquet columns — flat (not nested) numbers and strings: pages are decoded with
 * hyparquet's page decoders, then definition levels and values go straight into the output typed array, and
 * dictionary pages are mapped to our codes once per page instead of once per value. hyparquet's generic path
 * assembles every OPTIONAL column through row-level JS arrays, which dominated read time (docs/BENCHMARKS.md).
 * hyparquet is pinned to an exact version because these modules are below its documented API.
 */
import type { AsyncBuffer, Compressors, FileMetaData, SchemaElement } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getSchemaPath } from 'hyparquet/src/schema.js';

type Decoder = Parameters<typeof readDataPage>[2];
type FlatType = 'number' | 'string';

/** A column the fast path fills: numbers into `numbers` (NaN = null), strings into dictionary `codes` (−1 = null). */
export interface FlatTarget {
  name: string;
  numbers?: Float64Array;
  codes?: Int32Array;
  dictionary: string[];
  index: Map<string, number>;
}

const SIGNED_INTS = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64']);

/** Which flat columns the fast path reads: plain floats/signed integers, and UTF-8 (or unannotated) byte arrays. */
export function flatType(element: SchemaElement): FlatType | null {
  if (element.repetition_type === 'REPEATED' || element.num_children) return null;
  const ltype = element.logical_type;
  if ((element.type === 'DOUBLE' || element.type === 'FLOAT') && !element.converted_type && !ltype) return 'number';
  if ((element.type === 'INT32' || element.type === 'INT64') && SIGNED_INTS.has(element.converted_type) && (!ltype || (ltype.type === 'INTEGER' && ltype.isSigned))) return 'number';
  if (element.type === 'BYTE_ARRAY' && (element.converted_type === 'UTF8' || ltype?.type === 'STRING' || (!element.converted_type && !ltype))) return 'string';
  return null;
}

const utf8 = new TextDecoder();

function codeOf(t: FlatTarget, s: string): number {
  let code = t.index.get(s);
  if (code === undefined) {
    code = t.dictionary.length;
    t.index.set(s, code);
    t.dictionary.push(s);
  }
  return code;
}

function toNumber(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

/** Reads the given flat columns of every row group into their targets. Throws on anything unexpected. */
export async function readFlatColumns(file: AsyncBuffer, metadata: FileMetaData, targets: readonly FlatTarget[], compressors: Compressors): Promise<void> {
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    for (const t of targets) {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === t.name);
      const meta = chunk?.meta_data;
      if (!meta) throw new Error(`column chunk for ${t.name} not found`);
      const schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
      const element = schemaPath[schemaPath.length - 1]!.element;
      const decoder = { pathInSchema: meta.path_in_schema, type: meta.type, element, schemaPath, codec: meta.codec, parsers: {}, compressors, utf8: true } as unknown as Decoder;
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const bytes = await file.slice(start, start + Number(meta.total_compressed_size));
      const reader = { view: new DataView(bytes), offset: 0 };
      const optional = element.repetition_type === 'OPTIONAL';
      let dictNumbers: Float64Array | undefined;
      let dictCodes: Int32Array | undefined;
      let row = groupStart;
      const end = groupStart + groupRows;
      while (row < end && reader.offset < bytes.byteLength) {
        const header = parquetHeader(reader);
        const compressed = new Uint8Array(bytes, reader.offset, header.compressed_page_size);
        reader.offset += header.compressed_page_size;
        if (header.type === 'DICTIONARY_PAGE') {
          const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
          const count = header.dictionary_page_header!.num_values;
          const values = readPlain({ view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }, meta.type, count, element.type_length) as ArrayLike<unknown>;
          if (t.codes) dictCodes = Int32Array.from({ length: count }, (_, i) => codeOf(t, utf8.decode(values[i] as Uint8Array)));
          else dictNumbers = Float64Array.from({ length: count }, (_, i) => toNumber(values[i]));
          continue;
        }
        let encoding: string;
        let count: number;
        let page: { definitionLevels?: ArrayLike<number>; dataPage: ArrayLike<unknown> };
        if (header.type === 'DATA_PAGE') {
          const h = header.data_page_header!;
          encoding = h.encoding;
          count = h.num_values;
          page = readDataPage(decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors), h, decoder);
        } else if (header.type === 'DATA_PAGE_V2') {
          const h = header.data_page_header_v2!;
          encoding = h.encoding;
          count = h.num_values;
          page = readDataPageV2(compressed, header, decoder);
        } else {
          continue;
        }
        const dictionaryEncoded = encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
        if (!dictionaryEncoded && encoding === 'RLE') throw new Error('RLE-encoded values outside a dictionary');
        const defs = page.definitionLevels ?? [];
        const values = page.dataPage;
        const present = (i: number): boolean => !optional || defs.length === 0 || defs[i] === 1;
        let k = 0;
        if (t.numbers) {
          const out = t.numbers;
          if (dictionaryEncoded && !dictNumbers) throw new Error('dictionary page missing');
          for (let i = 0; i < count; i++, row++) {
            if (!present(i)) { out[row] = Number.NaN; continue; }
            const v = values[k++];
            out[row] = dictionaryEncoded ? dictNumbers![v as number]! : toNumber(v);
          }
        } else {
          const out = t.codes!;
          if (dictionaryEncoded && !dictCodes) throw new Error('dictionary page missing');
          for (let i = 0; i < count; i++, row++) {
            if (!present(i)) { out[row] = -1; continue; }
            const v = values[k++];
            out[row] = dictionaryEncoded ? dictCodes![v as number]! : codeOf(t, typeof v === 'string' ? v : utf8.decode(v as Uint8Array));
          }
        }
      }
      if (row !== end) throw new Error(`column ${t.name}: read ${row - groupStart} of ${groupRows} rows in a row group`);
    }
    groupStart += groupRows;
  }
}
