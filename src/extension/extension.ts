// The VS Code extension: diagnostics from the engine's own validation as the user types, a
// CodeLens and commands to analyze, cancel and show results, the engine run in a child
// process with a cancellable progress notification, and the results panel fed live.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatJsonPath, type Problem } from '../protocol/problems';
import { specProblems } from '../engine/editorSupport';
import { defaultResultPath } from '../engine/files';
import { analysisSummary } from '../protocol/wording';
import { EngineRunner, type RunOutcome } from './engineRunner';
import { PANEL_VIEW_TYPE, ResultsPanels } from './panel';

const SPEC_PATTERN = '**/*.loss.json';
const VALIDATE_DELAY_MS = 300;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Loss Landscape');
  const diagnostics = vscode.languages.createDiagnosticCollection('loss-landscape');
  const runner = new EngineRunner(context.asAbsolutePath(join('dist', 'engine.js')));
  const lenses = new AnalyzeLensProvider(runner);
  const openResult = (specUri: vscode.Uri) => {
    const path = defaultResultPath(specUri.fsPath);
    if (existsSync(path)) void vscode.window.showTextDocument(vscode.Uri.file(path));
    else
      void vscode.window.showInformationMessage('This file has no result yet: analyze it first.');
  };
  const panels = new ResultsPanels(context.extensionUri, {
    analyze: (uri) => void vscode.commands.executeCommand('lossLandscape.analyze', uri),
    cancel: (uri) => void vscode.commands.executeCommand('lossLandscape.cancel', uri),
    openResult,
    showLog: () => output.show(),
  });
  context.subscriptions.push(output, diagnostics, panels);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, panels));

  // Diagnostics: validate on open, shortly after each edit, clear on close.
  const timers = new Map<string, NodeJS.Timeout>();
  const validate = (document: vscode.TextDocument) => {
    if (!isSpec(document)) return;
    diagnostics.set(
      document.uri,
      validateDocument(document).map((p) => toDiagnostic(document, p)),
    );
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(validate),
    vscode.workspace.onDidChangeTextDocument(({ document }) => {
      if (!isSpec(document)) return;
      const key = document.uri.toString();
      clearTimeout(timers.get(key));
      timers.set(
        key,
        setTimeout(() => validate(document), VALIDATE_DELAY_MS),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    // A saved spec (or a CSV it reads) may make a shown result stale, or current again.
    vscode.workspace.onDidSaveTextDocument(() => {
      panels.refreshStaleness();
      lenses.refresh();
    }),
  );
  vscode.workspace.textDocuments.forEach(validate);

  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ pattern: SPEC_PATTERN }, lenses),
    vscode.commands.registerCommand('lossLandscape.analyze', (uri?: vscode.Uri) =>
      analyze(uri, runner, diagnostics, output, lenses, panels),
    ),
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
  );
}

export function deactivate(): void {
  // Child processes end with the extension host; nothing to release here.
}

function isSpec(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' && document.fileName.endsWith('.loss.json');
}

/** The engine's validation (schema and semantic checks) of the editor's current text. */
function validateDocument(document: vscode.TextDocument): Problem[] {
  return specProblems(document.getText(), document.fileName, configuredExactLimit());
}

