// A point's θ from a weight file (`"weights": "model.safetensors"`): the tensors are matched
// to the MLP's layers — in the order PyTorch's nn.Sequential state_dict names them ("0.weight",
// "0.bias", "2.weight", …), or by the names the point lists — and every mismatch is a
// message that names the tensor, its shape and the shape the layer needs.
import { readNpz } from '../data/npz';
import { readSafetensors, WeightFileError, type Tensor } from '../data/safetensors';
import { MlpArchitecture, parseParameterName } from '../model/architecture';
import type { LayerSpec, ModuleShape } from '../vocabulary';

/** θ, and the tensor each layer's weight and bias came from, in θ order. */
export interface WeightsPoint {
  parameters: number[];
  tensors: string[];
}

/** Reads the tensors of a weight file by its extension. */
export function readWeightFile(file: string, bytes: Uint8Array): Tensor[] {
  if (/\.safetensors$/i.test(file)) return readSafetensors(bytes);
  if (/\.npz$/i.test(file)) return readNpz(bytes);
  throw new WeightFileError(
    `'${file}' is not a weight file this tool reads: use .safetensors (PyTorch: safetensors.torch.save_file(model.state_dict(), "${file.replace(/\.[^.]*$/, '')}.safetensors")) or .npz (NumPy: np.savez)`,
  );
}

