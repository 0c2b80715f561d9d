// "Loss Landscape: Analyze": checks the file, runs the engine in a child process with a
// cancellable progress notification, feeds the results panel live, and reports the outcome.
import * as vscode from 'vscode';
import { defaultResultPath } from '../engine/files';
import { analysisSummary, plural } from '../protocol/wording';
import type { AnalyzeLensProvider } from './codeLens';
import type { SpecDiagnostics } from './diagnostics';
import type { EngineRunner, RunOutcome } from './engineRunner';
import type { ResultsPanel } from './panel';
import {
  configuredExactLimit,
  configuredPython,
  configuredWorkers,
  pythonExtensionEnvironment,
} from './settings';

/**
 * The module file a spec's PyTorch model names, or null when it has none. Plain JSON.parse:
 * the spec's validator stays out of the extension's bundle (it loads with the editor support).
 */
export function pytorchModelFile(text: string): string | null {
  try {
    const file = (JSON.parse(text) as { model?: { pytorch?: { file?: unknown } } } | null)?.model
      ?.pytorch?.file;
    return typeof file === 'string' ? file : null;
  } catch {
    return null; // not JSON (yet): the Problems panel says why, and nothing runs
  }
}

/** The saved text of the spec (checkBeforeRun saved it). */
function panelText(target: vscode.Uri): string {
  return (
    vscode.workspace.textDocuments.find((d) => d.uri.fsPath === target.fsPath)?.getText() ?? ''
  );
}

export interface AnalyzeServices {
  runner: EngineRunner;
  diagnostics: SpecDiagnostics;
  lenses: AnalyzeLensProvider;
  output: vscode.OutputChannel;
  /** The panel of a spec, shown beside the editor. */
  showPanel(specPath: string): ResultsPanel;
}

/**
 * What every way of running an analysis checks first: a trusted workspace, the file saved,
 * and no error in it (the Problems panel lists them). False: said why, run nothing.
 */
export async function checkBeforeRun(
  target: vscode.Uri,
  { diagnostics }: Pick<AnalyzeServices, 'diagnostics'>,
): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(target);
  if (!vscode.workspace.isTrusted) {
    const module = pytorchModelFile(document.getText());
    vscode.window.showWarningMessage(
      module
        ? `Analyzing this file runs its PyTorch model's Python code (${module}) on your machine: trust this workspace to analyze. Editing support works without it.`
        : 'Analysis runs code on your machine: trust this workspace to analyze. Editing support works without it.',
    );
    return false;
  }
  await document.save();
  const errors = diagnostics.validate(document).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const name = document.fileName.split(/[\\/]/).pop();
    vscode.window.showErrorMessage(
      `${plural(errors.length, 'problem')} in ${name}: fix ${errors.length === 1 ? 'it' : 'them'} to analyze (see the Problems panel).`,
    );
    return false;
  }
  return true;
}

/** Runs the analysis of a spec; its outcome, or undefined when nothing was run. */
export async function analyzeSpec(
  target: vscode.Uri,
  services: AnalyzeServices,
): Promise<RunOutcome | undefined> {
  const { runner } = services;
  if (!(await checkBeforeRun(target, services))) return undefined;
  const existing = runner.running(target.fsPath);
  if (existing) {
    const choice = await vscode.window.showWarningMessage(
      'This file is being analyzed already.',
      'Restart',
      'Keep running',
    );
    if (choice !== 'Restart') return undefined;
    existing.cancel();
    await existing.done;
  }
  const panel = services.showPanel(target.fsPath);
  panel.starting();
  // Only a file with a PyTorch model asks where Python is (the Python extension may activate).
  const python = pytorchModelFile(panelText(target))
    ? { setting: configuredPython(), activeEnvironment: await pythonExtensionEnvironment(target) }
    : undefined;
  const outcome = await runWithProgress(target.fsPath, panel, services, python);
  panel.finish(
    outcome.status === 'ok' ? 'done' : outcome.status === 'cancelled' ? 'cancelled' : 'failed',
    outcome.status === 'failed'
      ? outcome.message
      : outcome.status === 'invalid'
        ? (outcome.problems[0]?.message ?? 'the file is not valid')
        : undefined,
  );
  report(outcome, services.output);
  return outcome;
}

/** The engine's run under a cancellable notification that counts the runs trained. */
function runWithProgress(
  specPath: string,
  panel: ResultsPanel,
  { runner, lenses }: AnalyzeServices,
  python: { setting: string | null; activeEnvironment: string | null } | undefined,
): Thenable<RunOutcome> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Loss Landscape', cancellable: true },
    (progress, token) =>
      new Promise<RunOutcome>((resolveOutcome) => {
        let runs = 0;
        const finished = new Set<number>();
        const run = runner.start(specPath, {
          outPath: defaultResultPath(specPath),
          threads: configuredWorkers(),
          exactLimit: configuredExactLimit(),
          python,
          onEvent: (event) => {
            panel.forward(event);
            if (event.type === 'start') runs = event.runs;
            else if (event.type === 'phase') progress.report({ message: `${event.phase}…` });
            else if (event.type === 'run-finished' && runs > 0) {
              finished.add(event.run);
              progress.report({
                message: `run ${finished.size}/${runs} trained`,
                increment: 100 / runs,
              });
            }
          },
        });
        const changed = () => {
          lenses.refresh();
          setRunningContext(runner);
        };
        changed();
        token.onCancellationRequested(() => run.cancel());
        void run.done.then((outcome) => {
          changed();
          resolveOutcome(outcome);
        });
      }),
  );
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
    case 'invalid': {
      // A PyTorch model's file that raised: its traceback goes to the log, one click away.
      const detail = outcome.problems.find((p) => p.detail)?.detail;
      if (detail)
        output.appendLine(
          `[${new Date().toISOString()}] ${outcome.problems[0].message}\n${detail}`,
        );
      void vscode.window
        .showErrorMessage(
          `The file is not valid: ${outcome.problems[0]?.message ?? ''}`,
          ...(detail ? ['Show Traceback'] : []),
        )
        .then((choice) => {
          if (choice) output.show(true);
        });
      return;
    }
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
