// The VS Code extension's entry: wires the pieces together, each in its own module —
// diagnostics as the user types (diagnostics.ts), the CodeLens (codeLens.ts), the commands
// (commands.ts, analyzeCommand.ts, slurmJobs.ts), the engine in a child process
// (engineRunner.ts) and the results panels (panel.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { defaultResultPath } from '../engine/files';
import { AnalyzeLensProvider } from './codeLens';
import { registerCommands, SPEC_PATTERN } from './commands';
import { SpecDiagnostics } from './diagnostics';
import { EngineRunner } from './engineRunner';
import { PANEL_VIEW_TYPE, ResultsPanels } from './panel';
import { SlurmJobs } from './slurmJobs';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Loss Landscape');
  const diagnostics = new SpecDiagnostics();
  const runner = new EngineRunner(context.asAbsolutePath(join('dist', 'engine.js')));
  const lenses = new AnalyzeLensProvider(runner);
  const panels = new ResultsPanels(context.extensionUri, {
    analyze: (uri) => void vscode.commands.executeCommand('lossLandscape.analyze', uri),
    cancel: (uri) => void vscode.commands.executeCommand('lossLandscape.cancel', uri),
    openResult: openResultFile,
    showLog: () => output.show(),
  });
  const services = {
    runner,
    diagnostics,
    lenses,
    output,
    showPanel: (specPath: string) => panels.show(specPath, true),
  };
  const slurm = new SlurmJobs(context.asAbsolutePath(join('dist', 'cli.js')), services, (spec) =>
    panels.show(spec),
  );
  SlurmJobs.available();
  context.subscriptions.push(
    output,
    diagnostics,
    panels,
    slurm,
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panels),
    vscode.languages.registerCodeLensProvider({ pattern: SPEC_PATTERN }, lenses),
    // A saved spec (or a CSV it reads) may make a shown result stale, or current again.
    vscode.workspace.onDidSaveTextDocument(() => {
      panels.refreshStaleness();
      lenses.refresh();
    }),
    ...registerCommands(context, services, panels, slurm),
  );
}

export function deactivate(): void {
  // Child processes end with the extension host; nothing to release here.
}

function openResultFile(specUri: vscode.Uri): void {
  const path = defaultResultPath(specUri.fsPath);
  if (existsSync(path)) void vscode.window.showTextDocument(vscode.Uri.file(path));
  else void vscode.window.showInformationMessage('This file has no result yet: analyze it first.');
}
