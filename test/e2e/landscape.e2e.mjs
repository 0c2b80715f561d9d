// End to end, the landscape every file gets: open each example that declares no slices (the
// loss along w of the two-minima seed, a parabola, a linear regression's own plane, the
// permuted twins' plane through their saddle) in a real VS Code, analyze it, and check what
// the panel draws against the result file: the automatic slice's note and snippet, the P = 1
// curve's minima and maximum at w = ±1 and 0, the play control's dot at the path's sample N
// with the loss-curve cursor at its epoch, and the 3-D surface opened, rotated and
// photographed in the dark, light and high-contrast themes. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser, root, startVsCodeServer, workbenchUrl } from '../support/vscodeServer.mjs';
import {
  canvasEdgeInk,
  canvasInk,
  runCommand,
  stepLog,
  waitForAnalysis,
  writeSettings,
} from './helpers.mjs';

const FILES = [
  'two-minima.loss.json',
  'parabola.loss.json',
  'linear-regression.loss.json',
  'permuted-twins.loss.json',
  'pytorch-moons.loss.json',
];
/** Files an example reads besides itself. */
const COMPANIONS = ['pytorch-moons.csv', 'pytorch-moons.safetensors'];
const { values: options } = parseArgs({ options: { vsix: { type: 'string' } } });
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
/** Screenshots of a run against the packaged extension get their own names. */
const shot = (name) => join(results, `${options.vsix ? 'vsix-' : ''}landscape-${name}`);
const STEPS = 5;

/** Opens a file the workspace shows (alone in the editor) and analyzes it. */
async function openAndAnalyze(page, panel, file) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file });
  await row.click({ timeout: 60000 });
  await runCommand(page, 'View: Close All Editors');
  await row.click();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  await runCommand(page, 'Loss Landscape: Analyze');
  await waitForAnalysis(panel);
}

/**
 * Li et al.'s map on the sombrero L = (w₁² + w₂² − 1)², a file written here: colored by
 * |λmin/λmax| the top of the hat (ratio 1, the largest) turns from the loss's dark low end to
 * the map's bright high end, the readout there says the ratio is 1, and the 3-D view colors
 * the same surface by it.
 */
async function nonConvexityMap(page, webview, panel, workspace) {
  const file = 'sombrero.loss.json';
  steps.at(file, 'the non-convexity map');
  writeFileSync(
    join(workspace, file),
    JSON.stringify({
      data: { inputs: [[1]], targets: [[1]] },
      model: { expression: 'w1^2 + w2^2', parameters: ['w1', 'w2'] },
      points: [
        { name: 'top', values: { w1: 0, w2: 0 } },
        { name: 'rim', values: { w1: 1, w2: 0 } },
      ],
      training: { runs: 0 },
      analysis: {
        slices: [
          {
            type: 'plane',
            directions: 'parameters',
            range: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
            resolution: 41,
            curvature: 'ratio',
          },
        ],
      },
    }),
  );
  await openAndAnalyze(page, panel, file);
  const canvas = panel.locator('#plane-canvas');
  await panel.locator('#landscape-section').evaluate((s) => s.scrollIntoView());
  const marker = (id) =>
    canvas.getAttribute('data-markers').then((text) => JSON.parse(text).find((m) => m.id === id));
  // Four pixels 14 px from a marker (which covers its point itself).
  const around = ({ px, py }) =>
    canvas.evaluate(
      (c, [x, y]) => {
        const scale = c.width / c.clientWidth;
        const at = ([dx, dy]) => [
          ...c
            .getContext('2d')
            .getImageData(Math.round((x + dx) * scale), Math.round((y + dy) * scale), 1, 1).data,
        ];
        return [
          [14, 0],
          [-14, 0],
          [0, 14],
          [0, -14],
        ].map(at);
      },
      [px, py],
    );
  assert.equal(await canvas.getAttribute('data-color-by'), 'loss');
  await panel.locator('#color-by').click();
  await panel.locator('#color-by vscode-option', { hasText: '|λmin/λmax|' }).click();
  await panel.locator('#plane-canvas[data-color-by="ratio"]').waitFor({ timeout: 10000 });
  // The hatching of λmin < 0 off, so that only the map's colors are read.
  await panel.locator('#landscape-section vscode-checkbox', { hasText: 'λmin < 0' }).click();
  await page.waitForTimeout(500);
  const [atTop, atRim] = [
    await around(await marker('point:top')),
    await around(await marker('point:rim')),
  ];
  console.log(
    `${file}: ratio colors around the top ${JSON.stringify(atTop)}, around the rim ${JSON.stringify(atRim)}`,
  );
  // Viridis: its top bright yellow (ratio 1 and above, at the top of the hat), its low end dark
  // (the rim r = 1, where λmin = 0: ratio 0 to 0.24 within 14 px). A label may cover one pixel.
  const count = (pixels, test) => pixels.filter(test).length;
  assert.ok(count(atTop, ([r, g, b]) => r > 180 && g > 180 && b < 120) >= 3, 'ratio 1 at the top');
  assert.ok(count(atRim, ([, g]) => g < 100) >= 3, 'ratio near 0 at the rim');
  const top = () => marker('point:top');
  const { px, py } = await top();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + px, box.y + py);
  await panel.locator('#hover:not([hidden])').waitFor({ timeout: 5000 });
  assert.match(await panel.locator('#hover').innerText(), /λmin = -4, \|λmin\/λmax\| = 1/);
  await webview.screenshot({ path: shot('sombrero-ratio.png') });
  await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
  await panel.locator('#surface-canvas').waitFor({ timeout: 60000 });
  await page.waitForTimeout(1000);
  const drawn = await canvasInk(panel, 'surface-canvas');
  assert.ok(
    drawn.painted > 10000 && drawn.colors > 10,
    `the 3-D view is drawn: ${JSON.stringify(drawn)}`,
  );
  await webview.screenshot({ path: shot('sombrero-ratio-3d.png') });
  await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
  await panel.locator('#landscape-section vscode-checkbox', { hasText: 'λmin < 0' }).click();
}

