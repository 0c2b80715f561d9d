// What the end-to-end tests share: the workspace's settings (theme), reading what a canvas
// drew, and running a command from the palette.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeSettings(workspace, theme) {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'workbench.colorTheme': theme,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
      },
      null,
      2,
    ),
  );
}

/** Counts the canvas's pixels that are painted (not transparent) and its distinct colors. */
export async function canvasInk(frame, id) {
  return frame.locator(`#${id}`).evaluate((canvas) => {
    const { width, height } = canvas;
    if (width === 0 || height === 0) return { painted: 0, colors: 0 };
    // Copied onto a 2-D canvas first, so WebGL canvases are read the same way.
    const copy = canvas.ownerDocument.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const context = copy.getContext('2d');
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, width, height).data;
    let painted = 0;
    const colors = new Set();
    for (let k = 0; k < data.length; k += 4)
      if (data[k + 3] > 0) {
        painted++;
        if (colors.size < 64) colors.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
      }
    return { painted, colors: colors.size };
  });
}

/**
 * How much of a canvas's edge is drawn on: the share of the pixels in a `strip`-pixel border
 * that differ from the border's most common color (the background). A picture cut off by the
 * canvas's edge has its colors there.
 */
export async function canvasEdgeInk(frame, id, strip = 3) {
  return frame.locator(`#${id}`).evaluate((canvas, strip) => {
    const { width, height } = canvas;
    const copy = canvas.ownerDocument.createElement('canvas');
    copy.width = width;
    copy.height = height;
    const context = copy.getContext('2d');
    context.drawImage(canvas, 0, 0);
    const data = context.getImageData(0, 0, width, height).data;
    const border = [];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (x < strip || y < strip || x >= width - strip || y >= height - strip) {
          const k = 4 * (y * width + x);
          border.push((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
        }
    const counts = new Map();
    for (const color of border) counts.set(color, (counts.get(color) ?? 0) + 1);
    const background = Math.max(...counts.values());
    return { width, height, inked: 1 - background / border.length };
  }, strip);
}

/**
 * Runs a command from the palette. Commands of the remote extension host can register after
 * the workbench shows, and an open quick pick does not refresh, so retry until it appears.
 */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input.input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('F1');
    await input.fill(`>${title}`);
    try {
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: title })
        .first()
        .waitFor({ timeout: 2000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt > 30) throw error;
    }
  }
  await page.keyboard.press('Enter');
}

/**
 * Where an end-to-end script is, its file and its step, so that the log says where a failure
 * happened, not only the picture: `steps.at(file, 'analyze')` before each step.
 */
export function stepLog(script) {
  let where = 'starting VS Code';
  return {
    at(file, step) {
      where = file ? `${file}: ${step}` : step;
    },
    /** Logs the failure with the file and step it happened at. */
    report(error) {
      console.error(`${script} FAILED at ${where}`);
      console.error(error);
    },
  };
}

/**
 * Waits until the panel's analysis has ended. One that failed or was cancelled fails here at
 * once, with what the panel says, instead of when the wait for "done" times out.
 */
export async function waitForAnalysis(panel, timeout = 180000) {
  const ended = ['done', 'failed', 'cancelled'].map((s) => `body[data-status="${s}"]`).join(', ');
  await panel.locator(ended).waitFor({ timeout });
  const status = await panel.locator('body').getAttribute('data-status');
  if (status === 'done') return;
  const banner = await panel
    .locator('#banner')
    .innerText()
    .catch(() => '');
  throw new Error(`the panel shows the analysis ${status}: ${banner.trim()}`);
}
