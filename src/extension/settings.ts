// The extension's settings, read where they are used (they may change between runs).
import * as vscode from 'vscode';

/** Worker threads for the engine; undefined: one per core. */
export function configuredWorkers(): number | undefined {
  return (
    vscode.workspace.getConfiguration('lossLandscape').get<number>('engine.workers') || undefined
  );
}

/** The exact-Hessian limit for files that set none. */
export function configuredExactLimit(): number | undefined {
  return vscode.workspace.getConfiguration('lossLandscape').get<number>('analysis.exactLimit');
}
