// Hostile and odd files through the CLI, on the real file system: each class ends in exit 0
// or in exit 1 with located problems, never in a stack trace or exit 3, and an earlier
// result is never lost. (The fuzzer in test/fuzz mutates valid files at random; these are
// the classes named one by one.)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import { temporaryFolder } from '../helpers/temp';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const EARLIER = 'an earlier result\n';

/** Runs `losslab analyze spec.loss.json` in a folder that already holds a result. */
function analyzeInFolder(
  spec: string | Buffer,
  prepare: (folder: string) => void = () => undefined,
): { status: number | null; stderr: string; earlierKept: boolean; folder: string } {
  const folder = temporaryFolder();
  try {
    writeFileSync(folder.file('spec.loss.json'), spec);
    writeFileSync(folder.file('spec.result.json'), EARLIER);
    prepare(folder.path);
    const run = spawnSync(
      process.execPath,
      [cli, 'analyze', folder.file('spec.loss.json'), '--quiet'],
      {
        encoding: 'utf8',
        timeout: 60000,
      },
    );
    return {
      status: run.status,
      stderr: run.stderr.replaceAll(folder.path, '<folder>'),
      earlierKept: readFileSync(folder.file('spec.result.json'), 'utf8') === EARLIER,
      folder: folder.path,
    };
  } finally {
    folder.remove();
  }
}

const csvSpec = (path: string) =>
  `{\n  "data": { "csv": ${JSON.stringify(path)}, "inputs": ["x"], "targets": ["y"] },\n  "model": { "layers": [{ "units": 1 }] },\n  "training": { "runs": 1, "epochs": 10 }\n}\n`;

function assertRefusedAt(
  outcome: ReturnType<typeof analyzeInFolder>,
  where: string,
  message: RegExp,
): void {
  assert.equal(outcome.status, 1, outcome.stderr);
  const lines = outcome.stderr.trimEnd().split('\n');
  const [first, last] = [lines[0], lines[lines.length - 1]];
  assert.ok(first.startsWith(`<folder>/spec.loss.json:${where}: error: `), first);
  assert.match(first, message);
  assert.equal(last, 'losslab: <folder>/spec.loss.json is not valid; nothing was run');
  assert.doesNotMatch(outcome.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(outcome.earlierKept, 'the earlier result is unchanged');
}

describe('hostile files, by class, through the CLI', () => {
  it('nesting 100,000 brackets deep: refused at the bracket that opens level 65', () => {
    const outcome = analyzeInFolder('['.repeat(100000) + ']'.repeat(100000));
    assertRefusedAt(outcome, '1:65', /nesting deeper than 64 levels/);
  });

  it('a billion runs: refused at training.runs, with what fits, before allocating', () => {
    const outcome = analyzeInFolder(
      '{"data": {"generator": "xor"}, "model": {"layers": [{"units": 2}, {"units": 1}]},\n"training": {"runs": 1000000000}}',
    );
    assertRefusedAt(
      outcome,
      '2:22',
      /^.*training\.runs: .* at most 4,682 runs fit \(at training\.runs\)$/,
    );
  });

  describe('a data path that is not a readable text file: a located error on the csv key', () => {
    const cases: [string, (folder: string) => void, RegExp][] = [
      ['a folder', (f) => mkdirSync(join(f, 'data.csv')), /'data\.csv' is a folder, not a file/],
      [
        'a named pipe (never opened: it would block)',
        (f) => execFileSync('mkfifo', [join(f, 'data.csv')]),
        /'data\.csv' is not a regular file \(a device, pipe or socket\)/,
      ],
      [
        'a device (/dev/zero, endless)',
        (f) => symlinkSync('/dev/zero', join(f, 'data.csv')),
        /'data\.csv' is not a regular file/,
      ],
      [
        'a symbolic link to itself',
        (f) => symlinkSync('data.csv', join(f, 'data.csv')),
        /'data\.csv' is a symbolic link that leads back to itself/,
      ],
      [
        'UTF-16 text',
        (f) =>
          writeFileSync(
            join(f, 'data.csv'),
            Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x,y\n1,2\n', 'utf16le')]),
          ),
        /'data\.csv' is UTF-16 text: save it as UTF-8/,
      ],
      [
        'a binary file',
        (f) =>
          writeFileSync(join(f, 'data.csv'), Buffer.from([0x78, 0x2c, 0x79, 0x0a, 0xc3, 0x28])),
        /'data\.csv' is not UTF-8 text/,
      ],
      ['missing', () => undefined, /'data\.csv' does not exist \(paths are relative/],
    ];
    for (const [name, prepare, message] of cases) {
      it(name, () =>
        assertRefusedAt(analyzeInFolder(csvSpec('data.csv'), prepare), '2:20', message),
      );
    }
  });

  it('a byte-order mark and CRLF line endings: the file is analyzed as without them', () => {
    const text = `\ufeff${csvSpec('data.csv')}`.replace(/\n/g, '\r\n');
    const outcome = analyzeInFolder(text, (f) =>
      writeFileSync(join(f, 'data.csv'), 'x,y\r\n0,1\r\n1,3\r\n2,5\r\n'),
    );
    assert.equal(outcome.status, 0, outcome.stderr);
  });

  it('a spec that is a folder is a usage error (exit 2) that says so', () => {
    const folder = temporaryFolder();
    try {
      mkdirSync(folder.file('x.loss.json'));
      const run = spawnSync(process.execPath, [cli, 'analyze', folder.file('x.loss.json')], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 2);
      assert.equal(
        run.stderr,
        `losslab: cannot read ${folder.file('x.loss.json')}: it is a folder, not a file\n`,
      );
    } finally {
      folder.remove();
    }
  });

  it('a spec saved as UTF-16 is refused at 1:1 with what to do', () => {
    const outcome = analyzeInFolder(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"data": {}}', 'utf16le')]),
    );
    assertRefusedAt(outcome, '1:1', /the file is UTF-16 text: save it as UTF-8/);
  });
});

describe('second derivatives beyond float64', () => {
  it('f = w·x with x = 1e160 at w = 0: critical, Hessian 2x² = ∞, so undecided, not a minimum', async () => {
    const folder = temporaryFolder({
      'big.loss.json': JSON.stringify({
        data: { inputs: [[1e160]], targets: [[0]] },
        model: { expression: 'w*x', parameters: ['w'] },
        training: { runs: 0 },
        points: [{ name: 'origin', values: { w: 0 } }],
      }),
    });
    try {
      const outcome = await analyzeFile({ specPath: folder.file('big.loss.json'), outPath: null });
      assert.equal(outcome.status, 'ok');
      const [point] = outcome.status === 'ok' ? outcome.result.runs : [];
      // L = (w·x)² = 0 and ∇L = 2x²w = 0 at w = 0: a critical point. L'' = 2x² = 2e320 = ∞.
      assert.equal(point.loss, 0);
      assert.equal(point.gradientNorm, 0);
      assert.equal(point.verdict.kind, 'degenerate');
      assert.match(point.verdict.reason, /the Hessian is not finite here/);
    } finally {
      folder.remove();
    }
  });
});
