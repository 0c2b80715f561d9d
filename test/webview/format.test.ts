import assert from 'node:assert/strict';
import { rowsToCsv } from '../../webview/exportCsv';
import { equivalenceLabel, formatNumber, formatUnitMap, verdictLabel } from '../../webview/format';
import type { Row } from '../../webview/model';

describe('panel wording', () => {
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

  it('names verdicts as the badges show them', () => {
    assert.equal(verdictLabel({ kind: 'saddle', index: 2 }), 'Saddle · index 2');
    assert.equal(verdictLabel({ kind: 'minimum', index: 0 }), 'Minimum');
    assert.equal(verdictLabel({ kind: 'not-critical', index: null }), 'Not critical');
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
    const row: Row = {
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
      classNumber: 1,
    };
    const lines = rowsToCsv([row]).split('\r\n');
    assert.equal(
      lines[0],
      'id,source,seed,loss,gradient_norm,verdict,index,equivalent_to,lambda_min,lambda_max,class',
    );
    assert.equal(
      lines[1],
      'run-1,run,7,0.0064183012345,1e-10,Minimum,0,"≡ run-0 (h1↔h2, sign −h1)",0.001,20,1',
    );
    assert.equal(lines[2], '');
  });
});
