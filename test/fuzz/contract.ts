// The contract every input file must keep, checked for one text: validation and analysis
// end in a result or in located problems, never in an exception; a verdict other than
// not-critical is backed by a gradient norm within its tolerance; a file that fails leaves
// an earlier result as it was. The CLI check adds the process: exit 0 or 1, in bounded time
// and memory, and nothing on stderr but located problems.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameterNamesOf } from '../../src/core/model/build';
import { estimateDemand } from '../../src/core/lossfile/budget';
import { loadSpec } from '../../src/core/lossfile/load';
import type { Problem } from '../../src/protocol/problems';
import { analyzeFile } from '../../src/engine/analyze';
import { readTextFile } from '../../src/engine/files';
import type { AnalysisResult } from '../../src/protocol/result';

/** Files analyzed end to end by the fuzzer must be cheaper than this (floating-point operations). */
export const CHEAP_OPERATIONS = 3e8;

const EARLIER_RESULT = '{"an earlier result": "must survive a failed run"}\n';

export type Outcome = 'invalid' | 'valid-costly' | 'analyzed';

/** Validation alone, as the editor runs it on every edit. */
export function checkValidation(text: string, folder: string): ReturnType<typeof loadSpec> {
  const loaded = loadSpec(text, {
    fileName: 'fuzz.loss.json',
    readFile: (relative) => readTextFile(join(folder, relative)),
  });
  if (!loaded.spec) {
    assert.ok(
      loaded.problems.some((p) => p.severity === 'error'),
      'a file that is refused names at least one error',
    );
  }
  for (const problem of loaded.problems) assertLocated(problem, text);
  return loaded;
}

export function assertLocated(problem: Problem, text: string): void {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r\n|\r|\n/).length;
  assert.ok(problem.message.length > 0, 'a problem has a message');
  assert.ok(Array.isArray(problem.path), 'a problem has a JSON path');
  assert.ok(
    Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lines,
    `line ${problem.line} is in the file (${lines} lines): ${problem.message}`,
  );
  assert.ok(
    Number.isInteger(problem.column) && problem.column >= 1,
    `column ${problem.column}: ${problem.message}`,
  );
  assert.ok(
    problem.offset >= 0 && problem.offset <= body.length,
    `offset ${problem.offset} is in the file: ${problem.message}`,
  );
}

/** Validated, and for a valid file whether it is cheap enough to analyze here. */
export function classify(text: string, folder: string): 'invalid' | 'valid-costly' | 'valid-cheap' {
  const loaded = checkValidation(text, folder);
  if (!loaded.spec || !loaded.dataset) return 'invalid';
  const demand = estimateDemand(loaded.spec, {
    samples: loaded.dataset.samples,
    parameterCount: parameterNamesOf(loaded.spec, loaded.dataset.inputDim).length,
  });
  return demand.operations > CHEAP_OPERATIONS ? 'valid-costly' : 'valid-cheap';
}

/** Validation, then, when the file is valid and cheap, the whole analysis in this process. */
export async function checkInProcess(text: string, folder: string): Promise<Outcome> {
  const kind = classify(text, folder);
  if (kind !== 'valid-cheap') return kind;
  const specPath = join(folder, 'fuzz.loss.json');
  const resultPath = join(folder, 'fuzz.result.json');
  writeFileSync(specPath, text);
  writeFileSync(resultPath, EARLIER_RESULT);
  const outcome = await analyzeFile({
    specPath,
    outPath: resultPath,
    threads: 1,
    parallel: 'never',
  });
  if (outcome.status !== 'ok') {
    assert.equal(
      readFileSync(resultPath, 'utf8'),
      EARLIER_RESULT,
      'the earlier result is unchanged',
    );
    assert.equal(outcome.status, 'invalid', 'validation passed, so only the engine can refuse');
    return 'invalid';
  }
  const written = JSON.parse(readFileSync(resultPath, 'utf8')) as AnalysisResult;
  for (const run of written.runs) assertVerdictBacked(run);
  return 'analyzed';
}

/** Never a minimum or a saddle where the gradient is above the tolerance. */
function assertVerdictBacked(run: AnalysisResult['runs'][number]): void {
  if (run.verdict.kind === 'not-critical') return;
  assert.ok(
    typeof run.gradientNorm === 'number' && run.gradientNorm <= run.verdict.tolerance.gradient,
    `${run.id} is called ${run.verdict.kind} with ‖∇L‖ = ${run.gradientNorm} above ${run.verdict.tolerance.gradient}`,
  );
}

/**
 * The CLI as a user runs it, in a child process with a time limit and a heap limit: exit 0
 * or 1, no stack trace, every line on stderr a located problem or losslab's own summary,
 * and the earlier result untouched unless the run succeeded.
 */
export function checkCli(text: string, folder: string, cli: string, timeoutMs: number): number {
  const specPath = join(folder, 'fuzz.loss.json');
  const resultPath = join(folder, 'fuzz.result.json');
  writeFileSync(specPath, text);
  writeFileSync(resultPath, EARLIER_RESULT);
  const run = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=1024',
      '--stack-size=984',
      cli,
      'analyze',
      specPath,
      '--quiet',
      '--threads',
      '1',
    ],
    { encoding: 'utf8', timeout: timeoutMs },
  );
  assert.equal(run.error, undefined, `the CLI finished within ${timeoutMs} ms`);
  assert.ok(run.status === 0 || run.status === 1, `exit status ${run.status}:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  if (run.status === 1) {
    for (const line of run.stderr.trimEnd().split('\n')) {
      assert.match(
        line,
        /^(.*fuzz\.loss\.json:\d+:\d+: (error|warning): .+ \(at .+\)|losslab: .*fuzz\.loss\.json is not valid; nothing was run)$/,
        'every line on stderr is a located problem',
      );
    }
    assert.equal(
      readFileSync(resultPath, 'utf8'),
      EARLIER_RESULT,
      'the earlier result is unchanged',
    );
  }
  return run.status;
}
