// The palette's commands: Analyze, Analyze on Slurm…, Show Results, Cancel Analysis and New
// Example File…, and which file a command given no argument means.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { analyzeSpec, type AnalyzeServices } from './analyzeCommand';
import { isSpec } from './diagnostics';
import type { ResultsPanels } from './panel';
import type { SlurmJobs } from './slurmJobs';

/** Every analysis file in the workspace. */
export const SPEC_PATTERN = '**/*.loss.json';

export function registerCommands(
  context: vscode.ExtensionContext,
  services: AnalyzeServices,
  panels: ResultsPanels,
  slurm: SlurmJobs,
): vscode.Disposable[] {
  const { runner } = services;
  return [
    vscode.commands.registerCommand(
      'lossLandscape.analyzeOnSlurm',
      async (uri?: vscode.Uri, given?: { shards: number; partition?: string; time?: string }) => {
        const target = uri ?? (await pickSpec(panels));
        if (target) await slurm.submit(target, given);
      },
    ),
    vscode.commands.registerCommand('lossLandscape.cancelSlurm', () => slurm.cancel()),
    // Resolves to the run's outcome (its status, summary or message), for scripts and tests.
    vscode.commands.registerCommand('lossLandscape.analyze', async (uri?: vscode.Uri) => {
      const target = uri ?? (await pickSpec(panels));
      return target ? analyzeSpec(target, services) : undefined;
    }),
    vscode.commands.registerCommand('lossLandscape.showResults', async (uri?: vscode.Uri) => {
      const target = uri ?? (await pickSpec(panels));
      if (target) panels.show(target.fsPath);
    }),
    vscode.commands.registerCommand('lossLandscape.cancel', (uri?: vscode.Uri) => {
      const shown = panels.activeSpec();
      const target =
        uri ??
        (shown ? vscode.Uri.file(shown) : undefined) ??
        vscode.window.activeTextEditor?.document.uri;
      const run = target && runner.running(target.fsPath);
      if (run) run.cancel();
      else vscode.window.showInformationMessage('No analysis of this file is running.');
    }),
    vscode.commands.registerCommand('lossLandscape.newExample', () => newExample(context)),
  ];
}

/**
 * The file a command without an argument means: the active .loss.json editor, else the spec
 * of the active results panel, else the only spec in the workspace, else the user's pick.
 */
async function pickSpec(panels: ResultsPanels): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isSpec(active)) return active.uri;
  const shown = panels.activeSpec();
  if (shown) return vscode.Uri.file(shown);
  const files = await vscode.workspace.findFiles(SPEC_PATTERN, '**/node_modules/**', 200);
  if (files.length === 1) return files[0];
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      'No .loss.json file in this workspace. Create one with "Loss Landscape: New Example File…".',
    );
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which file to analyze?' },
  );
  return pick?.uri;
}

/** Copies one of the bundled examples into the workspace and opens it. */
async function newExample(context: vscode.ExtensionContext): Promise<void> {
  const folder = context.asAbsolutePath('examples');
  const names = readdirSync(folder).filter((name) => name.endsWith('.loss.json'));
  const pick = await vscode.window.showQuickPick(
    names.map((name) => {
      const example = JSON.parse(readFileSync(join(folder, name), 'utf8')) as {
        name?: string;
        description?: string;
      };
      // The question it answers beside the file, its title below.
      return { label: name, description: example.description ?? '', detail: example.name };
    }),
    { placeHolder: 'Which question? Each example answers one', matchOnDescription: true },
  );
  const workspace = vscode.workspace.workspaceFolders?.[0];
  if (!pick) return;
  if (!workspace) {
    void vscode.window.showErrorMessage(
      'Open a folder first: the example is written into the workspace.',
    );
    return;
  }
  let target = vscode.Uri.joinPath(workspace.uri, pick.label);
  for (let k = 2; existsSync(target.fsPath); k++)
    target = vscode.Uri.joinPath(
      workspace.uri,
      pick.label.replace('.loss.json', `-${k}.loss.json`),
    );
  await vscode.workspace.fs.writeFile(target, readFileSync(join(folder, pick.label)));
  // The files it reads (its CSV, its weights) are named after it: copy those not there yet.
  const stem = pick.label.replace(/\.loss\.json$/, '');
  for (const name of readdirSync(folder).filter(
    (n) => n.startsWith(`${stem}.`) && !n.endsWith('.loss.json'),
  )) {
    const companion = vscode.Uri.joinPath(workspace.uri, name);
    if (!existsSync(companion.fsPath))
      await vscode.workspace.fs.writeFile(companion, readFileSync(join(folder, name)));
  }
  await vscode.window.showTextDocument(target);
}