/** The editor's exact-Hessian limit for files that set none. */
function configuredExactLimit(): number | undefined {
  return vscode.workspace.getConfiguration('lossLandscape').get<number>('analysis.exactLimit');
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

async function analyze(
  uri: vscode.Uri | undefined,
  runner: EngineRunner,
  diagnostics: vscode.DiagnosticCollection,
  output: vscode.OutputChannel,
  lenses: AnalyzeLensProvider,
  panels: ResultsPanels,
): Promise<void> {
  const target = uri ?? (await pickSpec(panels));
  if (!target) return;
  if (!vscode.workspace.isTrusted) {
    vscode.window.showWarningMessage(
      'Analysis runs code on your machine: trust this workspace to analyze. Editing support works without it.',
    );
    return;
  }
  const document = await vscode.workspace.openTextDocument(target);
  await document.save();
  const problems = validateDocument(document);
  diagnostics.set(
    document.uri,
    problems.map((p) => toDiagnostic(document, p)),
  );
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    vscode.window.showErrorMessage(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in ${document.fileName.split(/[\\/]/).pop()}: fix ${errors.length === 1 ? 'it' : 'them'} to analyze (see the Problems panel).`,
    );
    return;
  }
  const existing = runner.running(target.fsPath);
  if (existing) {
    const choice = await vscode.window.showWarningMessage(
      'This file is being analyzed already.',
      'Restart',
      'Keep running',
    );
    if (choice !== 'Restart') return;
    existing.cancel();
    await existing.done;
  }
  const threads =
    vscode.workspace.getConfiguration('lossLandscape').get<number>('engine.workers') || undefined;
  const exactLimit = configuredExactLimit();
  const outPath = defaultResultPath(target.fsPath);
  const panel = panels.show(target.fsPath, true);
  panel.starting();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loss Landscape', cancellable: true },
    (progress, token) =>
      new Promise<RunOutcome>((resolveOutcome) => {
        let runs = 0;
        const finished = new Set<number>();
        const run = runner.start(target.fsPath, {
          outPath,
          threads,
          exactLimit,
          onEvent: (event) => {
            panel.forward(event);
            if (event.type === 'start') runs = event.runs;
            else if (event.type === 'run-finished') finished.add(event.run);
            else if (event.type === 'phase') progress.report({ message: `${event.phase}…` });
            if (event.type === 'run-finished' && runs > 0)
              progress.report({
                message: `run ${finished.size}/${runs} trained`,
                increment: 100 / runs,
              });
          },
        });
        lenses.refresh();
        setRunningContext(runner);
        token.onCancellationRequested(() => run.cancel());
        void run.done.then((o) => {
          lenses.refresh();
          setRunningContext(runner);
          resolveOutcome(o);
        });
      }),
  );
  panel.finish(
    outcome.status === 'ok' ? 'done' : outcome.status === 'cancelled' ? 'cancelled' : 'failed',
    outcome.status === 'failed'
      ? outcome.message
      : outcome.status === 'invalid'
        ? (outcome.problems[0]?.message ?? 'the file is not valid')
        : undefined,
  );
  report(outcome, output);
}

/** `lossLandscape.running` shows "Cancel Analysis" in the palette while something runs. */
function setRunningContext(runner: EngineRunner): void {
  void vscode.commands.executeCommand('setContext', 'lossLandscape.running', runner.busy);
}

function report(outcome: RunOutcome, output: vscode.OutputChannel): void {
  switch (outcome.status) {
    case 'ok': {
      const { summary, resultPath } = outcome;
      void vscode.window
        .showInformationMessage(
          `Analyzed ${summary.name}: ${analysisSummary(summary)}.`,
          'Open Result File',
        )
        .then((choice) => {
          if (choice && resultPath)
            void vscode.window.showTextDocument(vscode.Uri.file(resultPath));
        });
      return;
    }
    case 'invalid':
      void vscode.window.showErrorMessage(
        `The file is not valid: ${outcome.problems[0]?.message ?? ''}`,
      );
      return;
    case 'cancelled':
      void vscode.window.showInformationMessage(
        'Analysis cancelled; the previous result, if any, is unchanged.',
      );
      return;
    case 'failed':
      output.appendLine(`[${new Date().toISOString()}] ${outcome.message}`);
      if (outcome.stderr) output.appendLine(outcome.stderr);
      void vscode.window
        .showErrorMessage(`The analysis failed: ${outcome.message}`, 'Show Log')
        .then((choice) => {
          if (choice) output.show();
        });
      return;
  }
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

async function newExample(context: vscode.ExtensionContext): Promise<void> {
  const folder = context.asAbsolutePath('examples');
  const names = readdirSync(folder).filter((name) => name.endsWith('.loss.json'));
  const pick = await vscode.window.showQuickPick(
    names.map((name) => ({
      label: name,
      description:
        (JSON.parse(readFileSync(join(folder, name), 'utf8')) as { name?: string }).name ?? '',
    })),
    { placeHolder: 'Which example?' },
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
  await vscode.window.showTextDocument(target);
}

/** "▶ Analyze" at the top of every .loss.json file ("■ Cancel" while it runs). */
class AnalyzeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly runner: EngineRunner) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    if (this.runner.running(document.uri.fsPath)) {
      return [
        new vscode.CodeLens(top, {
          title: '■ Cancel analysis',
          command: 'lossLandscape.cancel',
          arguments: [document.uri],
        }),
      ];
    }
    const lenses = [
      new vscode.CodeLens(top, {
        title: '▶ Analyze',
        command: 'lossLandscape.analyze',
        arguments: [document.uri],
      }),
    ];
    if (existsSync(defaultResultPath(document.uri.fsPath)))
      lenses.push(
        new vscode.CodeLens(top, {
          title: 'Show results',
          command: 'lossLandscape.showResults',
          arguments: [document.uri],
        }),
      );
    return lenses;
  }
}
