// Which Python runs a PyTorch module, found the way the ecosystem finds it: the
// lossLandscape.python setting, else the Python extension's active environment (when that
// extension is installed; the extension host passes it in), else python3 on the PATH. The
// one found must import torch (1.13 or newer: functorch there, torch.func from 2.0).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface InterpreterSources {
  /** The lossLandscape.python setting, when set. */
  setting?: string | null;
  /** The Python extension's active environment's interpreter, when that extension has one. */
  activeEnvironment?: string | null;
  /** The PATH to search for python3 (default: the process's). */
  path?: string;
}

export interface Interpreter {
  python: string;
  /** Where it came from, for the messages. */
  source: 'setting' | 'Python extension' | 'PATH';
  torch: string;
  /** Higher-order derivatives of functions: torch.func (torch ≥ 2.0), else functorch. */
  functional: 'torch.func' | 'functorch' | null;
}

/** No interpreter with torch: what was tried, and what to do. */
export class InterpreterError extends Error {}

const PROBE = `import json, sys
try:
    import torch
except Exception as error:
    print(json.dumps({"error": f"{type(error).__name__}: {error}", "python": sys.version.split()[0]}))
    sys.exit(0)
functional = None
try:
    import torch.func
    functional = "torch.func"
except Exception:
    try:
        import functorch
        functional = "functorch"
    except Exception:
        pass
print(json.dumps({"torch": torch.__version__, "functional": functional}))
`;

/** The first source that names an interpreter; it must have torch 1.13 or newer. */
export function findInterpreter(sources: InterpreterSources): Interpreter {
  const { python, source } = locateInterpreter(sources);
  const probe = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 120000 });
  if (probe.error || probe.status !== 0)
    throw new InterpreterError(
      `${python} (from the ${source}) did not run: ${probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)}`,
    );
  const answer = JSON.parse(probe.stdout.trim().split('\n').at(-1)!) as {
    error?: string;
    torch?: string;
    functional?: Interpreter['functional'];
  };
  if (answer.error)
    throw new InterpreterError(
      `${python} (from the ${source}) cannot import torch (${answer.error}): install PyTorch for it (Debian: apt-get install python3-torch), or choose another interpreter`,
    );
  if (!atLeast(answer.torch!, [1, 13]))
    throw new InterpreterError(
      `${python} (from the ${source}) has torch ${answer.torch}; 1.13 or newer is needed`,
    );
  return { python, source, torch: answer.torch!, functional: answer.functional ?? null };
}

/**
 * The interpreter the sources name first, without running it: the worker's own start says
 * whether torch imports (findInterpreter explains it when it does not).
 */
export function locateInterpreter(
  sources: InterpreterSources,
): Pick<Interpreter, 'python' | 'source'> {
  const candidates: [string | null | undefined, Interpreter['source']][] = [
    [sources.setting, 'setting'],
    [sources.activeEnvironment, 'Python extension'],
    [onPath('python3', sources.path ?? process.env.PATH ?? ''), 'PATH'],
  ];
  const found = candidates.find(([python]) => python);
  if (!found)
    throw new InterpreterError(
      'no Python found: set lossLandscape.python to an interpreter with PyTorch, select one in the Python extension, or put python3 on the PATH (Debian: apt-get install python3-torch)',
    );
  const [python, source] = found as [string, Interpreter['source']];
  return { python, source };
}

/** The executable `name` in the first folder of `path` that has it. */
function onPath(name: string, path: string): string | null {
  for (const folder of path.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** "1.13.0a0+git…" ≥ [1, 13]. */
export function atLeast(version: string, [major, minor]: [number, number]): boolean {
  const [a, b] = version.split('.').map((part) => parseInt(part, 10));
  return a > major || (a === major && b >= minor);
}
