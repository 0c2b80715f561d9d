// Reads named columns of a CSV file (header row required) with csv-parse.
import { parse } from 'csv-parse/sync';

export interface CsvColumns {
  /** One array per requested column, in request order. */
  columns: number[][];
  rows: number;
}

export type CsvResult =
  | { ok: true; value: CsvColumns }
  | { ok: false; message: string; line?: number; missing?: string[] };

export function readCsvColumns(text: string, names: string[]): CsvResult {
  let records: string[][];
  let lines: number[];
  try {
    const parsed = parse(text, {
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    records = parsed.map((entry) => entry.record);
    lines = parsed.map((entry) => entry.info.lines);
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return {
      ok: false,
      message: `the CSV file cannot be read: ${e.message ?? String(error)}`,
      line: e.lines,
    };
  }
  if (records.length === 0)
    return { ok: false, message: 'the CSV file is empty (a header row is required)' };
  const header = records[0];
  const missing = names.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    return {
      ok: false,
      message: `the CSV file has no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} (columns: ${header.join(', ')})`,
      line: 1,
      missing,
    };
  }
  if (records.length < 2)
    return { ok: false, message: 'the CSV file has a header but no data rows', line: 1 };
  const indices = names.map((name) => header.indexOf(name));
  const columns = names.map(() => new Array<number>(records.length - 1));
  for (let r = 1; r < records.length; r++) {
    for (let c = 0; c < indices.length; c++) {
      const cell = records[r][indices[c]];
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        return {
          ok: false,
          message: `line ${lines[r]}, column '${names[c]}': '${cell}' is not a finite number`,
          line: lines[r],
        };
      }
      columns[c][r - 1] = value;
    }
  }
  return { ok: true, value: { columns, rows: records.length - 1 } };
}
