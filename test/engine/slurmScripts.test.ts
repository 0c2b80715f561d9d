// The Slurm merge's last word without a cluster: the merge script run by bash with a stand-in
// for losslab, and how its status file is read while it is being written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeFailure, mergeOutcome, planSlurm } from '../../src/engine/slurm';
import { temporaryFolder } from '../helpers/temp';

describe('Slurm merge status', () => {
  it('the merge script leaves its exit status whole, and only the finished file', () => {
    const folder = temporaryFolder({
      'x.loss.json': '{}',
      // Stands in for Node running `losslab merge`: says something, exits 5.
      'fake-node': '#!/bin/sh\necho "losslab: shard 2 of 3 did not finish"\nexit 5\n',
    });
    try {
      spawnSync('chmod', ['+x', folder.file('fake-node')]);
      const plan = planSlurm(folder.file('x.loss.json'), {
        shards: 3,
        cli: folder.file('cli.js'),
        node: folder.file('fake-node'),
      });
      mkdirSync(plan.folder);
      writeFileSync(join(plan.folder, 'merge.sbatch'), plan.mergeScript);
      const run = spawnSync('bash', [join(plan.folder, 'merge.sbatch')], { encoding: 'utf8' });
      assert.equal(run.status, 5);
      assert.match(run.stdout, /shard 2 of 3 did not finish/);
      assert.deepEqual(mergeOutcome(plan), { status: 5, log: '' });
      assert.deepEqual(readdirSync(plan.folder).sort(), ['merge.sbatch', 'merge.status']);
    } finally {
      folder.remove();
    }
  });

  it('a status file caught while it is written is no status yet, not exit 0', () => {
    const folder = temporaryFolder({ 'x.loss.json': '{}' });
    try {
      const plan = planSlurm(folder.file('x.loss.json'), { shards: 2, cli: 'cli.js' });
      mkdirSync(plan.folder);
      assert.equal(mergeOutcome(plan), null);
      // What `echo 1 > merge.status` shows a reader between creating and writing the file.
      writeFileSync(plan.mergeStatus, '');
      assert.equal(mergeOutcome(plan), null);
      writeFileSync(plan.mergeStatus, '1\n');
      writeFileSync(plan.mergeLog, 'losslab: nothing was merged\n');
      assert.deepEqual(mergeOutcome(plan), { status: 1, log: 'losslab: nothing was merged\n' });
      assert.ok(existsSync(plan.mergeLog));
    } finally {
      folder.remove();
    }
  });

  it('says why a merge gave no result the same way in the CLI and the editor', () => {
    const plan = planSlurm('/w/x.loss.json', { shards: 3, cli: 'cli.js' });
    const jobs = { arrayJob: '7', mergeJob: '8' };
    assert.equal(mergeFailure({ state: 'finished', status: 0, log: '' }, plan, jobs), null);
    assert.equal(mergeFailure({ state: 'running', jobs: [] }, plan, jobs), null);
    assert.equal(
      mergeFailure(
        { state: 'finished', status: 1, log: 'x\nlosslab: shard 2 of 3 did not finish\n' },
        plan,
        jobs,
      ),
      'the merge failed (exit 1): shard 2 of 3 did not finish; /w/x.result.json is unchanged (log: /w/x.shards/merge.log)',
    );
    assert.equal(
      mergeFailure({ state: 'stopped', how: 'TIMEOUT', log: '' }, plan, jobs),
      'the merge job 8 ended TIMEOUT before it finished; /w/x.result.json is unchanged (log: /w/x.shards/merge.log)',
    );
    assert.match(mergeFailure({ state: 'unseen' }, plan, jobs)!, /^the merge job 8 left the queue/);
  });
});
