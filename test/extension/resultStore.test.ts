// The panel's "stale" mark: the extension's hash of a spec must equal the engine's specHash.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { readStoredResult } from '../../src/extension/resultStore';
import { temporaryFolder } from '../helpers/temp';

describe('stored results and staleness', () => {
  it('a fresh result is current; editing the spec or its CSV makes it stale', async () => {
    const spec = JSON.stringify({
      data: { csv: 'points.csv', inputs: ['x'], targets: ['y'] },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { runs: 1, epochs: 200, learningRate: 0.1 },
    });
    const folder = temporaryFolder({ 'fit.loss.json': spec, 'points.csv': 'x,y\n0,1\n1,3\n2,5\n' });
    try {
      const specPath = folder.file('fit.loss.json');
      assert.equal(readStoredResult(specPath), null, 'no result yet');
      const outcome = await analyzeFile({ specPath, parallel: 'never' });
      assert.equal(outcome.status, 'ok');
      assert.equal(readStoredResult(specPath)!.stale, false);

      writeFileSync(folder.file('points.csv'), 'x,y\n0,1\n1,3\n2,6\n');
      assert.equal(readStoredResult(specPath)!.stale, true, 'the data changed');
      writeFileSync(folder.file('points.csv'), 'x,y\n0,1\n1,3\n2,5\n');
      assert.equal(readStoredResult(specPath)!.stale, false, 'the data is back');
      writeFileSync(specPath, spec.replace('"epochs":200', '"epochs":300'));
      assert.equal(readStoredResult(specPath)!.stale, true, 'the spec changed');

      writeFileSync(join(folder.path, 'fit.result.json'), '{"truncated":');
      assert.equal(readStoredResult(specPath), null, 'an unreadable result is no result');
    } finally {
      folder.remove();
    }
  });
});
