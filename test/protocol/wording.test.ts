import assert from 'node:assert/strict';
import {
  analysisSummary,
  curvatureSummary,
  plural,
  shardSummary,
  stageTimes,
  verdictCounts,
} from '../../src/protocol/wording';

describe('counts as people read them', () => {
  it('one in the singular, any other number in the plural, with thousands separated', () => {
    assert.equal(plural(1, 'run'), '1 run');
    assert.equal(plural(0, 'run'), '0 runs');
    assert.equal(plural(2, 'run'), '2 runs');
    assert.equal(plural(4682, 'run'), '4,682 runs');
  });

  it('verdicts: "2 minima", "1 maximum", "3 saddles", never "2 minimum"', () => {
    assert.equal(
      verdictCounts(['saddle', 'minimum', 'minimum', 'maximum', 'saddle', 'saddle']),
      '2 minima, 3 saddles, 1 maximum',
    );
    assert.equal(verdictCounts(['maximum', 'maximum']), '2 maxima');
    assert.equal(
      verdictCounts(['not-critical', 'degenerate']),
      '1 degenerate critical point, 1 point that is not critical',
    );
  });

  it('where the time went: the stages that took time, in order, two significant digits', () => {
    assert.equal(
      stageTimes({
        loadSeconds: 0.1234,
        trainingSeconds: 12.34,
        refinementSeconds: 0,
        spectrumSeconds: 0.004,
        slicesSeconds: 1.5,
      }),
      'load 0.12 s · training 12 s · slices 1.5 s',
    );
  });

  it("the notification's summary of an analysis", () => {
    assert.equal(
      analysisSummary({ verdicts: ['minimum', 'minimum', 'saddle'], classes: 2 }),
      '2 minima, 1 saddle; 2 distinct networks',
    );
    assert.equal(
      analysisSummary({ verdicts: ['minimum'], classes: 1 }),
      '1 minimum; 1 distinct network',
    );
  });

  it("where the shards of a merged result ran, and what a slice's curvature shows", () => {
    const shard = (index: number, host: string, seconds: number, runs: number, starts: number) => ({
      index,
      count: 2,
      host,
      seconds,
      runs,
      points: index === 0 ? 1 : 0,
      starts,
      part: `shard-${index}-of-2.part.json`,
    });
    assert.equal(
      shardSummary([shard(0, 'node1', 3.21456, 4, 0), shard(1, 'node2', 2.9, 4, 6)]),
      '2 shards: 0 on node1 in 3.21 s (4 runs, 1 point) · 1 on node2 in 2.9 s (4 runs, 6 starts)',
    );
    const curvature = { lambdaMin: [], points: 201, least: -4, greatest: 8, tolerance: 1e-7 };
    assert.match(
      curvatureSummary({ ...curvature, negative: 63 }),
      /^λmin < 0 at 63 of 201 grid points \(31.3%\) \(λmin down to -4\)/,
    );
    assert.match(
      curvatureSummary({
        ...curvature,
        negative: 63,
        ratioRange: { least: 0, greatest: 0.512345 },
      }),
      /not convex; \|λmin\/λmax\| from 0 to 0\.512$/,
    );
    assert.match(
      curvatureSummary({
        ...curvature,
        negative: 63,
        ratioRange: { least: 0, greatest: 3.5, median: 0.0412345 },
      }),
      /\|λmin\/λmax\| from 0 to 3\.5, median 0\.0412$/,
    );
    assert.match(
      curvatureSummary({ ...curvature, negative: 0, least: 0.5 }),
      /^λmin ≥ 0 at all 201 grid points/,
    );
  });
});
