// Property-based fuzzing of hostile and odd .loss.json files (fast-check): valid files from
// the corpus, mutated by deleting, duplicating and retyping keys, nesting deeply, inserting
// huge and non-finite numbers, naming folders and devices, and truncating the text. Every
// case must keep the contract in ./contract.ts.
//
// `npm test` runs a fixed seed and a bounded number of cases. Longer runs by hand:
//   FUZZ_RUNS=20000 FUZZ_SEED=7 npm run fuzz
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { temporaryFolder } from '../helpers/temp';
import { checkCli, checkInProcess, checkValidation, classify, type Outcome } from './contract';
import { writeDataFiles } from './corpus';
import { caseArbitrary, caseText } from './mutate';

const seed = Number(process.env.FUZZ_SEED ?? 20261129);
const scale = Number(process.env.FUZZ_RUNS ?? 0) || 1;
const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

describe('fuzzing: no input file ends in a crash, a stack trace or a lost result', function () {
  this.timeout(0);
  const folder = temporaryFolder();
  before(() => writeDataFiles(folder.path));
  after(() => folder.remove());

  it('validation (as on every edit) always ends in a spec or located problems', () => {
    const runs = scale > 1 ? scale * 4 : 3000;
    fc.assert(
      fc.property(caseArbitrary, (fuzzCase) => {
        checkValidation(caseText(fuzzCase), folder.path);
      }),
      { seed, numRuns: runs },
    );
  });

  it('the whole analysis, in process, ends in a result with backed verdicts or located problems', async () => {
    const counts: Record<Outcome, number> = { invalid: 0, 'valid-costly': 0, analyzed: 0 };
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (fuzzCase) => {
        counts[await checkInProcess(caseText(fuzzCase), folder.path)]++;
      }),
      { seed: seed + 1, numRuns: scale > 1 ? scale : 250 },
    );
    console.log(`      in process: ${JSON.stringify(counts)}`);
  });

  it('the CLI exits 0 or 1 in bounded time and memory, never prints a stack trace, keeps an earlier result', function () {
    if (!existsSync(cli)) this.skip();
    const statuses: Record<number, number> = {};
    fc.assert(
      fc.property(caseArbitrary, (fuzzCase) => {
        const text = caseText(fuzzCase);
        // A valid file that asks for minutes of work is covered by validation alone.
        if (classify(text, folder.path) === 'valid-costly') return;
        const status = checkCli(text, folder.path, cli, 60000);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
      { seed: seed + 2, numRuns: scale > 1 ? Math.ceil(scale / 10) : 25 },
    );
    console.log(`      CLI exit statuses: ${JSON.stringify(statuses)}`);
  });
});
