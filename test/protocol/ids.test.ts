import assert from 'node:assert/strict';
import { criticalId, parseId, pointId, runId, saddleId, startId } from '../../src/protocol/ids';

describe('ids of analyzed points', () => {
  it('are made in one spelling and read back to what they name', () => {
    assert.equal(runId(3), 'run-3');
    assert.equal(pointId('A'), 'point:A');
    assert.equal(saddleId(0), 'saddle-0');
    assert.equal(startId(7), 'start-7');
    assert.equal(criticalId(2), 'critical-2');
    assert.deepEqual(parseId('run-3'), { kind: 'run', index: 3 });
    assert.deepEqual(parseId('point:A'), { kind: 'point', name: 'A' });
    assert.deepEqual(parseId('saddle-10'), { kind: 'saddle', index: 10 });
    assert.deepEqual(parseId('start-7'), { kind: 'start', index: 7 });
    assert.deepEqual(parseId('critical-0'), { kind: 'critical', index: 0 });
  });

  it('names nothing for other spellings: leading zeros, signs, empty names, other prefixes', () => {
    for (const id of ['run-03', 'run--1', 'run-', 'run-1.5', 'point:', 'Run-1', 'slice-0', ''])
      assert.equal(parseId(id), null, id);
  });
});