/** What canvas `id` says it shows once the σ slider's label reads σ: its smoothing's points. */
async function smoothingShown(page, panel, id, sigma) {
  await panel.locator('#sigma-label', { hasText: `σ = ${sigma}:` }).waitFor({ timeout: 10000 });
  const canvas = panel.locator(`#${id}`);
  for (let tries = 0; tries < 50; tries++) {
    const shown = JSON.parse((await canvas.getAttribute('data-smoothed')) ?? 'null');
    if (shown?.sigma === sigma) return shown;
    await page.waitForTimeout(100);
  }
  throw new Error(`${id} did not redraw for σ = ${sigma}`);
}

/**
 * The homotopy on the seed's (1 − w²)² (examples/smoothed-minima.loss.json): moving the σ
 * slider redraws L_σ with its critical points, two minima at ±√(1 − 3σ²) at σ = 0.5 and one
 * at 0 past σ = 1/√3, where they have merged.
 */
async function smoothedMinima(page, webview, panel, workspace) {
  const file = 'smoothed-minima.loss.json';
  steps.at(file, 'the σ slider');
  writeFileSync(join(workspace, file), readFileSync(join(root, 'examples', file), 'utf8'));
  await openAndAnalyze(page, panel, file);
  await panel.locator('#landscape-section').evaluate((s) => s.scrollIntoView());
  const canvas = panel.locator('#line-canvas');
  const smoothed = (sigma) => smoothingShown(page, panel, 'line-canvas', sigma);
  assert.equal(await canvas.getAttribute('data-smoothed'), 'null', 'the plain loss first');
  // The bifurcation diagram under it: the minima's two branches and the maximum against σ.
  const diagram = await canvasInk(panel, 'bifurcation-canvas');
  assert.ok(diagram.painted > 2000 && diagram.colors > 3, `the bifurcation diagram is drawn`);
  const slider = panel.locator('#sigma-slider');
  await slider.fill('3');
  const half = await smoothed(0.5);
  const minima = half.points.filter((p) => p.kind === 'minimum');
  assert.deepEqual(
    minima.map((p) => Math.round(p.t * 1e9) / 1e9),
    [-0.5, 0.5],
    'σ = 0.5: minima at ±√(1 − 3σ²) = ±0.5',
  );
  assert.ok(minima[1].px - minima[0].px > 50, 'drawn apart');
  await webview.screenshot({ path: shot('smoothed-minima-0.5.png') });
  await slider.fill('5');
  const merged = await smoothed(0.6);
  assert.deepEqual(
    merged.points.map((p) => [p.kind, Math.round(p.t * 1e9) / 1e9 + 0]), // + 0: −0 is 0
    [['minimum', 0]],
    'σ = 0.6 > 1/√3: one minimum, at 0',
  );
  await webview.screenshot({ path: shot('smoothed-minima-0.6.png') });
  console.log(
    `${file}: σ = 0.5 minima at ${minima.map((p) => p.t.toFixed(6)).join(', ')} (px ${minima.map((p) => Math.round(p.px)).join(', ')}); σ = 0.6 one minimum at ${merged.points[0].t.toExponential(1)}`,
  );
  await slider.fill('0');
}

