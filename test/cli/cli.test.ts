// The losslab CLI as a user runs it: the built bundle in a child process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryFolder } from '../helpers/temp';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const slowSpec = JSON.stringify({
  data: { generator: 'moons', samples: 2000, seed: 1 },
  model: { layers: [{ units: 32 }, { units: 1 }] },
  training: { runs: 2, epochs: 1000000, learningRate: 0.01 },
});

describe('losslab CLI', () => {
  it('analyzes a file, prints the summary table and writes FILE.result.json', () => {
    const folder = temporaryFolder();
    try {
      copyFileSync(
        join(root, 'examples', 'two-minima.loss.json'),
        folder.file('two-minima.loss.json'),
      );
      const result = run(['analyze', folder.file('two-minima.loss.json')]);
      assert.equal(result.status, 0, result.stderr);
      // Loading (mathjs) always shows; the other stages of this one-parameter file may each
      // take under the 5 ms the line leaves out.
      assert.match(
        result.stdout,
        /\ntime: load [\d.]+ s( · [a-z]+ [\d.]+ s)* \(added up over \d threads?\)\n/,
      );
      // One parameter (w) and one sample (x = 1): counted in the singular.
      assert.match(result.stdout, /: 1 parameter, 1 sample, loss mse\n/);
      assert.match(result.stdout, /Run\s+Loss\s+‖∇L‖\s+Verdict\s+Index\s+Same as\s+λmin\s+λmax/);
      assert.match(result.stdout, /point:top\s+1\s+0\s+maximum\s+1\s+-4\s+-4/);
      const written = JSON.parse(readFileSync(folder.file('two-minima.result.json'), 'utf8'));
      assert.equal(written.runs.length, 10);
      // The landscape it chose, and why w = ½ is no critical point.
      assert.match(
        result.stdout,
        /\nLandscape chosen automatically: the model has one parameter, w/,
      );
      assert.match(result.stdout, /"slices": \[\{"type":"axis","parameter":"w","range":\[/);
      assert.match(result.stdout, /point:half\s+0\.5625\s+1\.5\s+not critical\s/);
    } finally {
      folder.remove();
    }
  });

  it('--out chooses the result path and --quiet prints nothing', () => {
    const folder = temporaryFolder();
    try {
      const out = folder.file('custom.json');
      const result = run([
        'analyze',
        join(root, 'examples', 'parabola.loss.json'),
        '--out',
        out,
        '--quiet',
      ]);
      assert.equal(result.status, 0);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, '');
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).source, 'parabola.loss.json');
    } finally {
      folder.remove();
    }
  });

  it('exits 1 on an invalid file, naming file, line, column and JSON path', () => {
    const folder = temporaryFolder({
      'bad.loss.json':
        '{\n  "data": { "generator": "xor" },\n  "model": { "layers": [{ "units": 2, "activation": "tahn" }, { "units": 1 }] }\n}\n',
    });
    try {
      const result = run(['analyze', folder.file('bad.loss.json')]);
      assert.equal(result.status, 1);
      assert.ok(
        result.stderr.startsWith(`${folder.file('bad.loss.json')}:3:53: error: `),
        result.stderr,
      );
      assert.match(
        result.stderr,
        /:3:53: error: model\.layers\[0\]\.activation: 'tahn' is not one of .* \(at model\.layers\[0\]\.activation\)/,
      );
      assert.deepEqual(readdirSync(folder.path), ['bad.loss.json']);
    } finally {
      folder.remove();
    }
  });

  it('exits 2 on usage errors', () => {
    assert.equal(run([]).status, 2);
    assert.equal(run(['train', 'x.loss.json']).status, 2);
    assert.equal(run(['analyze', '/nonexistent/x.loss.json']).status, 2);
    assert.equal(run(['analyze', 'x.loss.json', '--threads', '0']).status, 2);
    assert.equal(run(['analyze', 'x.loss.json', '--bogus']).status, 2);
    assert.match(run(['--help']).stdout, /usage: losslab analyze/);
  });

  it('a reader slower than the output still gets all of it: the exit waits for the pipe', () => {
    // 3000 runs of two-minima: a summary table of about 230 KB, more than a pipe holds
    // (64 KiB). The reader takes nothing until the CLI has written its result and then
    // exited, or 3 s later waits for its reader instead (printing takes milliseconds).
    const spec = JSON.parse(readFileSync(join(root, 'examples', 'two-minima.loss.json'), 'utf8'));
    spec.training = { ...spec.training, runs: 3000, epochs: 200 };
    spec.points = [];
    spec.analysis = { slices: [] };
    const folder = temporaryFolder({ 'many.loss.json': JSON.stringify(spec) });
    try {
      const reader = [
        'i=0; while [ ! -e "$1.result.json" ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i + 1)); done',
        'sleep 3',
        'cat > "$1.out"',
      ].join('; ');
      const pipeline = spawnSync(
        'sh',
        [
          '-c',
          `"$0" "$2" analyze "$1.loss.json" 2>/dev/null | sh -c '${reader}' sh "$1"`,
          process.execPath,
          folder.file('many'),
          cli,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(pipeline.status, 0, pipeline.stderr);
      const stdout = readFileSync(folder.file('many.out'), 'utf8');
      assert.ok(stdout.length > 200000, `${stdout.length} characters`);
      assert.match(stdout, /^\nTwo minima/);
      assert.match(stdout, /\nrun-2999 /);
      assert.match(stdout, /\nwrote .*many\.result\.json in [\d.]+ s\n$/);
    } finally {
      folder.remove();
    }
  });

  it('Ctrl-C stops cleanly: exit 130, no result written, the previous result untouched', async () => {
    const folder = temporaryFolder({
      'slow.loss.json': slowSpec,
      'slow.result.json': 'previous result\n',
    });
    try {
      const child = spawn(process.execPath, [cli, 'analyze', folder.file('slow.loss.json')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let interrupted = false;
      const code = await new Promise<number | null>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          // Interrupt once, when training has started (a second Ctrl-C would force an exit).
          if (!interrupted && stderr.includes('training 2 runs')) {
            interrupted = true;
            child.kill('SIGINT');
          }
        });
        // 'close', not 'exit': the last lines of stderr may still be in the pipe at the exit.
        child.on('close', (exitCode) => resolve(exitCode));
      });
      assert.equal(code, 130, stderr);
      assert.match(stderr, /interrupted; no result was written/);
      assert.equal(readFileSync(folder.file('slow.result.json'), 'utf8'), 'previous result\n');
      assert.deepEqual(readdirSync(folder.path).sort(), ['slow.loss.json', 'slow.result.json']);
    } finally {
      folder.remove();
    }
  });

  it('slurm: --dry-run prints the array job, the merge after it and where the result goes; without sbatch it says what is missing', () => {
    const folder = temporaryFolder();
    try {
      const spec = folder.file('xor.loss.json');
      copyFileSync(join(root, 'examples', 'xor.loss.json'), spec);
      const dry = run([
        'slurm',
        spec,
        '--shards',
        '3',
        '--partition',
        'gpu',
        '--mem',
        '4G',
        '--dry-run',
      ]);
      assert.equal(dry.status, 0, dry.stderr);
      const shards = join(folder.path, 'xor.shards');
      assert.match(
        dry.stdout,
        new RegExp(
          `sbatch --parsable --job-name=losslab-xor --array=0-2 --output=${shards}/shard-%a-of-3\\.log --partition=gpu --mem=4G`,
        ),
      );
      assert.match(dry.stdout, /analyze '.*xor\.loss\.json' --shard "\$SLURM_ARRAY_TASK_ID\/3"/);
      assert.match(dry.stdout, /--dependency=afterany:\$\{ARRAY_JOB\}/);
      assert.match(
        dry.stdout,
        /merge '.*xor\.loss\.json' '.*shard-0-of-3\.part\.json' '.*shard-1-of-3\.part\.json' '.*shard-2-of-3\.part\.json'/,
      );
      assert.match(dry.stdout, new RegExp(`# result: ${folder.file('xor.result.json')}`));
      // Nothing was written or submitted.
      assert.deepEqual(readdirSync(folder.path), ['xor.loss.json']);
      const noSlurm = spawnSync(process.execPath, [cli, 'slurm', spec, '--shards', '3'], {
        encoding: 'utf8',
        env: { ...process.env, PATH: folder.path },
      });
      assert.equal(noSlurm.status, 2);
      assert.match(
        noSlurm.stderr,
        /sbatch, squeue, scancel are not on PATH: run this on a machine that submits Slurm jobs/,
      );
      assert.equal(run(['slurm', spec, '--shards', '0']).status, 2);
      assert.match(
        run(['slurm', spec, '--shards', '2', '--time', '1:00; rm -rf /']).stderr,
        /is not one word sbatch would take/,
      );
      assert.match(
        run(['analyze', spec, '--shard', '3/3']).stderr,
        /--shard is K\/N with 0 ≤ K < N/,
      );
    } finally {
      folder.remove();
    }
  });
});
