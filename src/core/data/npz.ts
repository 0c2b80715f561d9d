// Reads NumPy's .npz (np.savez of a state_dict): a zip archive (fflate) of .npy arrays
// (npyjs), each checked against its declared shape and converted to float64 like a
// safetensors tensor. Sizes are checked before anything is inflated.
import { unzipSync } from 'fflate';
import { parse } from 'npyjs';
import { WeightFileError, type Tensor } from './safetensors';

/** The most an archive may inflate to, in all: a zip bomb stops here, not in memory. */
export const MAX_NPZ_BYTES = 256 * 1024 * 1024;

export function readNpz(bytes: Uint8Array): Tensor[] {
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        declared += file.originalSize;
        if (declared > MAX_NPZ_BYTES)
          throw new WeightFileError(
            `the archive inflates to more than ${MAX_NPZ_BYTES / 1024 ** 2} MiB, more than this tool reads`,
          );
        return true;
      },
    });
  } catch (error) {
    if (error instanceof WeightFileError) throw error;
    throw new WeightFileError(
      `it is not a readable zip archive (an .npz is one): ${(error as Error).message}`,
    );
  }
  return Object.entries(files)
    .filter(([name]) => !name.endsWith('/'))
    .map(([file, data]) => arrayOf(file.replace(/\.npy$/, ''), data));
}

function arrayOf(name: string, data: Uint8Array): Tensor {
  let array: ReturnType<typeof parse>;
  try {
    // npyjs reads from an ArrayBuffer of its own: copy the file's bytes out of the archive's.
    array = parse(data.slice().buffer);
  } catch (error) {
    throw new WeightFileError(`'${name}' is not a .npy array: ${(error as Error).message}`, name);
  }
  const { shape, dtype } = array;
  if (dtype !== 'f8' && dtype !== 'f4')
    throw new WeightFileError(
      `tensor '${name}' is ${dtype}; only float64 (f8) and float32 (f4) are read`,
      name,
    );
  const count = shape.reduce((a, b) => a * b, 1);
  const values = array.data as Float64Array | Float32Array;
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || values.length !== count)
    throw new WeightFileError(
      `tensor '${name}': shape [${shape.join(', ')}] needs ${count} values, the array holds ${values.length}`,
      name,
    );
  const out = Float64Array.from(values);
  // Column-major (Fortran order) 2-D arrays are transposed into θ's row-major order.
  if (array.fortranOrder && shape.length === 2) {
    const [rows, columns] = shape;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < columns; j++) out[i * columns + j] = values[j * rows + i];
  }
  return { name, dtype: dtype === 'f8' ? 'F64' : 'F32', shape, values: out };
}