/**
 * The homotopy on a valley (examples/smoothed-valley.loss.json): (1 − w₁w₂)² on the plane of
 * its two weights. At σ = 0.6 L_σ has minima at ±(0.8, 0.8) and a saddle at 0, drawn as
 * markers on the heatmap; at σ = 1.2 one minimum at 0. The 3-D view follows the slider.
 */
async function smoothedValley(page, webview, panel, workspace) {
  const file = 'smoothed-valley.loss.json';
  steps.at(file, 'the σ slider on a plane and in 3-D');
  writeFileSync(join(workspace, file), readFileSync(join(root, 'examples', file), 'utf8'));
  await openAndAnalyze(page, panel, file);
  await panel.locator('#landscape-section').evaluate((s) => s.scrollIntoView());
  const shownOn = (id, sigma) => smoothingShown(page, panel, id, sigma);
  const canvas = panel.locator('#plane-canvas');
  assert.equal(await canvas.getAttribute('data-smoothed'), 'null', 'the plain loss first');
  const slider = panel.locator('#sigma-slider');
  await slider.fill('2');
  const split = await shownOn('plane-canvas', 0.6);
  const rounded = (v) => Math.round(v * 1e9) / 1e9 + 0; // + 0: −0 is 0
  assert.deepEqual(
    split.points.map((p) => [p.kind, rounded(p.x), rounded(p.y)]),
    [
      ['minimum', -0.8, -0.8],
      ['saddle', 0, 0],
      ['minimum', 0.8, 0.8],
    ],
    'σ = 0.6: minima at ±√(1 − σ²) = ±0.8 on the diagonal, a saddle at 0',
  );
  const markers = JSON.parse(await canvas.getAttribute('data-markers'));
  const drawnAt = (id) => markers.find((m) => m.id === id);
  const [low, high] = [drawnAt('L_σ 1'), drawnAt('L_σ 3')];
  assert.ok(
    high.px - low.px > 50 && low.py - high.py > 50,
    'the minima drawn apart, up the diagonal',
  );
  // Under the plane, the bifurcation diagram: the minima's branches ±√(1 − σ²) and the saddle.
  const diagram = await canvasInk(panel, 'bifurcation-canvas');
  assert.ok(diagram.painted > 2000 && diagram.colors > 3, 'the bifurcation diagram is drawn');
  await webview.screenshot({ path: shot('smoothed-valley-0.6.png') });
  await slider.fill('4');
  const merged = await shownOn('plane-canvas', 1.2);
  assert.deepEqual(
    merged.points.map((p) => [p.kind, rounded(p.x), rounded(p.y)]),
    [['minimum', 0, 0]],
    'σ = 1.2 > 1: one minimum, at 0',
  );
  const after = JSON.parse(await canvas.getAttribute('data-markers'));
  assert.deepEqual(
    after.filter((m) => m.id.startsWith('L_σ')).map((m) => m.id),
    ['L_σ 1'],
  );
  await webview.screenshot({ path: shot('smoothed-valley-1.2.png') });
  // The 3-D view draws the same L_σ and follows the slider.
  await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
  await panel.locator('#surface-canvas').waitFor({ timeout: 60000 });
  await shownOn('surface-canvas', 1.2);
  await slider.fill('2');
  const inThreeD = await shownOn('surface-canvas', 0.6);
  assert.equal(inThreeD.points.length, 3);
  await page.waitForTimeout(1000);
  const drawn = await canvasInk(panel, 'surface-canvas');
  assert.ok(drawn.painted > 10000 && drawn.colors > 10, `L_σ in 3-D: ${JSON.stringify(drawn)}`);
  await webview.screenshot({ path: shot('smoothed-valley-3d.png') });
  console.log(
    `${file}: σ = 0.6 minima at (${split.points[0].x.toFixed(6)}, ${split.points[0].y.toFixed(6)}) and (${split.points[2].x.toFixed(6)}, ${split.points[2].y.toFixed(6)}), saddle at 0, drawn ${Math.round(high.px - low.px)} px apart; σ = 1.2 one minimum at 0; the 3-D view followed`,
  );
  await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
  await slider.fill('0');
}

