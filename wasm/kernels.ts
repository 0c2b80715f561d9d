// Matrix kernels of the MLP in WebAssembly with 128-bit SIMD (AssemblyScript). Each SIMD lane
// holds a different output element and every element sums its terms in the same order as
// the JavaScript kernels in src/core/kernels/ (matrix.ts, tanh.ts, tridiagonalize.ts), so
// both give bit-identical results; src/core/kernels/registry.ts chooses between them.
// Pointers are byte offsets into this module's memory, placed by src/core/kernels/wasm.ts.
// Build: npm run build:wasm (writes src/core/kernels/wasmBinary.ts).

export { accumulateWeightGradient, multiplyByWeights, propagateDownAdd } from './matrix';
export { tanhArray } from './tanh';
export { tridiagonalize } from './tridiagonalize';
