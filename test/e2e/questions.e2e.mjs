// End to end, the examples that answer the seeds' questions, as a newcomer finds them: in an
// empty workspace of a real VS Code, "Loss Landscape: New Example File…" lists each example
// with its question beside it; pick one, analyze it, and the panel shows the answer. Checked
// against the result file (the curvature note on the landscape, the critical points chart,
// the loss curves), and photographed for the README: test-results/question-NAME.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, root, startVsCodeServer, workbenchUrl } from '../support/vscodeServer.mjs';
import { canvasInk, runCommand, stepLog, waitForAnalysis, writeSettings } from './helpers.mjs';

/**
 * Each example and the section of the panel that answers its question; the deep pair's plane
 * is colored by Li et al.'s |λmin/λmax|, as the paper draws it.
 */
const EXAMPLES = [
  ['logistic-mse', 'landscape-section'],
  ['logistic-bce', 'landscape-section'],
  ['saddles-dominate', 'critical-section'],
  ['getting-unstuck-gd', 'curves-section'],
  ['getting-unstuck-noise', 'curves-section'],
  ['xor-continuation', 'curves-section'],
  ['one-layer', 'landscape-section'],
  ['two-layers', 'landscape-section'],
  ['deep-narrow', 'landscape-section', 'ratio'],
  ['deep-residual', 'landscape-section', 'ratio'],
];
const CANVAS = {
  'landscape-section': 'plane-canvas',
  'critical-section': 'critical-canvas',
  'curves-section': 'curves-canvas',
};
const { values: options } = parseArgs({ options: { vsix: { type: 'string' } } });
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const shot = (name) => join(results, `${options.vsix ? 'vsix-' : ''}question-${name}`);

/**
 * The same file gives the same result on every machine: VS Code's engine runs on its host's
 * Node (code-server's here), the CLI on this one. Adam on 20 tanh layers is chaotic, so one
 * bit of difference (Math.pow differs between Node 20 and 24) gives other runs: the runs of
 * both must be equal bit for bit. Slices are left out of the CLI's run: they come after.
 */
function sameRunsOnThisNode(result, specPath, scratch) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  spec.analysis.slices = [];
  const copy = join(scratch, 'same-runs.loss.json');
  const out = join(scratch, 'same-runs.result.json');
  writeFileSync(copy, JSON.stringify(spec));
  execFileSync(process.execPath, [
    join(root, 'dist', 'cli.js'),
    'analyze',
    copy,
    '--out',
    out,
    '--quiet',
  ]);
  const cli = JSON.parse(readFileSync(out, 'utf8'));
  result.runs.forEach((run, i) => {
    assert.deepEqual(
      cli.runs[i].parameters,
      run.parameters,
      `${run.id}: the same θ in VS Code and on Node ${process.version}`,
    );
  });
  console.log(
    `deep-narrow: ${result.runs.length} runs equal bit for bit in VS Code and from the CLI on Node ${process.version}`,
  );
}

let server;
let lastPage = null;
let failure = null;
const steps = stepLog('e2e questions');
try {
  server = await startVsCodeServer({ vsix: options.vsix });
  const workspace = join(server.scratch, 'workspace');
  mkdirSync(workspace);
  writeSettings(workspace, 'Default Dark Modern');
  const context = await launchBrowser(server, { width: 1600, height: 1000 });
  const page = context.pages()[0] ?? (await context.newPage());
  lastPage = page;
  await page.goto(workbenchUrl(server, workspace));
  await page.locator('.explorer-folders-view').waitFor({ timeout: 60000 });
  const webview = page.locator('iframe.webview.ready');
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  for (const [name, section, colorBy] of EXAMPLES) {
    const file = `${name}.loss.json`;
    steps.at(file, 'New Example File…');
    const example = JSON.parse(readFileSync(join(root, 'examples', file), 'utf8'));
    await runCommand(page, 'Loss Landscape: New Example File…');
    // The quick pick lists the example with its question beside it (typing its name brings
    // it into view: the list shows only the rows that fit).
    const pick = page.locator('.quick-input-widget input.input[placeholder^="Which question"]');
    await pick.waitFor({ timeout: 30000 });
    await pick.fill(file);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
    await row.waitFor({ timeout: 30000 });
    assert.equal(
      (await row.locator('.label-description').innerText()).trim(),
      example.description,
      `${file}: its question is its description`,
    );
    // Clicked, not Enter: the other file of a pair names this one in its description.
    await row.click();
    await page.locator('.tab.active', { hasText: file }).waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    assert.ok(existsSync(join(workspace, file)), `${file} written into the workspace`);

    steps.at(file, 'Analyze');
    await runCommand(page, 'Loss Landscape: Analyze');
    // The deep pair's ratio maps take a dense Hessian of 823 parameters at 289 points each.
    await waitForAnalysis(panel, colorBy === 'ratio' ? 480000 : undefined);
    steps.at(file, `the panel's answer (${section})`);
    const result = JSON.parse(readFileSync(join(workspace, `${name}.result.json`), 'utf8'));

    if (name === 'deep-narrow') sameRunsOnThisNode(result, join(workspace, file), server.scratch);

    const curvature = result.slices[0]?.curvature;
    if (curvature) {
      // The note says what λmin shows, as the result has it.
      const note = await panel.locator('#curvature-note').innerText();
      assert.match(note, curvature.negative > 0 ? /λmin < 0 at/ : /λmin ≥ 0 at all/);
      console.log(`${file}: ${note}`);
    }
    if (colorBy === 'ratio') {
      // The note gives the ratio's range and median as the result has them.
      const { ratioRange } = curvature;
      assert.match(
        await panel.locator('#curvature-note').innerText(),
        new RegExp(`median ${Number(ratioRange.median.toPrecision(3))}`),
      );
      await panel.locator('#color-by').click();
      await panel.locator('#color-by vscode-option', { hasText: '|λmin/λmax|' }).click();
      await panel.locator('#plane-canvas[data-color-by="ratio"]').waitFor({ timeout: 10000 });
    }
    await panel.locator(`#${section}`).evaluate((s) => s.scrollIntoView());
    await page.waitForTimeout(400);
    const ink = await canvasInk(panel, CANVAS[section]);
    assert.ok(ink.painted > 2000 && ink.colors > 3, `${file}: ${CANVAS[section]} is drawn`);
    const verdicts = result.runs.map((r) => r.verdict.kind);
    const fitted = result.runs.filter((r) => r.loss < 1e-3).length;
    console.log(
      `${file}: ${verdicts.filter((v) => v === 'minimum').length} of ${verdicts.length} runs and points minima, ${fitted} with loss below 1e-3; ${result.criticalPoints.length} critical points; ${CANVAS[section]} ${ink.painted} pixels`,
    );
    steps.at(file, 'screenshot');
    await webview.screenshot({ path: shot(`${name}.png`) });
    await runCommand(page, 'View: Close All Editors');
  }
  await context.close();
  console.log(
    `e2e questions (${options.vsix ? `installed from ${options.vsix}` : 'from source'}): every example from New Example File, analyzed; screenshots in test-results/`,
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
