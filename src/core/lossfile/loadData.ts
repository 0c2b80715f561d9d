// Builds the Dataset a spec's `data` describes (generator, inline rows or CSV), reporting
// problems at the JSON path that caused them.
import type { SourceLocator } from './locate';
import type { Problem } from '../../protocol/problems';
import type { DataSpec } from '../vocabulary';
import { readCsvColumns } from '../data/csv';
import { datasetFromRows, standardizeInputs, type Dataset } from '../data/dataset';
import { generate } from '../data/generators';
import { plural } from '../../protocol/wording';

/** A file's text, or what kind of failure stopped it and why in words ("is a folder, not a file"). */
export type FileRead =
  | { ok: true; text: string }
  | {
      ok: false;
      failure: 'missing' | 'not-a-file' | 'unreadable' | 'too-large' | 'encoding';
      reason: string;
    };

/** A file's bytes (weight files), or why not, as for text. */
export type BinaryRead =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; failure: 'missing' | 'not-a-file' | 'unreadable' | 'too-large'; reason: string };

/** Reads a binary file named in the spec (path relative to the spec). */
export type ReadBinary = (relativePath: string) => BinaryRead;

/** Reads a file named in the spec (path relative to the spec). */
export type ReadFile = (relativePath: string) => FileRead;

export function buildDataset(
  data: DataSpec,
  locator: SourceLocator,
  readFile: ReadFile | undefined,
  problems: Problem[],
): Dataset | undefined {
  let dataset: Dataset | undefined;
  switch (data.kind) {
    case 'generator':
      dataset = generate(data);
      break;
    case 'inline':
      dataset = inlineDataset(data.inputs, data.targets, locator, problems);
      break;
    case 'csv':
      dataset = csvDataset(data, locator, readFile, problems);
      break;
    case 'npz':
    case 'pytorch':
      // Read by the PyTorch worker, which gives the dataset back (model/module.ts).
      return undefined;
  }
  if (dataset && data.normalize === 'standardize') {
    const targetsAreInputs = data.kind !== 'generator' && data.targets === 'inputs';
    standardizeInputs(dataset);
    // An autoencoder reconstructs what it is given: the standardized inputs.
    if (targetsAreInputs) dataset.targets = dataset.inputs.slice();
  }
  return dataset;
}

function inlineDataset(
  inputs: number[][],
  targets: number[][] | 'inputs',
  locator: SourceLocator,
  problems: Problem[],
): Dataset | undefined {
  const before = problems.length;
  checkRows(inputs, ['data', 'inputs'], locator, problems);
  if (targets !== 'inputs') {
    checkRows(targets, ['data', 'targets'], locator, problems);
    if (targets.length !== inputs.length) {
      problems.push(
        locator.problemAt(
          ['data', 'targets'],
          `data.targets has ${plural(targets.length, 'row')}, data.inputs has ${inputs.length}: give one target row per sample`,
        ),
      );
    }
  }
  if (problems.length > before) return undefined;
  return datasetFromRows(inputs, targets === 'inputs' ? inputs : targets);
}

function checkRows(
  rows: number[][],
  path: (string | number)[],
  locator: SourceLocator,
  problems: Problem[],
): void {
  const where = path.join('.');
  const width = rows[0].length;
  if (width === 0)
    problems.push(
      locator.problemAt(
        [...path, 0],
        `${where} row 0 is empty: every row needs at least one value`,
      ),
    );
  rows.forEach((row, n) => {
    if (row.length !== width) {
      problems.push(
        locator.problemAt(
          [...path, n],
          `${where} row ${n} has ${row.length} value${row.length === 1 ? '' : 's'}, row 0 has ${width}`,
        ),
      );
    }
  });
}

function csvDataset(
  data: Extract<DataSpec, { kind: 'csv' }>,
  locator: SourceLocator,
  readFile: ReadFile | undefined,
  problems: Problem[],
): Dataset | undefined {
  if (!readFile) {
    problems.push(
      locator.problemAt(['data', 'csv'], `data.csv: '${data.csv}' cannot be read here`),
    );
    return undefined;
  }
  const read = readFile(data.csv);
  if (!read.ok) {
    const hint = read.failure === 'missing' ? ' (paths are relative to the .loss.json file)' : '';
    problems.push(
      locator.problemAt(['data', 'csv'], `data.csv: '${data.csv}' ${read.reason}${hint}`),
    );
    return undefined;
  }
  const text = read.text;
  const targetNames = data.targets === 'inputs' ? [] : data.targets;
  const result = readCsvColumns(text, [...data.inputs, ...targetNames]);
  if (!result.ok) {
    if (result.missing) {
      for (const name of result.missing) {
        const inInputs = data.inputs.indexOf(name);
        const path =
          inInputs >= 0
            ? ['data', 'inputs', inInputs]
            : ['data', 'targets', targetNames.indexOf(name)];
        problems.push(
          locator.problemAt(
            path,
            `data: '${data.csv}' has no column '${name}' (${result.message.replace(/^.*\(columns: /, 'columns: ').replace(/\)$/, '')})`,
          ),
        );
      }
    } else {
      problems.push(
        locator.problemAt(
          ['data', 'csv'],
          `data.csv: ${data.csv}${result.line ? ` line ${result.line}` : ''}: ${result.message.replace(/^line \d+, /, '')}`,
        ),
      );
    }
    return undefined;
  }
  const { columns, rows } = result.value;
  const inputs = Array.from({ length: rows }, (_, n) => data.inputs.map((_, c) => columns[c][n]));
  const targets =
    data.targets === 'inputs'
      ? inputs
      : Array.from({ length: rows }, (_, n) =>
          targetNames.map((_, c) => columns[data.inputs.length + c][n]),
        );
  return datasetFromRows(
    inputs,
    targets,
    data.inputs,
    data.targets === 'inputs' ? data.inputs : targetNames,
  );
}
