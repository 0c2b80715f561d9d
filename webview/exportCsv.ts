// The runs table as CSV (RFC 4180 quoting), with full-precision numbers: a spreadsheet gets
// what the result file holds, not the rounded values the table shows.
import { equivalenceLabel, verdictLabel } from './format';
import type { Row } from './model';

const HEADER = [
  'id',
  'source',
  'seed',
  'loss',
  'gradient_norm',
  'verdict',
  'index',
  'equivalent_to',
  'lambda_min',
  'lambda_max',
  'class',
];

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function rowsToCsv(rows: Row[]): string {
  const lines = rows.map((row) =>
    [
      row.id,
      row.source,
      row.seed,
      row.loss,
      row.gradientNorm,
      row.verdict ? verdictLabel(row.verdict) : '',
      row.verdict?.index,
      row.equivalentTo ? equivalenceLabel(row.equivalentTo) : '',
      row.lambdaMin,
      row.lambdaMax,
      row.classNumber,
    ]
      .map(cell)
      .join(','),
  );
  return [HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
