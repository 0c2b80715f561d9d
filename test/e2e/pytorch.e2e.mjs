// End to end, a PyTorch module in a real VS Code: the digits CNN from "New Example File…"
// (its module, data and weights copied beside it), analyzed from the palette with the
// interpreter from the lossLandscape.python setting; the panel shows its verdict, spectrum,
// density, plane and 3-D view. Then the interpreter found on the PATH: the setting removed,
// code-server started with a folder first on its PATH whose python3 is the one with torch.
// Screenshots: test-results/pytorch-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, root, startVsCodeServer, workbenchUrl } from '../support/vscodeServer.mjs';
import { canvasInk, runCommand, stepLog, waitForAnalysis, writeSettings } from './helpers.mjs';

const PYTHON = '/usr/bin/python3';
const { values: options } = parseArgs({ options: { vsix: { type: 'string' } } });
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const shot = (name) => join(results, `${options.vsix ? 'vsix-' : ''}pytorch-${name}`);

/** Settings with (or without) the interpreter. */
function settings(workspace, python) {
  writeSettings(workspace, 'Default Dark Modern');
  const path = join(workspace, '.vscode', 'settings.json');
  const value = JSON.parse(readFileSync(path, 'utf8'));
  if (python) value['lossLandscape.python'] = python;
  writeFileSync(path, JSON.stringify(value, null, 2));
}

async function openWorkbench(server, workspace) {
  const context = await launchBrowser(server, { width: 1600, height: 1000 });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(workbenchUrl(server, workspace));
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  return { context, page, panel, webview: page.locator('iframe.webview.ready') };
}

let server;
let lastPage = null;
let failure = null;
const steps = stepLog('e2e pytorch');
try {
  // 1. The CNN, with the interpreter from the setting.
  server = await startVsCodeServer({ vsix: options.vsix });
  const workspace = join(server.scratch, 'workspace');
  mkdirSync(workspace);
  settings(workspace, PYTHON);
  let { context, page, panel, webview } = await openWorkbench(server, workspace);
  lastPage = page;
  const file = 'digits-cnn.loss.json';
  steps.at(file, 'New Example File…');
  await runCommand(page, 'Loss Landscape: New Example File…');
  const pick = page.locator('.quick-input-widget input.input[placeholder^="Which question"]');
  await pick.waitFor({ timeout: 30000 });
  await pick.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().click();
  await page.locator('.tab.active', { hasText: file }).waitFor({ timeout: 30000 });
  for (const companion of ['digits-cnn.py', 'digits-cnn.npz', 'digits-cnn.safetensors'])
    readFileSync(join(workspace, companion)); // copied beside it, or this throws

  steps.at(file, 'Analyze (Python from the setting)');
  await runCommand(page, 'Loss Landscape: Analyze');
  await waitForAnalysis(panel, 600000);
  const result = JSON.parse(readFileSync(join(workspace, 'digits-cnn.result.json'), 'utf8'));
  assert.equal(result.model.kind, 'pytorch');
  assert.equal(result.parameterCount, 2314);

  steps.at(file, 'verdict');
  const point = result.runs.find((r) => r.id === 'point:pytorch');
  const row = panel.locator('#runs tr[data-id="point:pytorch"]');
  await row.waitFor();
  assert.match(await row.innerText(), /Not critical/, 'the table shows the verdict');
  assert.equal(point.verdict.kind, 'not-critical');
  await row.click();

  steps.at(file, 'spectrum and density');
  await panel.locator('#spectrum-section').evaluate((s) => s.scrollIntoView());
  await page.waitForTimeout(400);
  const spectrum = await canvasInk(panel, 'spectrum-canvas');
  const density = await canvasInk(panel, 'density-canvas');
  assert.ok(spectrum.painted > 2000 && spectrum.colors > 3, 'the spectrum is drawn');
  assert.ok(density.painted > 2000 && density.colors > 3, 'the density is drawn');
  await webview.screenshot({ path: shot('cnn-spectrum.png') });

  steps.at(file, 'plane and 3-D');
  await panel.locator('#landscape-section').evaluate((s) => s.scrollIntoView());
  await page.waitForTimeout(400);
  const plane = await canvasInk(panel, 'plane-canvas');
  assert.ok(plane.painted > 2000 && plane.colors > 3, 'the plane is drawn');
  await webview.screenshot({ path: shot('cnn-plane.png') });
  await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
  await panel.locator('#surface-canvas').waitFor();
  await page.waitForTimeout(1000);
  const surface = await canvasInk(panel, 'surface-canvas');
  assert.ok(surface.colors > 20, 'the 3-D surface is drawn');
  await webview.screenshot({ path: shot('cnn-3d.png') });
  console.log(
    `digits-cnn: ${point.verdict.kind} (‖∇L‖ = ${point.gradientNorm.toPrecision(3)}), spectrum ${spectrum.painted} px, density ${density.painted} px, plane ${plane.painted} px, 3-D ${surface.colors} colors`,
  );
  await context.close();
  server.stop();
  server = undefined;

  // 2. No setting: python3 from the PATH code-server (and so the extension host) runs with.
  steps.at('xor-module.loss.json', 'Analyze (python3 from the PATH)');
  const bin = mkdtempSync(join(tmpdir(), 'losslab-path-'));
  symlinkSync(PYTHON, join(bin, 'python3'));
  // HOME is an empty folder: the server takes its environment from a login shell, whose
  // profile (a Python version manager's, say) could put another python3 first.
  const home = mkdtempSync(join(tmpdir(), 'losslab-home-'));
  server = await startVsCodeServer({
    vsix: options.vsix,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: home },
  });
  const second = join(server.scratch, 'workspace');
  mkdirSync(second);
  settings(second, null);
  writeFileSync(
    join(second, 'model.py'),
    'import torch\n\ndef make_model():\n    return torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1))\n',
  );
  writeFileSync(
    join(second, 'xor-module.loss.json'),
    JSON.stringify(
      {
        data: { generator: 'xor' },
        model: { pytorch: { file: 'model.py', build: 'make_model' } },
        training: { runs: 2, epochs: 300, learningRate: 0.2 },
        analysis: { slices: [] },
      },
      null,
      2,
    ),
  );
  ({ context, page, panel, webview } = await openWorkbench(server, second));
  lastPage = page;
  await runCommand(page, 'Loss Landscape: Analyze');
  await waitForAnalysis(panel, 300000);
  const xor = JSON.parse(readFileSync(join(second, 'xor-module.result.json'), 'utf8'));
  assert.equal(xor.model.kind, 'pytorch');
  assert.match(xor.model.torch, /^\d+\.\d+/, 'torch, found through the PATH, described the module');
  assert.equal(xor.runs.length, 2);
  await webview.screenshot({ path: shot('path-interpreter.png') });
  console.log(`xor-module: torch ${xor.model.torch} from python3 on the PATH, 2 runs analyzed`);
  await context.close();
  console.log(
    `e2e pytorch (${options.vsix ? `installed from ${options.vsix}` : 'from source'}): the CNN from the palette, and the interpreter from the setting and from the PATH`,
  );
} catch (error) {
  failure = error;
  await lastPage?.screenshot({ path: shot('failure.png') }).catch(() => undefined);
} finally {
  server?.stop();
}
if (failure) {
  steps.report(failure);
  process.exit(1);
}
