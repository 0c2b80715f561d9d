// "▶ Analyze" (and "Show results" once there is one) at the top of every .loss.json file;
// "■ Cancel analysis" while it runs.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { defaultResultPath } from '../engine/files';
import type { EngineRunner } from './engineRunner';

export class AnalyzeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly runner: EngineRunner) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string) =>
      new vscode.CodeLens(top, { title, command, arguments: [document.uri] });
    if (this.runner.running(document.uri.fsPath))
      return [lens('■ Cancel analysis', 'lossLandscape.cancel')];
    const lenses = [lens('▶ Analyze', 'lossLandscape.analyze')];
    if (existsSync(defaultResultPath(document.uri.fsPath)))
      lenses.push(lens('Show results', 'lossLandscape.showResults'));
    return lenses;
  }
}
