// Runs inside a real VS Code extension host, against the installed extension.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/extension/engineRunner';
import { churnChildren } from '../../helpers/processes';

const EXTENSION_ID = 'loss-landscape-lab.loss-landscape-lab';

/** Labels of the open results panels (webview tabs of this extension's view type). */
function resultsPanels(): string[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      (tab) =>
        tab.input instanceof vscode.TabInputWebview &&
        tab.input.viewType.endsWith('lossLandscape.results'),
    )
    .map((tab) => tab.label);
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Loss Landscape extension', () => {
  const folder = mkdtempSync(join(tmpdir(), 'losslab-ext-'));

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'lossLandscape.analyze',
      'lossLandscape.cancel',
      'lossLandscape.newExample',
      'lossLandscape.showResults',
    ]) {
      assert.ok(commands.includes(id), id);
    }
  });

  it('puts a diagnostic on the misspelled activation (line 3) and runs nothing', async () => {
    const file = join(folder, 'bad.loss.json');
    writeFileSync(
      file,
      '{\n  "data": { "generator": "xor" },\n  "model": { "layers": [{ "units": 2, "activation": "tahn" }, { "units": 1 }] }\n}\n',
    );
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor(() => {
      const found = vscode.languages
        .getDiagnostics(document.uri)
        .filter((d) => d.source === 'Loss Landscape');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(diagnostics[0].range.start.line, 2);
    assert.match(diagnostics[0].message, /'tahn' is not one of .* did you mean 'tanh'/);
    await vscode.commands.executeCommand('lossLandscape.analyze', document.uri);
    assert.equal(existsSync(join(folder, 'bad.result.json')), false);
  });

  it('analyzes two-minima: minima at ±1 and the maximum at 0 in the result file', async () => {
    const file = join(folder, 'two-minima.loss.json');
    const example = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    writeFileSync(file, readFileSync(join(example, 'examples', 'two-minima.loss.json')));
    await vscode.commands.executeCommand('lossLandscape.analyze', vscode.Uri.file(file));
    const result = JSON.parse(readFileSync(join(folder, 'two-minima.result.json'), 'utf8'));
    const verdict = (id: string) =>
      result.runs.find((r: { id: string }) => r.id === id).verdict.kind;
    assert.deepEqual(
      [verdict('point:left'), verdict('point:top'), verdict('point:right')],
      ['minimum', 'maximum', 'minimum'],
    );
    assert.ok(resultsPanels().includes('Loss Landscape: two-minima'), 'the panel opened');
  });

  it("a few hundred analyses while the host's other children come and go: no result lost", async function () {
    // The engine's exit can be seen before its last message when another child of the host
    // (git, a language server) exits at that moment; the churn makes such moments frequent.
    const count = Number(process.env.LOSSLAB_STRESS ?? 200);
    this.timeout(count * 5000);
    const file = vscode.Uri.file(join(folder, 'stress.loss.json'));
    writeFileSync(
      file.fsPath,
      JSON.stringify({
        // y = 2x + 1 by a linear unit: one minimum, and an engine that starts fast.
        data: { inputs: [[0], [1], [2]], targets: [[1], [3], [5]] },
        model: { layers: [{ units: 1, activation: 'linear' }] },
        training: { runs: 2, epochs: 200, learningRate: 0.1 },
        analysis: { slices: [] },
      }),
    );
    const churn = churnChildren();
    const outcomes: Record<string, number> = {};
    const lost: string[] = [];
    for (let k = 0; k < count; k++) {
      const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>(
        'lossLandscape.analyze',
        file,
      );
      const status = outcome?.status ?? 'nothing run';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      if (outcome?.status !== 'ok')
        lost.push(`#${k}: ${outcome?.status === 'failed' ? outcome.message : status}`);
    }
    const exited = await churn.stop();
    console.log(
      `      ${count} analyses in the extension host, ${exited} other children exited meanwhile: ${JSON.stringify(outcomes)}`,
    );
    assert.deepEqual(lost, []);
    const result = JSON.parse(readFileSync(join(folder, 'stress.result.json'), 'utf8'));
    assert.deepEqual(
      result.runs.map((r: { verdict: { kind: string } }) => r.verdict.kind),
      ['minimum', 'minimum'],
    );
  });

  it('Show Results reopens the panel of a file from its saved result', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(resultsPanels(), []);
    const file = vscode.Uri.file(join(folder, 'two-minima.loss.json'));
    await vscode.commands.executeCommand('lossLandscape.showResults', file);
    await waitFor(() => (resultsPanels().length > 0 ? true : undefined));
    assert.deepEqual(resultsPanels(), ['Loss Landscape: two-minima']);
  });

  it('cancel stops a long analysis and leaves the previous result', async () => {
    const file = join(folder, 'slow.loss.json');
    writeFileSync(
      file,
      JSON.stringify({
        data: { generator: 'moons', samples: 2000 },
        model: { layers: [{ units: 32 }, { units: 1 }] },
        training: { runs: 2, epochs: 1000000 },
      }),
    );
    writeFileSync(join(folder, 'slow.result.json'), 'previous\n');
    const running = vscode.commands.executeCommand('lossLandscape.analyze', vscode.Uri.file(file));
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('lossLandscape.cancel', vscode.Uri.file(file));
    await running;
    assert.equal(readFileSync(join(folder, 'slow.result.json'), 'utf8'), 'previous\n');
  });

  it('Analyze on Slurm (a one-node cluster): the shards and the merge run, and the panel opens on the merged result', async function () {
    // test/slurm/run.sh starts the cluster and sets LOSSLAB_SLURM_CLUSTER; elsewhere, skipped.
    if (!process.env.LOSSLAB_SLURM_CLUSTER) this.skip();
    this.timeout(180000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('lossLandscape.analyzeOnSlurm'));
    const file = join(folder, 'xor-slurm.loss.json');
    const example = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const spec = JSON.parse(readFileSync(join(example, 'examples', 'xor.loss.json'), 'utf8'));
    spec.training.runs = 6;
    spec.analysis = { search: { starts: 4 } };
    writeFileSync(file, JSON.stringify(spec, null, 2));
    await vscode.commands.executeCommand('lossLandscape.analyzeOnSlurm', vscode.Uri.file(file), {
      shards: 3,
    });
    const resultPath = join(folder, 'xor-slurm.result.json');
    const result = await waitFor(() => {
      if (!existsSync(resultPath)) return undefined;
      return JSON.parse(readFileSync(resultPath, 'utf8')) as {
        shards?: { index: number; runs: number; starts: number }[];
        runs: unknown[];
      };
    }, 150000);
    assert.deepEqual(
      result.shards!.map((s) => [s.index, s.runs, s.starts]),
      [
        [0, 2, 2],
        [1, 2, 1],
        [2, 2, 1],
      ],
    );
    assert.equal(result.runs.length, 6);
    // The panel opens on it once the merge is seen to have finished (the status bar polls).
    await waitFor(
      () => (resultsPanels().includes('Loss Landscape: xor-slurm') ? true : undefined),
      30000,
    );
    // The shards and the time limit are remembered in the settings.
    assert.equal(vscode.workspace.getConfiguration('lossLandscape').get('slurm.shards'), 3);
  });
});
