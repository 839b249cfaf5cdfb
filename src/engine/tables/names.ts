/** Column names of a table file without reading its data (Parquet footer, or the CSV header row). */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { SlipwayError } from '../errors';

function splitHeader(line: string, delimiter: string): string[] {
  const names: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { names.push(field); field = ''; }
    else field += ch;
  }
  names.push(field);
  return names.map((n, i) => (i === 0 ? n.replace(/^\ufeff/, '') : n).trim() || `column_${i + 1}`);
}

/** The column names of a CSV/TSV or Parquet file, in file order. */
export async function tableColumnNames(path: string, delimiter?: string): Promise<string[]> {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.parquet' || ext === '.pq') {
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
      return parquetSchema(metadata).children.map((c) => c.element.name);
    }
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(1 << 20);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const end = text.indexOf('\n');
      const line = (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
      if (!line) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is empty: a CSV file needs a header row naming its columns.`);
      return splitHeader(line, delimiter ?? (ext === '.tsv' ? '\t' : ','));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof SlipwayError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot read ${path}: no such file. Check the path.`);
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is not a readable table (${(error as Error).message}).`, { cause: error });
  }
}
