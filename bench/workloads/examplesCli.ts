// Workload 6: every example as a user runs it with the CLI: time and peak memory.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, median, python, quick, report } from '../shared';

/** `npm run analyze` on every example: wall time and peak memory of the whole process. */
export function examplesWorkload(): void {
  report('## 6. End to end: npm run analyze on each example (CLI process, all threads)');
  report('example                     | wall time | peak memory');
  const examples = join(__dirname, '..', 'examples');
  const cli = join(__dirname, 'cli.js');
  const out = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  // Preloaded into the CLI process: reports its peak resident set size, workers included.
  // VmHWM, not resourceUsage().maxRSS: Linux carries maxRSS over from the forked benchmark
  // process across exec, so small runs would report this process's size.
  const probe = join(out, 'maxrss.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8')); process.stderr.write('maxrss ' + (m ? m[1] : 0) + '\\n'); });\n",
  );
  for (const name of readdirSync(examples)
    .filter((f) => f.endsWith('.loss.json'))
    .sort()) {
    if (!python && readFileSync(join(examples, name), 'utf8').includes('"pytorch"')) {
      report(`${name.padEnd(27)} | skipped: no Python with torch`);
      continue;
    }
    const times: number[] = [];
    let peak = 0;
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const start = performance.now();
      const run = spawnSync(
        process.execPath,
        [
          '--require',
          probe,
          cli,
          'analyze',
          join(examples, name),
          '--out',
          join(out, `${name}.result.json`),
          '--quiet',
          // The PyTorch examples' worker: the Python that has torch.
          ...(python ? ['--python', python] : []),
        ],
        { encoding: 'utf8' },
      );
      times.push((performance.now() - start) / 1000);
      const rss = /maxrss (\d+)/.exec(run.stderr);
      if (run.status !== 0 || !rss || !existsSync(join(out, `${name}.result.json`)))
        throw new Error(`analyze ${name} failed: ${run.stderr}`);
      peak = Math.max(peak, Number(rss[1]) / 1024);
    }
    report(
      `${name.padEnd(27)} | ${fmt(median(times)).padStart(7)} s | ${peak.toFixed(0).padStart(7)} MB`,
    );
  }
  rmSync(out, { recursive: true, force: true });
  report();
}