let server;
let lastPage = null;
let failure = null;
const steps = stepLog('e2e landscape');
try {
  server = await startVsCodeServer({ vsix: options.vsix });
  const workspace = join(server.scratch, 'workspace');
  mkdirSync(workspace);
  for (const file of [...FILES, ...COMPANIONS])
    copyFileSync(join(root, 'examples', file), join(workspace, file));
  writeSettings(workspace, 'Default Dark Modern');
  const context = await launchBrowser(server, { width: 1600, height: 1000 });
  const page = context.pages()[0] ?? (await context.newPage());
  lastPage = page;
  await page.goto(workbenchUrl(server, workspace));
  const webview = page.locator('iframe.webview.ready');
  const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  for (const file of FILES) {
    const name = file.replace(/\.loss\.json$/, '');
    // One panel at a time: close the last file's (the explorer click gives the focus F1 needs).
    steps.at(file, 'open from the explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file });
    await row.click({ timeout: 60000 });
    await runCommand(page, 'View: Close All Editors');
    await row.click();
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    steps.at(file, 'Analyze');
    await runCommand(page, 'Loss Landscape: Analyze');
    await waitForAnalysis(panel);
    steps.at(file, 'the automatic landscape');
    const result = JSON.parse(readFileSync(join(workspace, `${name}.result.json`), 'utf8'));
    const [slice] = result.slices;
    assert.ok(slice?.automatic, `${file}: a landscape chosen automatically`);

    // The note says why, and the snippet is the entry that pins it.
    await panel.locator('#automatic-note:not([hidden])').waitFor();
    assert.equal(
      await panel.locator('#automatic-snippet').innerText(),
      `"slices": [${JSON.stringify(slice.automatic.spec)}]`,
    );
    const canvasId = slice.type === 'plane' ? 'plane-canvas' : 'line-canvas';
    await panel.locator('#landscape-section').evaluate((s) => s.scrollIntoView());
    await page.waitForTimeout(300);
    const ink = await canvasInk(panel, canvasId);
    console.log(
      `${file}: ${slice.type} slice, ${ink.painted} painted pixels, ${ink.colors} colors`,
    );
    assert.ok(ink.painted > 2000 && ink.colors > 3, `${file}: the landscape is drawn`);
    await webview.screenshot({ path: shot(`${name}-dark.png`) });

    if (file === 'two-minima.loss.json') {
      steps.at(file, 'the markers of the minima and the maximum');
      // L(w) = (1 − w²)²: minima at w = ±1, the maximum at w = 0, drawn there.
      const markers = JSON.parse(await panel.locator('#line-canvas').getAttribute('data-markers'));
      const at = (id) => markers.find((m) => m.id === id);
      assert.deepEqual(
        ['point:left', 'point:top', 'point:right'].map((id) => [at(id).x, at(id).verdict]),
        [
          [-1, 'minimum'],
          [0, 'maximum'],
          [1, 'minimum'],
        ],
      );
      // On the canvas: left of the maximum by as much as right of it (the x axis is linear),
      // and the maximum drawn above both minima.
      const [left, top, right] = ['point:left', 'point:top', 'point:right'].map(at);
      assert.ok(left.px < top.px && top.px < right.px);
      const pixelsPerUnit = (right.px - left.px) / 2;
      assert.ok(Math.abs(top.px - (left.px + pixelsPerUnit)) < 1, 'w = 0 midway between ±1');
      assert.ok(top.py < left.py && Math.abs(left.py - right.py) < 1, 'L(0) = 1 above L(±1) = 0');
    }

    if (file === 'two-minima.loss.json' || file === 'linear-regression.loss.json') {
      steps.at(file, 'the play control');
      // The play control: N steps put each dot on its path's sample N, and the loss-curve
      // cursor at that sample's epoch.
      const longest = slice.paths.reduce((a, b) => (b.epoch.length > a.epoch.length ? b : a));
      for (let k = 0; k < STEPS; k++) await panel.locator('#step-button').click();
      await panel.locator('#play-label', { hasText: `sample ${STEPS - 1}` }).waitFor();
      await page.waitForTimeout(200);
      const dots = JSON.parse(await panel.locator(`#${canvasId}`).getAttribute('data-dots'));
      const dot = dots.find((d) => d.id === longest.id);
      const sample = STEPS - 1;
      assert.equal(dot.sample, sample);
      assert.equal(dot.x, longest.x[sample]);
      assert.equal(dot.y, slice.type === 'plane' ? longest.y[sample] : longest.loss[sample]);
      const cursor = await panel.locator('#curves-canvas').getAttribute('data-cursor-epoch');
      assert.equal(Number(cursor), longest.epoch[sample], 'the loss-curve cursor is at its epoch');
      console.log(
        `${file}: after ${STEPS} steps the dot of ${longest.id} is at sample ${sample}, epoch ${cursor}`,
      );
      await webview.screenshot({ path: shot(`${name}-playing-dark.png`) });
    }

    if (file === 'pytorch-moons.loss.json') {
      steps.at(file, 'the eigenvalue density');
      // The PyTorch network's point, read from its safetensors, and its eigenvalue density
      // beside the exact spectrum broadened alike.
      await panel.locator('#runs tr[data-id="point:pytorch"]').click();
      await panel.locator('#spectrum-section').evaluate((s) => s.scrollIntoView());
      await panel.locator('#density-canvas').waitFor();
      await page.waitForTimeout(300);
      const drawn = await canvasInk(panel, 'density-canvas');
      const point = result.runs.find((r) => r.id === 'point:pytorch');
      console.log(
        `density of point:pytorch: ${drawn.painted} pixels, ${drawn.colors} colors, L1 distance to the exact ${point.hessian.density.exact.distance.toFixed(3)}`,
      );
      assert.ok(drawn.painted > 2000 && drawn.colors > 3, 'the density is drawn');
      await webview.screenshot({ path: shot('pytorch-density-dark.png') });
    }

    if (file === 'permuted-twins.loss.json') {
      steps.at(file, 'the 3-D view in a narrow and a wide panel');
      // The 33-parameter twins plane in 3-D fits the panel at any width: nothing of the
      // surface, its frame or its labels reaches the canvas's edge.
      await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
      const surface = panel.locator('#surface-canvas');
      await surface.waitFor();
      for (const [label, wanted] of [
        ['narrow', 300],
        ['wide', 1200],
      ]) {
        // The panel shares the editor area with the file: about half of what the explorer
        // leaves. Size the window until the panel is as wide as wanted.
        let viewport = 2 * wanted + 400;
        for (let attempt = 0; attempt < 3; attempt++) {
          await page.setViewportSize({ width: viewport, height: 1000 });
          await page.waitForTimeout(800);
          const { width } = await surface.boundingBox();
          if (Math.abs(width - wanted) <= 40) break;
          viewport += 2 * (wanted - width);
        }
        await panel.locator('#surface-canvas').evaluate((c) => c.scrollIntoView());
        await page.waitForTimeout(500);
        const box = await surface.boundingBox();
        const edges = await canvasEdgeInk(panel, 'surface-canvas');
        const drawn = await canvasInk(panel, 'surface-canvas');
        console.log(
          `3-D ${label}: ${Math.round(box.width)}×${Math.round(box.height)} px, camera at ${await surface.getAttribute('data-distance')}, ${(100 * edges.inked).toFixed(2)}% of the edge inked, ${drawn.colors} colors`,
        );
        assert.ok(Math.abs(box.width - wanted) <= 60, `the panel is about ${wanted} px wide`);
        assert.ok(drawn.colors > 20, `the surface is drawn (${label})`);
        assert.ok(edges.inked < 0.01, `nothing reaches the canvas's edge (${label})`);
        await webview.screenshot({ path: shot(`permuted-twins-3d-${label}.png`) });
      }
      await page.setViewportSize({ width: 1600, height: 1000 });
      await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
      await panel.locator('#plane-wrap:not([hidden])').waitFor();
    }

    if (file === 'linear-regression.loss.json') {
      steps.at(file, 'Export run-0 weights');
      // A run's weights out as a PyTorch state_dict: the button, then the save dialog's default.
      await panel
        .locator('#runs-section vscode-button', { hasText: 'Export run-0 weights' })
        .click();
      const target = join(workspace, 'linear-regression-run-0.safetensors');
      await page.locator('.quick-input-widget input.input').waitFor({ timeout: 30000 });
      await page.keyboard.press('Enter');
      for (let k = 0; k < 100 && !existsSync(target); k++) await page.waitForTimeout(100);
      const bytes = readFileSync(target);
      const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
      assert.deepEqual(header['0.weight'].shape, [1, 1]);
      assert.equal(
        bytes.readDoubleLE(
          8 + Number(bytes.readBigUInt64LE(0)) + header['0.weight'].data_offsets[0],
        ),
        result.runs[0].parameters[0],
        "the exported weight is run-0's, bit for bit",
      );
      console.log(`exported run-0 from the panel: ${Object.keys(header).join(', ')}`);

      steps.at(file, 'the 3-D view');
      // The 3-D view: opened, rotated by dragging, in three themes.
      await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
      const surface = panel.locator('#surface-canvas');
      await surface.waitFor();
      await page.waitForTimeout(500);
      const themes = [
        ['dark', 'Default Dark Modern', 'vscode-dark'],
        ['light', 'Default Light Modern', 'vscode-light'],
        ['high-contrast', 'Default High Contrast', 'vscode-high-contrast'],
      ];
      for (const [label, theme, bodyClass] of themes) {
        writeSettings(workspace, theme);
        await panel.locator(`body.${bodyClass}`).waitFor({ timeout: 30000 });
        await page.waitForTimeout(600);
        const before = await surface.getAttribute('data-azimuth');
        const box = await surface.boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 + 70, box.y + box.height / 2, {
          steps: 8,
        });
        await page.mouse.up();
        // Off the surface, so the picture has no hover readout in it.
        await page.mouse.move(box.x - 20, box.y - 20);
        await page.waitForTimeout(300);
        const after = await surface.getAttribute('data-azimuth');
        assert.notEqual(after, before, `dragging rotates the surface (${label})`);
        const drawn = await canvasInk(panel, 'surface-canvas');
        console.log(
          `3-D ${label}: azimuth ${before} → ${after}, ${drawn.painted} pixels, ${drawn.colors} colors`,
        );
        assert.ok(drawn.colors > 20, `the surface is drawn (${label})`);
        await webview.screenshot({ path: shot(`surface-${label}.png`) });
        // The landscape section alone, the surface whole in it: the README's 3-D picture.
        if (label === 'dark')
          await panel
            .locator('#landscape-section')
            .screenshot({ path: shot('surface-section.png') });
      }
      // Hovering the surface reads out the grid sample under the pointer.
      const middle = await surface.boundingBox();
      await page.mouse.move(middle.x + middle.width / 2, middle.y + middle.height / 2);
      await panel.locator('#surface-hover:not([hidden])').waitFor({ timeout: 5000 });
      assert.match(
        await panel.locator('#surface-hover').innerText(),
        /layer1\.bias\[0\] = .*\nloss = /s,
      );
      const dots = JSON.parse(await surface.getAttribute('data-dots'));
      assert.equal(dots.length, slice.paths.length, 'a dot on every path in 3-D too');
      writeSettings(workspace, 'Default Dark Modern');
      await panel.locator('body.vscode-dark').waitFor({ timeout: 30000 });
      await panel.locator('#landscape-section vscode-checkbox', { hasText: '3-D' }).click();
      await panel.locator('#plane-wrap:not([hidden])').waitFor();
    }
  }

  await nonConvexityMap(page, webview, panel, workspace);
  await smoothedMinima(page, webview, panel, workspace);
  await smoothedValley(page, webview, panel, workspace);
  await context.close();
  console.log(
    `e2e landscape (${options.vsix ? `installed from ${options.vsix}` : 'from source'}): every file without slices shows one; screenshots in test-results/`,
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
