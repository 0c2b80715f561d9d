// One file split into shards and merged gives the result one machine gives; parts that do
// not belong together are refused, naming the part and what is wrong, and nothing is written.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { analyzeFile } from '../../src/engine/analyze';
import { analyzeShard, MergeError, mergeParts } from '../../src/engine/distributed';
import { deserializePart, parseShard, serializePart, shardIndices } from '../../src/engine/shards';
import type { AnalysisResult } from '../../src/protocol/result';
import { comparable } from '../helpers/comparable';
import { temporaryFolder } from '../helpers/temp';

/** XOR 2-2-1 with 6 runs, a named point, 7 search starts, the paths between twins and a slice. */
const spec = {
  data: { generator: 'xor' },
  model: {
    layers: [
      { units: 2, activation: 'tanh' },
      { units: 1, activation: 'linear' },
    ],
  },
  weightDecay: 0.001,
  points: [{ name: 'zero', vector: [0, 0, 0, 0, 0, 0, 0, 0, 0.5] }],
  training: { runs: 6, init: 'normal', learningRate: 0.2, epochs: 3000 },
  analysis: { search: { starts: 7 } },
};

describe('shards and merge', () => {
  it('shard K of N takes the indices i with i mod N = K', () => {
    assert.deepEqual(shardIndices(10, { index: 1, count: 4 }), [1, 5, 9]);
    assert.deepEqual(shardIndices(3, { index: 3, count: 4 }), []);
    assert.deepEqual(shardIndices(3, null), [0, 1, 2]);
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    for (const bad of ['4/4', '-1/4', '1/0', '1', 'a/b', '1/4/2'])
      assert.equal(parseShard(bad), null, bad);
  });

  it('a part keeps θ (−0 and subnormals too) and non-finite numbers through its JSON, bit for bit', () => {
    const theta = Float64Array.of(0.1, -0, 5e-324, 1 / 3);
    const back = deserializePart(
      serializePart({
        points: [{ parameters: theta, loss: Infinity, curve: [NaN, -Infinity] }],
      } as never),
    ) as { points: [{ parameters: Float64Array; loss: number; curve: number[] }] };
    assert.ok(back.points[0].parameters instanceof Float64Array);
    assert.deepEqual(Array.from(back.points[0].parameters), [0.1, -0, 5e-324, 1 / 3]);
    assert.equal(back.points[0].loss, Infinity);
    assert.ok(Number.isNaN(back.points[0].curve[0]) && back.points[0].curve[1] === -Infinity);
  });

  it('3 shards merged equal the single-machine result: verdicts, classes, paths, search, slices', async () => {
    const folder = temporaryFolder({ 'xor.loss.json': JSON.stringify(spec) });
    try {
      const specPath = folder.file('xor.loss.json');
      const single = await analyzeFile({ specPath, outPath: null, parallel: 'never' });
      assert.ok(single.status === 'ok');
      const parts: string[] = [];
      for (let k = 0; k < 3; k++) {
        const shard = await analyzeShard({ specPath, parallel: 'never' }, { index: k, count: 3 });
        assert.ok(shard.status === 'ok');
        // Runs 0..5, point 0, starts 0..6: shard 1 has runs 1 and 4 and starts 1 and 4.
        if (k === 1)
          assert.deepEqual(
            [...shard.part.points, ...shard.part.starts].map((p) => p.id),
            ['run-1', 'run-4', 'start-1', 'start-4'],
          );
        parts.push(shard.partPath);
      }
      // In any order of the parts.
      const merged = await mergeParts(
        { specPath, outPath: folder.file('merged.json'), parallel: 'never' },
        [parts[2], parts[0], parts[1]],
      );
      assert.ok(merged.status === 'ok');
      assert.deepEqual(comparable(merged.result), comparable(single.result));
      assert.ok(single.result.search!.converged > 0 && single.result.criticalPoints.length > 0);
      assert.equal(merged.result.shards!.length, 3);
      assert.deepEqual(
        merged.result.shards!.map((s) => [s.index, s.runs, s.points, s.starts]),
        [
          [0, 2, 1, 3],
          [1, 2, 0, 2],
          [2, 2, 0, 2],
        ],
      );
      // The file on disk is the same result.
      const written = JSON.parse(
        readFileSync(folder.file('merged.json'), 'utf8'),
      ) as AnalysisResult;
      assert.deepEqual(comparable(written), JSON.parse(JSON.stringify(comparable(single.result))));
    } finally {
      folder.remove();
    }
  });

  it('refuses parts that do not add up, naming each, and writes nothing', async () => {
    const folder = temporaryFolder({ 'xor.loss.json': JSON.stringify({ ...spec, analysis: {} }) });
    try {
      const specPath = folder.file('xor.loss.json');
      const part = async (index: number, count: number) => {
        const outcome = await analyzeShard({ specPath, parallel: 'never' }, { index, count });
        assert.ok(outcome.status === 'ok');
        return outcome.partPath;
      };
      const [a, b] = [await part(0, 2), await part(1, 2)];
      const other = await part(0, 3);
      const out = folder.file('xor.result.json');
      writeFileSync(out, 'the previous result');
      const refused = async (paths: string[], pattern: RegExp) => {
        await assert.rejects(
          mergeParts({ specPath, outPath: out, parallel: 'never' }, paths),
          (error) => {
            assert.ok(error instanceof MergeError);
            assert.match(error.message, pattern);
            return true;
          },
        );
        assert.equal(readFileSync(out, 'utf8'), 'the previous result');
      };
      await refused([a], /shard 1 of 2 is missing: no part given for it/);
      await refused([a, a], /are both shard 0 of 2/);
      await refused([a, b, other], /different splits: 2 shards and 3 shards/);
      await refused([a, folder.file('xor.shard-1-of-2.nothing.json')], /does not exist/);
      // A shard that failed: no part where the split put it; its name says which, its log where.
      const missing = folder.file('shard-1-of-2.part.json');
      writeFileSync(folder.file('shard-1-of-2.log'), 'Killed\n');
      await refused([a, missing], /shard 1 of 2 did not finish; its log is .*shard-1-of-2\.log/);
      // Another engine, a changed file, not a part at all, a truncated one.
      const edit = (path: string, change: (part: Record<string, unknown>) => void) => {
        const part = JSON.parse(readFileSync(path, 'utf8'));
        change(part);
        const changed = folder.file(`changed-${Math.random()}.json`);
        writeFileSync(changed, JSON.stringify(part));
        return changed;
      };
      await refused(
        [a, edit(b, (p) => ((p.engine as { version: string }).version = '0.0.1'))],
        /written by engine 0\.0\.1/,
      );
      await refused(
        [a, edit(b, (p) => (p.specHash = 'f'.repeat(64)))],
        /the file changed since the shards ran/,
      );
      await refused([a, edit(b, (p) => (p.format = 'something'))], /not a part file/);
      const truncated = folder.file('truncated.json');
      writeFileSync(truncated, readFileSync(b, 'utf8').slice(0, 100));
      await refused([a, truncated], /not a part file \(it is not JSON\)/);
      // The file itself changed after the shards ran.
      writeFileSync(specPath, JSON.stringify({ ...spec, analysis: {}, weightDecay: 0.002 }));
      await refused([a, b], /the file changed since the shards ran/);
      assert.ok(existsSync(a));
    } finally {
      folder.remove();
    }
  });
});
