// Exports a run or point (losslab export RESULT.json RUN --safetensors OUT): its parameters
// as a PyTorch state_dict in safetensors (F64), so `model.load_state_dict(load_file(OUT))`
// takes them, and a point `{"weights": OUT}` reads them back bit for bit.
import { writeSafetensors, WeightFileError } from '../core/data/safetensors';
import { stateDictTensors } from '../core/lossfile/weights';
import type { AnalysisResult } from '../protocol/result';
import { readTextFile, writeBytesAtomically } from './files';

/** Exit status and what to print: 0 written, 1 the result or the run is not usable. */
export function exportRun(
  resultPath: string,
  runId: string,
  outPath: string,
): { status: 0 | 1; message: string } {
  const read = readTextFile(resultPath);
  if (!read.ok) return { status: 1, message: `cannot read ${resultPath}: it ${read.reason}` };
  let result: AnalysisResult;
  try {
    result = JSON.parse(read.text) as AnalysisResult;
  } catch {
    return { status: 1, message: `${resultPath} is not JSON: not a result file` };
  }
  if (result?.format !== 'loss-landscape-result' || !Array.isArray(result.runs))
    return { status: 1, message: `${resultPath} is not a loss-landscape result file` };
  const run = result.runs.find((r) => r.id === runId);
  if (!run) {
    const ids = result.runs.map((r) => r.id);
    const listed = ids.slice(0, 10).join(', ') + (ids.length > 10 ? ', …' : '');
    return {
      status: 1,
      message: `${resultPath} has no run or point '${runId}' (it has ${listed})`,
    };
  }
  try {
    const tensors = stateDictTensors(result.parameterNames, run.parameters);
    writeBytesAtomically(outPath, writeSafetensors(tensors, 'F64'));
    const names = tensors.map((t) => `${t.name} [${t.shape.join(', ')}]`).join(', ');
    return { status: 0, message: `wrote ${outPath}: ${run.id} as ${names} (float64)` };
  } catch (error) {
    if (error instanceof WeightFileError) return { status: 1, message: error.message };
    throw error;
  }
}
