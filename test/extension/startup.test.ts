// What loads when: the extension activates on every JSON file, so its bundle must not carry
// the engine; the engine must not evaluate mathjs unless a file has a formula.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('start-up', () => {
  it('the extension bundle holds the editor glue only: no validator, schema or formula parser', () => {
    const bundle = join(root, 'dist', 'extension.js');
    const text = readFileSync(bundle, 'utf8');
    for (const heavy of ['node_modules/ajv', 'node_modules/mathjs', 'node_modules/ml-matrix'])
      assert.ok(!text.includes(heavy), `${heavy} is in the extension bundle`);
    assert.ok(statSync(bundle).size < 100_000, `${statSync(bundle).size} bytes`);
  });

  it('mathjs is evaluated only for a file with an expression model', () => {
    const loaded = (spec: object) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `require('./src/core/lossfile/load').loadSpec(${JSON.stringify(JSON.stringify(spec))}, { fileName: 'a.loss.json' });
           process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('node_modules/mathjs/'))));`,
        ],
        { cwd: root, encoding: 'utf8' },
      );
    const data = { inputs: [[1]], targets: [[1]] };
    assert.equal(loaded({ data, model: { layers: [{ units: 1 }] } }), 'false');
    assert.equal(loaded({ data, model: { expression: 'w^2', parameters: ['w'] } }), 'true');
  });
});