/** "0.weight" → ["0", "weight"]; names without a dot have an empty prefix. */
function split(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? ['', name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/** Natural order of prefixes: "2" before "10", "fc1" before "fc2". */
function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

const shapeText = (shape: number[]) => `[${shape.join(', ')}]`;

/**
 * θ of the MLP from the file's tensors. `names`, when given, lists the tensors in θ order
 * (each layer's weight, then its bias when it has one); otherwise tensors are grouped by
 * prefix (`0.weight`, `0.bias` → layer 1) in natural order of the prefixes.
 */
export function pointFromTensors(
  tensors: Tensor[],
  layers: LayerSpec[],
  inputDim: number,
  names: string[] | null,
): WeightsPoint {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const wanted = names ?? defaultOrder(tensors, layers);
  const expected = layers.reduce((n, layer) => n + (layer.bias ? 2 : 1), 0);
  if (wanted.length !== expected)
    throw new WeightFileError(
      names
        ? `"tensors" lists ${wanted.length} names, the model needs ${expected} (each layer's weight, then its bias)`
        : `the file's tensors do not group into the model's ${layers.length} layers (${describeTensors(tensors)})`,
    );
  const architecture = new MlpArchitecture(inputDim, layers);
  const theta = new Float64Array(architecture.parameterCount);
  let k = 0;
  let inputs = inputDim;
  layers.forEach((layer, l) => {
    const weightName = wanted[k++];
    const weight = byName.get(weightName);
    if (!weight) throw new WeightFileError(`the file has no tensor '${weightName}'`, weightName);
    const [rows, columns] = weight.shape;
    if (weight.shape.length !== 2 || rows !== layer.units || columns !== inputs) {
      const transposed =
        weight.shape.length === 2 && rows === inputs && columns === layer.units && rows !== columns
          ? ' — transposed? PyTorch stores a Linear weight as [out, in]'
          : '';
      throw new WeightFileError(
        `tensor '${weightName}' is ${shapeText(weight.shape)}, layer ${l + 1} needs its weight as [${layer.units}, ${inputs}]${transposed}`,
        weightName,
      );
    }
    const layout = architecture.layers[l];
    theta.set(weight.values, layout.weightOffset);
    if (layer.bias) {
      const biasName = wanted[k++];
      const bias = byName.get(biasName);
      if (!bias)
        throw new WeightFileError(
          `layer ${l + 1} has a bias, and the file has no tensor '${biasName}' for it`,
          biasName,
        );
      if (bias.shape.length !== 1 || bias.shape[0] !== layer.units)
        throw new WeightFileError(
          `tensor '${biasName}' is ${shapeText(bias.shape)}, layer ${l + 1} needs its bias as [${layer.units}]`,
          biasName,
        );
      theta.set(bias.values, layout.biasOffset);
    }
    inputs = layer.units;
  });
  const used = new Set(wanted);
  const extra = tensors.find((t) => !used.has(t.name));
  if (extra)
    throw new WeightFileError(
      `tensor '${extra.name}' ${shapeText(extra.shape)} fits no layer of the model (${describeLayers(layers, inputDim)})`,
      extra.name,
    );
  return { parameters: Array.from(theta), tensors: wanted };
}

/** The names in θ order when the point lists none: by prefix, weight then bias. */
function defaultOrder(tensors: Tensor[], layers: LayerSpec[]): string[] {
  const prefixes = [...new Set(tensors.map((t) => split(t.name)[0]))].sort(naturalCompare);
  const names: string[] = [];
  prefixes.slice(0, layers.length).forEach((prefix, l) => {
    const join = (suffix: string) => (prefix === '' ? suffix : `${prefix}.${suffix}`);
    names.push(join('weight'));
    if (layers[l].bias) names.push(join('bias'));
  });
  // Too few layers in the file: the count check names the tensors there are.
  return prefixes.length >= layers.length ? names : [];
}

function describeTensors(tensors: Tensor[]): string {
  const listed = tensors.slice(0, 8).map((t) => `${t.name} ${shapeText(t.shape)}`);
  return `it has ${listed.join(', ')}${tensors.length > 8 ? ', …' : ''}`;
}

function describeLayers(layers: LayerSpec[], inputDim: number): string {
  let inputs = inputDim;
  return layers
    .map((layer, l) => {
      const text = `layer ${l + 1}: weight [${layer.units}, ${inputs}]${layer.bias ? `, bias [${layer.units}]` : ''}`;
      inputs = layer.units;
      return text;
    })
    .join('; ');
}

/**
 * A network's θ as the tensors of a PyTorch `nn.Sequential(Linear, activation, Linear, …)`
 * state_dict: layer k's weight [out, in] and bias [out] as `2(k−1).weight` and `.bias`, the
 * layout `pointFromTensors` reads back. The layers come from the result's parameter names.
 */
export function stateDictTensors(
  parameterNames: string[],
  parameters: number[],
): Array<{ name: string; shape: number[]; values: number[] }> {
  const layers = new Map<
    number,
    { units: number; inputs: number; weight: number[]; bias: number[] }
  >();
  parameterNames.forEach((name, index) => {
    const parsed = parseParameterName(name);
    if (/^layer\d+\.norm\./.test(name))
      throw new WeightFileError(
        `parameter '${name}' belongs to a layer norm: a network with norms is not an nn.Sequential(Linear, activation, …), so it does not export as that state_dict; its parameters are the run's "parameters" in the result file, in the order of "parameterNames"`,
      );
    if (!parsed)
      throw new WeightFileError(
        `parameter '${name}' is not a layer's weight or bias: only MLP networks export as a state_dict`,
      );
    const layer = layers.get(parsed.layer) ?? { units: 0, inputs: 0, weight: [], bias: [] };
    if (parsed.input === null) layer.bias.push(parameters[index]);
    else {
      layer.units = Math.max(layer.units, parsed.unit + 1);
      layer.inputs = Math.max(layer.inputs, parsed.input + 1);
      layer.weight.push(parameters[index]);
    }
    layers.set(parsed.layer, layer);
  });
  return [...layers.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([k, layer]) => [
      { name: `${2 * (k - 1)}.weight`, shape: [layer.units, layer.inputs], values: layer.weight },
      ...(layer.bias.length > 0
        ? [{ name: `${2 * (k - 1)}.bias`, shape: [layer.units], values: layer.bias }]
        : []),
    ]);
}

/**
 * θ of a PyTorch module from a weight file: every parameter tensor of the module, by its
 * state_dict name, with its shape. Buffers in the file (BatchNorm's running statistics) are
 * not parameters and are left alone; a parameter missing or of another shape is named.
 */
export function pointFromModuleTensors(
  tensors: Tensor[],
  module: ModuleShape,
): { parameters: number[]; tensors: string[] } {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const theta = new Float64Array(module.parameterCount);
  let offset = 0;
  for (const wanted of module.tensors) {
    const found = byName.get(wanted.name);
    if (!found)
      throw new WeightFileError(
        `the file has no tensor '${wanted.name}' (the module's ${shapeText(wanted.shape)}; ${describeTensors(tensors)})`,
        wanted.name,
      );
    if (shapeText(found.shape) !== shapeText(wanted.shape))
      throw new WeightFileError(
        `tensor '${wanted.name}' is ${shapeText(found.shape)} in the file, the module's is ${shapeText(wanted.shape)}`,
        wanted.name,
      );
    theta.set(found.values, offset);
    offset += found.values.length;
  }
  return { parameters: Array.from(theta), tensors: module.tensors.map((t) => t.name) };
}
