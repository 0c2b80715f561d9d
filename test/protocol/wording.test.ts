import assert from 'node:assert/strict';
import { analysisSummary, plural, stageTimes, verdictCounts } from '../../src/protocol/wording';

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
});
