// The runs table, defined once for the panel, its CSV export and the CLI: the rows a result
// has (its runs and named points, then the critical points it found) and the columns, each
// with its heading, its CSV name, its value at full precision and its text as people read it.
import type { AnalysisResult, Equivalence, HessianSummary, Verdict } from './result';
import { equivalenceLabel, formatNumber, MISSING, verdictLabel } from './wording';

/** One row: a trained run, a named point or a critical point found. */
export interface RunRow {
  id: string;
  source: 'run' | 'point' | 'path' | 'search';
  seed: number | null;
  loss: number | null;
  gradientNorm: number | null;
  verdict: Verdict | null;
  equivalentTo: Equivalence | null | undefined;
  lambdaMin: number | null;
  lambdaMax: number | null;
  /** tr(H), and its standard error when it is an estimate. */
  trace: number | null;
  traceError: number | null;
  /** 1-based class number; null while unknown. */
  classNumber: number | null;
  /** "training", "trained" while a run is in progress. */
  state?: string;
}

/** Class number (1-based, in the result's order) of every id. */
export function classNumbers(result: AnalysisResult | null): Map<string, number> {
  const numbers = new Map<string, number>();
  result?.classes.forEach((c, k) => c.members.forEach((id) => numbers.set(id, k + 1)));
  return numbers;
}

/** The result's rows: its runs and named points, then the critical points it found. */
export function resultRows(result: AnalysisResult): RunRow[] {
  const classes = classNumbers(result);
  const spectrum = (hessian: HessianSummary | null | undefined) => {
    const eigenvalues = hessian?.eigenvalues ?? [];
    return {
      lambdaMin: eigenvalues.length > 0 ? eigenvalues[0] : null,
      lambdaMax: eigenvalues.length > 0 ? eigenvalues[eigenvalues.length - 1] : null,
      trace: hessian?.trace?.value ?? null,
      traceError: hessian?.trace?.standardError ?? null,
    };
  };
  return [
    ...result.runs.map((run): RunRow => ({
      id: run.id,
      source: run.kind,
      seed: run.seed ?? null,
      loss: run.loss,
      gradientNorm: run.gradientNorm,
      verdict: run.verdict,
      equivalentTo: run.equivalentTo,
      ...spectrum(run.hessian),
      classNumber: classes.get(run.id) ?? null,
    })),
    ...result.criticalPoints.map((point): RunRow => ({
      id: point.id,
      source: point.source,
      seed: null,
      loss: point.loss,
      gradientNorm: point.gradientNorm,
      verdict: point.verdict,
      equivalentTo: null,
      ...spectrum(point.hessian),
      classNumber: null,
    })),
  ];
}

/** The run this row is a twin of, when it is another one. */
export function twinOf(row: RunRow): Equivalence | null {
  return row.equivalentTo && row.equivalentTo.id !== row.id ? row.equivalentTo : null;
}

export interface RunColumn {
  /** What the panel's and the CLI's tables head it with. */
  heading: string;
  /** Its name in the CSV (every column is there). */
  csv: string;
  /** A number: right-aligned in the panel. */
  numeric: boolean;
  /** Shown in the panel's table (the twin is a badge in the verdict cell there). */
  panel: boolean;
  /** Shown in the CLI's table. */
  cli: boolean;
  /** The value at full precision, for the CSV (null: empty). */
  value(row: RunRow): string | number | null;
  /** As people read it in a table cell. */
  text(row: RunRow): string;
}

/** A column of a number, at full precision in the CSV and four digits in the tables. */
function numberColumn(
  heading: string,
  csv: string,
  value: (row: RunRow) => number | null,
  shown: { panel: boolean; cli: boolean },
): RunColumn {
  return { heading, csv, numeric: true, ...shown, value, text: (row) => formatNumber(value(row)) };
}

/** A column of a whole number (an index, a class, a seed): as it is. */
function countColumn(
  heading: string,
  csv: string,
  value: (row: RunRow) => number | null,
  shown: { panel: boolean; cli: boolean },
): RunColumn {
  const text = (row: RunRow) => {
    const count = value(row);
    return count === null ? MISSING : String(count);
  };
  return { heading, csv, numeric: true, ...shown, value, text };
}

const BOTH = { panel: true, cli: true };

export const RUN_COLUMNS: RunColumn[] = [
  { heading: 'Run', csv: 'id', numeric: false, ...BOTH, value: (r) => r.id, text: (r) => r.id },
  {
    heading: 'Source',
    csv: 'source',
    numeric: false,
    panel: false,
    cli: false,
    value: (r) => r.source,
    text: (r) => r.source,
  },
  numberColumn('Loss', 'loss', (r) => r.loss, BOTH),
  numberColumn('‖∇L‖', 'gradient_norm', (r) => r.gradientNorm, BOTH),
  {
    heading: 'Verdict',
    csv: 'verdict',
    numeric: false,
    ...BOTH,
    value: (r) => (r.verdict ? verdictLabel(r.verdict) : null),
    text: (r) => (r.verdict ? verdictLabel(r.verdict) : (r.state ?? MISSING)),
  },
  countColumn('Index', 'index', (r) => r.verdict?.index ?? null, { panel: false, cli: true }),
  {
    heading: 'Same as',
    csv: 'equivalent_to',
    numeric: false,
    panel: false,
    cli: true,
    value: (r) => {
      const twin = twinOf(r);
      return twin ? equivalenceLabel(twin) : null;
    },
    text: (r) => {
      const twin = twinOf(r);
      return twin ? equivalenceLabel(twin) : '';
    },
  },
  numberColumn('λmin', 'lambda_min', (r) => r.lambdaMin, BOTH),
  numberColumn('λmax', 'lambda_max', (r) => r.lambdaMax, BOTH),
  {
    heading: 'tr(H)',
    csv: 'trace',
    numeric: true,
    ...BOTH,
    value: (r) => r.trace,
    // An estimate says how sure it is: ± its standard error.
    text: (r) =>
      r.trace === null
        ? MISSING
        : `${formatNumber(r.trace)}${r.traceError !== null ? ` ± ${formatNumber(r.traceError)}` : ''}`,
  },
  {
    heading: 'tr(H) standard error',
    csv: 'trace_standard_error',
    numeric: true,
    panel: false,
    cli: false,
    value: (r) => r.traceError,
    text: (r) => formatNumber(r.traceError),
  },
  countColumn('Class', 'class', (r) => r.classNumber, { panel: true, cli: false }),
  countColumn('Seed', 'seed', (r) => r.seed, { panel: true, cli: false }),
];

/** One CSV cell (RFC 4180 quoting). */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV, every column at full precision: what the result holds, not the rounding. */
export function rowsToCsv(rows: RunRow[]): string {
  const lines = rows.map((row) => RUN_COLUMNS.map((c) => csvCell(c.value(row))).join(','));
  return [RUN_COLUMNS.map((c) => c.csv).join(','), ...lines].join('\r\n') + '\r\n';
}
