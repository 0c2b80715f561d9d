// A problem found in a .loss.json file (or a file it names), located for people and editors.

export type JsonPath = (string | number)[];

export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  /** JSON path inside the file, e.g. ["model", "layers", 1, "activation"]. */
  path: JsonPath;
  /** Set by the engine when the file is known; relative paths are relative to the spec. */
  file?: string;
  /** 1-based line and column of the start of the offending value. */
  line: number;
  column: number;
  /** 0-based character offset and length of the offending range (for editors). */
  offset: number;
  length: number;
  /** More than a sentence: the traceback of a user's Python file that raised. */
  detail?: string;
}

/** "model.layers[1].activation" — the path as a person reads it. */
export function formatJsonPath(path: JsonPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) text += text ? `.${part}` : part;
    else text += `[${JSON.stringify(part)}]`;
  }
  return text || '(top level)';
}

/** "xor.loss.json:12:7: error: model.layers[1].activation: …" */
export function formatProblem(problem: Problem, fileName: string): string {
  const where = `${problem.file ?? fileName}:${problem.line}:${problem.column}`;
  return `${where}: ${problem.severity}: ${problem.message} (at ${formatJsonPath(problem.path)})`;
}
