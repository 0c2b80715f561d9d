// losslab slurm on a real cluster of one node (test/slurm/run.sh starts it): the shards run as
// an array job and the merge after them; the merged result is the one `losslab analyze`
// writes, and a shard cancelled makes the merge name it and leave the last result as it was.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult } from '../../src/protocol/result';
import { comparable } from '../helpers/comparable';
import { temporaryFolder } from '../helpers/temp';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const losslab = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });

/** Polls squeue (sacct needs accounting, which the test cluster lacks) until the jobs left. */
async function waitForJobs(jobs: string[]): Promise<void> {
  for (;;) {
    const queued = execFileSync('squeue', ['-h', '-j', jobs.join(','), '-o', '%i'], {
      encoding: 'utf8',
    });
    if (queued.trim() === '') return;
    await new Promise((done) => setTimeout(done, 500));
  }
}

const jobIds = (stdout: string) => ({
  array: /array job (\d+)/.exec(stdout)![1],
  merge: /merge job (\d+)/.exec(stdout)![1],
});

describe('losslab slurm on a one-node cluster', function () {
  before(function () {
    if (!process.env.LOSSLAB_SLURM_CLUSTER) this.skip();
  });

  it('xor.loss.json with 24 search starts on 4 shards: the merged result is the single-machine result', async () => {
    const folder = temporaryFolder();
    try {
      const spec = JSON.parse(readFileSync(join(root, 'examples', 'xor.loss.json'), 'utf8'));
      spec.analysis.search = { starts: 24 };
      writeFileSync(folder.file('xor.loss.json'), JSON.stringify(spec, null, 2));
      const alone = losslab(
        'analyze',
        folder.file('xor.loss.json'),
        '--out',
        folder.file('alone.json'),
        '--quiet',
      );
      assert.equal(alone.status, 0, alone.stderr);
      const submitted = losslab(
        'slurm',
        folder.file('xor.loss.json'),
        '--shards',
        '4',
        '--time',
        '10',
      );
      assert.equal(submitted.status, 0, submitted.stderr);
      const jobs = jobIds(submitted.stdout);
      assert.match(submitted.stdout, new RegExp(`result: ${folder.file('xor.result.json')}`));
      await waitForJobs([jobs.array, jobs.merge]);
      const shards = join(folder.path, 'xor.shards');
      assert.equal(
        readFileSync(join(shards, 'merge.status'), 'utf8').trim(),
        '0',
        readFileSync(join(shards, 'merge.log'), 'utf8'),
      );
      const merged = JSON.parse(
        readFileSync(folder.file('xor.result.json'), 'utf8'),
      ) as AnalysisResult;
      const single = JSON.parse(readFileSync(folder.file('alone.json'), 'utf8')) as AnalysisResult;
      // Verdicts, classes, critical points (paths and search) and slices: all of it.
      assert.deepEqual(comparable(merged), comparable(single));
      assert.ok(single.criticalPoints.some((p) => p.source === 'search'));
      assert.equal(single.slices.length, 3);
      assert.deepEqual(
        merged.shards!.map((s) => [s.index, s.count, s.runs, s.starts, s.log]),
        [0, 1, 2, 3].map((k) => [k, 4, 4, 6, join(shards, `shard-${k}-of-4.log`)]),
      );
    } finally {
      folder.remove();
    }
  });

  it('a shard cancelled: the merge names it and its log, and the previous result is untouched', async () => {
    const folder = temporaryFolder();
    try {
      // Shards of a few seconds each, two at a time on two cores: shard 3 waits its turn.
      const spec = {
        data: { generator: 'moons', samples: 200, seed: 1 },
        model: { layers: [{ units: 16 }, { units: 16 }, { units: 1 }] },
        training: { runs: 8, optimizer: 'adam', epochs: 4000 },
        analysis: { slices: [] },
      };
      writeFileSync(folder.file('moons.loss.json'), JSON.stringify(spec));
      writeFileSync(folder.file('moons.result.json'), 'the previous result\n');
      const submitted = losslab('slurm', folder.file('moons.loss.json'), '--shards', '4');
      assert.equal(submitted.status, 0, submitted.stderr);
      const jobs = jobIds(submitted.stdout);
      execFileSync('scancel', [`${jobs.array}_3`]);
      await waitForJobs([jobs.array, jobs.merge]);
      const shards = join(folder.path, 'moons.shards');
      const log = readFileSync(join(shards, 'merge.log'), 'utf8');
      assert.equal(readFileSync(join(shards, 'merge.status'), 'utf8').trim(), '1', log);
      assert.match(log, /shard 3 of 4 did not finish/);
      assert.match(log, new RegExp(`shard-3-of-4\\.log`));
      assert.match(log, /nothing was merged; an earlier result file is unchanged/);
      assert.equal(readFileSync(folder.file('moons.result.json'), 'utf8'), 'the previous result\n');
      // The other shards did their part.
      for (const k of [0, 1, 2])
        assert.ok(readFileSync(join(shards, `shard-${k}-of-4.part.json`)).length > 0);
    } finally {
      folder.remove();
    }
  });

  it('--wait: a merge job cancelled before it ran is reported at once, by its state', async () => {
    const folder = temporaryFolder();
    let jobs: { array: string; merge: string } | null = null;
    try {
      // Shards of several seconds: the merge waits for them, and is cancelled meanwhile.
      const spec = {
        data: { generator: 'moons', samples: 200, seed: 1 },
        model: { layers: [{ units: 16 }, { units: 16 }, { units: 1 }] },
        training: { runs: 4, optimizer: 'adam', epochs: 8000 },
        analysis: { slices: [] },
      };
      writeFileSync(folder.file('moons.loss.json'), JSON.stringify(spec));
      writeFileSync(folder.file('moons.result.json'), 'the previous result\n');
      const child = spawn(
        process.execPath,
        [cli, 'slurm', folder.file('moons.loss.json'), '--shards', '2', '--wait'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      let cancelledAt = 0;
      child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += String(chunk);
        if (!jobs && /merge job \d+/.test(stdout)) {
          jobs = jobIds(stdout);
          execFileSync('scancel', [jobs.merge]);
          cancelledAt = Date.now();
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 3, stderr);
      const merge = (jobs as { merge: string } | null)?.merge;
      assert.match(
        stderr,
        new RegExp(
          `the merge job ${merge} ended CANCELLED before it finished; .*moons\\.result\\.json is unchanged`,
        ),
      );
      // Told by its state within a poll or two, not after waiting for a status file.
      assert.ok(Date.now() - cancelledAt < 20000, `${Date.now() - cancelledAt} ms`);
      assert.equal(readFileSync(folder.file('moons.result.json'), 'utf8'), 'the previous result\n');
    } finally {
      const submitted = jobs as { array: string } | null;
      if (submitted) spawnSync('scancel', [submitted.array]);
      folder.remove();
    }
  });
});
