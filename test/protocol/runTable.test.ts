// The words every front end shares and the one runs table the panel, its CSV and the CLI read.
import assert from 'node:assert/strict';
import { RUN_COLUMNS, rowsToCsv, type RunRow } from '../../src/protocol/runTable';
import {
  equivalenceLabel,
  formatNumber,
  formatUnitMap,
  verdictLabel,
} from '../../src/protocol/wording';

describe('shared wording', () => {
  it('writes unit permutations in 1-based cycle notation', () => {
    assert.equal(formatUnitMap([1, 0]), 'h1↔h2');
    assert.equal(formatUnitMap([0, 1]), '');
    assert.equal(formatUnitMap([1, 2, 0]), 'h1→h2→h3→h1');
    assert.equal(formatUnitMap([1, 0, 3, 2]), 'h1↔h2, h3↔h4');
    assert.equal(formatUnitMap([0, 1], [1, -1]), 'sign −h2');
  });

  it('labels an equivalence with the run it maps onto and the mapping', () => {
    const base = { id: 'run-0', distance: 1e-9 };
    assert.equal(
      equivalenceLabel({ ...base, relation: 'permutation', permutation: [[1, 0]] }),
      '≡ run-0 (h1↔h2)',
    );
    assert.equal(
      equivalenceLabel({ ...base, relation: 'identical', permutation: [[0, 1]] }),
      '≡ run-0 (same point)',
    );
    assert.equal(
      equivalenceLabel({
        ...base,
        relation: 'permutation+sign',
        permutation: [
          [0, 1],
          [1, 0],
        ],
        signs: [
          [-1, 1],
          [1, 1],
        ],
      }),
      '≡ run-0 (layer 1: sign −h1; layer 2: h1↔h2)',
    );
    assert.equal(
      equivalenceLabel({
        ...base,
        relation: 'permutation+rescaling',
        permutation: [[1, 0]],
        scales: [[0.5, 1]],
      }),
      '≡ run-0 (h1↔h2, scale h1×0.5)',
    );
  });

  it('names verdicts in a few words, the flat directions of a minimum too', () => {
    assert.equal(verdictLabel({ kind: 'saddle', index: 2 }), 'saddle · index 2');
    assert.equal(verdictLabel({ kind: 'minimum', index: 0, nullity: 0 }), 'minimum');
    assert.equal(verdictLabel({ kind: 'minimum', index: 0, nullity: 3 }), 'minimum · 3 flat');
    assert.equal(verdictLabel({ kind: 'not-critical', index: null }), 'not critical');
    assert.equal(
      verdictLabel({ kind: 'not-critical', index: null, cause: 'still-descending' }),
      'not critical · still descending',
    );
  });

  it('prints four significant digits, exponents outside [1e-3, 1e5)', () => {
    assert.equal(formatNumber(0.0064183), '0.006418');
    assert.equal(formatNumber(1e-10), '1e-10');
    assert.equal(formatNumber(-7.594e-7), '-7.59e-7');
    assert.equal(formatNumber(123456), '1.23e+5');
    assert.equal(formatNumber(null), '—');
    assert.equal(formatNumber(0), '0');
  });

  it('exports the runs table as CSV at full precision, quoting what needs it', () => {
    const row: RunRow = {
      id: 'run-1',
      source: 'run',
      seed: 7,
      loss: 0.0064183012345,
      gradientNorm: 1e-10,
      verdict: {
        kind: 'minimum',
        index: 0,
        nullity: 0,
        method: 'exact',
        reason: 'all eigenvalues positive',
        tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
      },
      equivalentTo: {
        id: 'run-0',
        relation: 'permutation+sign',
        permutation: [[1, 0]],
        signs: [[-1, 1]],
        distance: 0,
      },
      lambdaMin: 0.001,
      lambdaMax: 20,
      trace: 31.5,
      traceError: 0.25,
      classNumber: 1,
    };
    const lines = rowsToCsv([row]).split('\r\n');
    assert.equal(
      lines[0],
      'id,source,loss,gradient_norm,verdict,index,equivalent_to,lambda_min,lambda_max,trace,trace_standard_error,class,seed',
    );
    assert.equal(
      lines[1],
      'run-1,run,0.0064183012345,1e-10,minimum,0,"≡ run-0 (h1↔h2, sign −h1)",0.001,20,31.5,0.25,1,7',
    );
    assert.equal(lines[2], '');
  });

  it('shows the panel and the CLI their columns of the one table, in its order', () => {
    const shown = (where: 'panel' | 'cli') =>
      RUN_COLUMNS.filter((c) => c[where]).map((c) => c.heading);
    assert.deepEqual(shown('panel'), [
      'Run',
      'Loss',
      '‖∇L‖',
      'Verdict',
      'λmin',
      'λmax',
      'tr(H)',
      'Class',
      'Seed',
    ]);
    assert.deepEqual(shown('cli'), [
      'Run',
      'Loss',
      '‖∇L‖',
      'Verdict',
      'Index',
      'Same as',
      'λmin',
      'λmax',
      'tr(H)',
    ]);
  });
});
