// End to end, as a user does it: open xor.loss.json in a real VS Code (code-server's server
// and headless Chromium), show the (empty) panel, run "Loss Landscape: Analyze" from the
// command palette, and check what the panel shows against the result file the engine wrote:
// one verdict badge per run and point, the same verdicts, canvases actually drawn; then
// switch to the light theme, pick a plane slice, and edit the file to see the result marked
// stale. Screenshots of each state go to test-results/ (kept by CI as artifacts).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, root, startVsCodeServer, workbenchUrl } from '../support/vscodeServer.mjs';
import { canvasInk, runCommand, stepLog, waitForAnalysis, writeSettings } from './helpers.mjs';

const { values: options } = parseArgs({ options: { vsix: { type: 'string' } } });
const EXAMPLE = process.env.E2E_EXAMPLE ?? 'xor.loss.json';
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
/** Screenshots of a run against the packaged extension get their own names. */
const shot = (name) => join(results, options.vsix ? `vsix-${name}` : name);

let server;
let lastPage = null;
let failure = null;
const steps = stepLog('e2e panel');
try {
  server = await startVsCodeServer({ vsix: options.vsix });
  const workspace = join(server.scratch, 'workspace');
  mkdirSync(workspace);
  copyFileSync(join(root, 'examples', EXAMPLE), join(workspace, EXAMPLE));
  writeSettings(workspace, 'Default Dark Modern');
  const context = await launchBrowser(server, { width: 1600, height: 1000 });
  const page = context.pages()[0] ?? (await context.newPage());
  lastPage = page;
  await page.goto(workbenchUrl(server, workspace));

  steps.at(EXAMPLE, 'open from the explorer');
  // Open the file from the explorer.
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: EXAMPLE })
    .click({ timeout: 60000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor();

  const webview = page.locator('iframe.webview.ready');
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  // Before any analysis the panel says so and offers to run one.
  steps.at(EXAMPLE, 'Show Results before any analysis');
  await runCommand(page, 'Loss Landscape: Show Results');
  await panel.locator('#empty:not([hidden])').waitFor({ timeout: 30000 });
  await webview.screenshot({ path: shot('panel-empty-dark.png') });

  steps.at(EXAMPLE, 'Analyze');
  await runCommand(page, 'Loss Landscape: Analyze');
  const started = Date.now();

  await panel.locator('body[data-status="running"]').waitFor({ timeout: 30000 });
  await page.waitForTimeout(1000);
  await webview.screenshot({ path: shot('panel-running-dark.png') });
  await waitForAnalysis(panel);
  console.log(`analysis shown in the panel after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  steps.at(EXAMPLE, 'the runs table against the result file');
  // What the panel shows is what the engine wrote.
  const resultPath = join(workspace, EXAMPLE.replace(/\.loss\.json$/, '.result.json'));
  const result = JSON.parse(readFileSync(resultPath, 'utf8'));
  const expected = [...result.runs, ...result.criticalPoints].map((item) => ({
    id: item.id,
    verdict: item.verdict.kind,
  }));
  const shown = await panel.locator('#runs tbody tr').evaluateAll((rows) =>
    rows.map((row) => ({
      id: row.dataset.id,
      verdict: row.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? null,
    })),
  );
  assert.deepEqual(shown, expected, 'the runs table shows each verdict of the result file');
  const twins = result.runs.filter((r) => r.equivalentTo && r.equivalentTo.id !== r.id).length;
  assert.equal(
    await panel.locator('[data-equivalent-to]').count(),
    twins,
    'one equivalence badge per run equivalent to another',
  );
  // The header says how long the engine took: its total, four significant digits.
  const facts = await panel.locator('#status .facts:not(.timings)').textContent();
  const total = Number(result.timings.totalSeconds.toPrecision(4));
  assert.ok(facts.endsWith(`computed in ${total} s`), `the header shows the total time: ${facts}`);
  // Beside it, where the time went: the training stage, as the result file records it.
  const times = await panel.locator('#status .facts.timings').textContent();
  const training = Number(result.timings.trainingSeconds.toPrecision(2));
  assert.ok(times.includes(`training ${training} s`), `the header shows the stage times: ${times}`);
  const tooltip = await panel.locator('[data-verdict]').first().getAttribute('title');
  assert.match(tooltip ?? '', /‖∇L‖ ≤/, 'a badge explains its verdict and tolerance');

  // Every chart drew something: more than a blank canvas, more than one color.
  const canvases = ['curves-canvas', 'spectrum-canvas', 'critical-canvas'];
  const firstSlice = result.slices[0];
  if (firstSlice) canvases.push(firstSlice.type === 'plane' ? 'plane-canvas' : 'line-canvas');
  for (const id of canvases) {
    const ink = await canvasInk(panel, id);
    console.log(`${id}: ${ink.painted} painted pixels, ${ink.colors} colors`);
    assert.ok(ink.painted > 2000 && ink.colors > 3, `${id} is drawn`);
  }

  await webview.screenshot({ path: shot('panel-dark.png') });
  await page.screenshot({ path: shot('workbench-dark.png') });

  steps.at(EXAMPLE, 'the light theme');
  // Switch the theme the way a user's settings do; the panel re-reads its colors.
  writeSettings(workspace, 'Default Light Modern');
  await page.locator('.monaco-workbench.vs').waitFor({ timeout: 30000 });
  await panel.locator('body.vscode-light').waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  await webview.screenshot({ path: shot('panel-light.png') });
  for (const id of canvases) {
    const ink = await canvasInk(panel, id);
    assert.ok(ink.painted > 2000 && ink.colors > 3, `${id} is drawn in the light theme`);
  }

  steps.at(EXAMPLE, 'a plane slice chosen');
  // Choose a plane slice in the landscape's chooser, as a user does, and check it is drawn.
  const planeIndex = result.slices.findIndex((s) => s.type === 'plane');
  if (planeIndex >= 0) {
    await panel.locator('#landscape-section vscode-dropdown').click();
    await panel.locator('#landscape-section vscode-option').nth(planeIndex).click();
    await panel.locator('#plane-wrap:not([hidden])').waitFor();
    await page.waitForTimeout(300);
    const ink = await canvasInk(panel, 'plane-canvas');
    console.log(`plane-canvas: ${ink.painted} painted pixels, ${ink.colors} colors`);
    assert.ok(ink.painted > 20000 && ink.colors > 20, 'the plane heatmap is drawn');
  }

  // Hovering the plane names the loss under the mouse.
  if (planeIndex >= 0) {
    const box = await panel.locator('#plane-canvas').boundingBox();
    await panel
      .locator('#plane-canvas')
      .hover({ position: { x: box.width / 2, y: box.height / 2 } });
    assert.match(await panel.locator('#hover').innerText(), /α = .*β = .*\nloss = /s);
  }

  steps.at(EXAMPLE, 'selecting a run');
  // Selecting a run in the table selects it everywhere (here: the spectrum shown).
  const other = result.runs[result.runs.length - 1].id;
  await panel.locator(`#runs tr[data-id="${other}"]`).click();
  await panel.locator(`#runs tr.selected[data-id="${other}"]`).waitFor();
  assert.equal(await panel.locator('#spectrum-section h2').innerText(), `Spectrum of ${other}`);

  // The sections below the fold, one picture each (a webview cannot be captured whole).
  for (const name of ['landscape', 'spectrum', 'critical']) {
    await panel.locator(`#${name}-section`).evaluate((section) => section.scrollIntoView());
    await page.waitForTimeout(200);
    await webview.screenshot({ path: shot(`panel-light-${name}.png`) });
  }
  steps.at(EXAMPLE, 'the stale banner after an edit');
  // Editing and saving the spec marks the result stale.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' ');
  await page.keyboard.press('Control+S');
  await panel.locator('#banner.warning:not([hidden])').waitFor({ timeout: 30000 });
  assert.match(await panel.locator('#banner').innerText(), /changed since this result/);
  await panel.locator('#status').evaluate((status) => status.scrollIntoView());
  await webview.screenshot({ path: shot('panel-stale-light.png') });

  steps.at(EXAMPLE, 'the high-contrast theme');
  // High contrast: the panel must stay readable; keep a picture to look at.
  writeSettings(workspace, 'Default High Contrast');
  await panel.locator('body.vscode-high-contrast').waitFor({ timeout: 30000 });
  await page.waitForTimeout(500);
  await panel.locator('#runs-section').evaluate((section) => section.scrollIntoView());
  await webview.screenshot({ path: shot('panel-high-contrast.png') });

  steps.at(EXAMPLE, 'the panel after a window reload');
  // After a window reload the serializer brings the panel back with its result, and the
  // selection the webview saved with setState.
  // Wait for the new page: the old panel still answers the locators until it is gone.
  const reloaded = page.waitForEvent('load', { timeout: 120000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await panel.locator('body[data-status="done"]').waitFor({ timeout: 60000 });
  await panel.locator(`#runs tr.selected[data-id="${other}"]`).waitFor({ timeout: 10000 });
  assert.equal(await panel.locator('#runs [data-verdict]').count(), expected.length);

  await context.close();
  console.log(
    `e2e (${options.vsix ? `installed from ${options.vsix}` : 'from source'}): the panel shows the verdicts of the result file; screenshots in test-results/`,
  );
} catch (error) {
  failure = error;
  // What the workbench looked like when it failed, for the CI artifacts.
  await lastPage?.screenshot({ path: shot('failure.png') }).catch(() => undefined);
} finally {
  server?.stop();
}
if (failure) {
  steps.report(failure);
  process.exit(1);
}
