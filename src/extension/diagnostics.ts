// Problems of a .loss.json file as the user types: the engine's own validation (schema and
// the checks a schema cannot express), on open, shortly after each edit, and cleared on close.
import * as vscode from 'vscode';
import { engineSupport } from './engineSupport';
import { formatJsonPath, type Problem } from '../protocol/problems';
import { configuredExactLimit } from './settings';

const VALIDATE_DELAY_MS = 300;

export function isSpec(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.fileName.endsWith('.loss.json');
}

export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('loss-landscape');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((document) => this.validate(document)),
      vscode.workspace.onDidChangeTextDocument(({ document }) => this.validateSoon(document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)),
    ];
    vscode.workspace.textDocuments.forEach((document) => this.validate(document));
  }

  /** Validates now, shows the problems and returns them (empty for other files). */
  validate(document: vscode.TextDocument): Problem[] {
    if (!isSpec(document)) return [];
    const problems = engineSupport().specProblems(
      document.getText(),
      document.fileName,
      configuredExactLimit(),
    );
    this.collection.set(
      document.uri,
      problems.map((problem) => toDiagnostic(document, problem)),
    );
    return problems;
  }

  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.collection.dispose();
  }

  private validateSoon(document: vscode.TextDocument): void {
    if (!isSpec(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => this.validate(document), VALIDATE_DELAY_MS),
    );
  }
}

function toDiagnostic(document: vscode.TextDocument, problem: Problem): vscode.Diagnostic {
  const range = new vscode.Range(
    document.positionAt(problem.offset),
    document.positionAt(problem.offset + Math.max(1, problem.length)),
  );
  const severity =
    problem.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = 'Loss Landscape';
  diagnostic.code = formatJsonPath(problem.path);
  return diagnostic;
}
