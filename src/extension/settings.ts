// The extension's settings, read where they are used (they may change between runs).
import * as vscode from 'vscode';

/** Worker threads for the engine; undefined: one per core. */
export function configuredWorkers(): number | undefined {
  return (
    vscode.workspace.getConfiguration('lossLandscape').get<number>('engine.workers') || undefined
  );
}

/** The lossLandscape.python setting: the interpreter with PyTorch for a file's module (null: unset). */
export function configuredPython(): string | null {
  return vscode.workspace.getConfiguration('lossLandscape').get<string>('python')?.trim() || null;
}

/**
 * The interpreter of the Python extension's active environment for this file, when that
 * extension is installed (its documented API: environments.getActiveEnvironmentPath and
 * resolveEnvironment); null otherwise, or when it has none.
 */
export async function pythonExtensionEnvironment(file: vscode.Uri): Promise<string | null> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return null;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const active = api?.environments?.getActiveEnvironmentPath(file);
    if (!active?.path) return null;
    const resolved = await api.environments.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return null; // an extension that fails to answer is not a reason to stop: the PATH is next
  }
}

/** The part of the Python extension's API used here. */
interface PythonExtensionApi {
  environments: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment?(environment: {
      id: string;
      path: string;
    }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The exact-Hessian limit for files that set none. */
export function configuredExactLimit(): number | undefined {
  return vscode.workspace.getConfiguration('lossLandscape').get<number>('analysis.exactLimit');
}
