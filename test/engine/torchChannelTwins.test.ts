// Permuted twins of convolutional stacks: channels permuted (and rescaled through relu and
// max-pooling, negated through tanh and average pooling) with PyTorch's own tensor indexing,
// and found again by the engine with the permutation that was applied. Decoys — a channel's
// kernel moved without its outgoing weights — are not called twins, and a BatchNorm whose
// running statistics differ between channels makes equivalence unavailable, with the reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryFolder } from '../helpers/temp';
import { analyzeWithTorch, describeWithTorch, PYTHON } from '../helpers/torch';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

/** The model files and weight files, written with torch alone. */
const MAKE = `
import json, struct, sys, importlib.util
import numpy as np, torch
from torch import nn
torch.set_default_dtype(torch.float64)
folder = sys.argv[1]

def save(path, state):  # safetensors, written by hand (float64)
    header, blobs, offset = {}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().contiguous().numpy().astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data); offset += len(data)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text))); f.write(text); f.write(b"".join(blobs))

def load(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]; header = json.loads(f.read(size)); blob = f.read()
    return {k: torch.from_numpy(np.frombuffer(blob[v["data_offsets"][0]:v["data_offsets"][1]], "<f4")
                                .reshape(v["shape"]).astype(np.float64)) for k, v in header.items() if k != "__metadata__"}

# 1. The digits CNN (conv 1→8, relu, max-pool, flatten, linear 128→16, relu, linear 16→10)
#    at PyTorch's weights. Twin: channels permuted by p, channel 2 scaled by 3 (its outgoing
#    block by 1/3), hidden units permuted by q.
a = load(f"{folder}/digits-cnn.safetensors")
p = torch.tensor([3, 0, 7, 1, 6, 2, 5, 4]); q = torch.randperm(16, generator=torch.Generator().manual_seed(1))
twin = {k: v.clone() for k, v in a.items()}
twin["0.weight"], twin["0.bias"] = a["0.weight"][p], a["0.bias"][p]
columns = a["4.weight"].reshape(16, 8, 16)[:, p].reshape(16, 128)
twin["0.weight"][2] *= 3; twin["0.bias"][2] *= 3
columns = columns.reshape(16, 8, 16); columns[:, 2] /= 3; columns = columns.reshape(16, 128)
twin["4.weight"], twin["4.bias"] = columns[q], a["4.bias"][q]
twin["6.weight"] = a["6.weight"][:, q]
decoy = {k: v.clone() for k, v in a.items()}
decoy["0.weight"], decoy["0.bias"] = a["0.weight"][p], a["0.bias"][p]  # outgoing blocks left
save(f"{folder}/cnn-a.safetensors", a); save(f"{folder}/cnn-twin.safetensors", twin)
save(f"{folder}/cnn-decoy.safetensors", decoy)

# 2. conv 1→4, BatchNorm, tanh, conv 4→3, tanh, average pool, flatten, linear 12→10. Twin: the
#    first conv's channels permuted with their BatchNorm gain and shift by r, the second's
#    channels permuted by s and channel 1 negated (tanh and averaging are odd).
with open(f"{folder}/stack.py", "w") as f:
    f.write('''from torch import nn
def make_model(skewed=False):
    norm = nn.BatchNorm2d(4)
    if skewed:
        norm.running_var[1] = 2.0
    return nn.Sequential(nn.Conv2d(1, 4, 3), norm, nn.Tanh(), nn.Conv2d(4, 3, 3), nn.Tanh(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(12, 10))
''')
spec = importlib.util.spec_from_file_location("stack", f"{folder}/stack.py")
stack = importlib.util.module_from_spec(spec); spec.loader.exec_module(stack)
torch.manual_seed(3)
model = stack.make_model()
with torch.no_grad():
    model[1].weight.uniform_(0.5, 1.5); model[1].bias.uniform_(-0.5, 0.5)
b = {k: v.detach().clone() for k, v in model.named_parameters()}
r = torch.tensor([2, 0, 3, 1]); s = torch.tensor([1, 2, 0])
twin = {k: v.clone() for k, v in b.items()}
for name in ["0.weight", "0.bias", "1.weight", "1.bias"]:
    twin[name] = b[name][r]
twin["3.weight"] = b["3.weight"][:, r][s]; twin["3.bias"] = b["3.bias"][s]
twin["3.weight"][1] *= -1; twin["3.bias"][1] *= -1
columns = b["7.weight"].reshape(10, 3, 4)[:, s]; columns[:, 1] *= -1
twin["7.weight"] = columns.reshape(10, 12)
save(f"{folder}/stack-a.safetensors", b); save(f"{folder}/stack-twin.safetensors", twin)
print(json.dumps({"p": p.tolist(), "q": q.tolist(), "r": r.tolist(), "s": s.tolist()}))
`;

interface Applied {
  p: number[];
  q: number[];
  r: number[];
  s: number[];
}

describeWithTorch('permuted twins of convolutional stacks', function () {
  this.timeout(300_000);
  let folder: string;
  let applied: Applied;

  before(() => {
    folder = temporaryFolder().path;
    copyFileSync(join(EXAMPLES, 'digits-cnn.py'), join(folder, 'digits-cnn.py'));
    copyFileSync(join(EXAMPLES, 'digits-cnn.safetensors'), join(folder, 'digits-cnn.safetensors'));
    const made = spawnSync(PYTHON, ['-c', MAKE, folder], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    applied = JSON.parse(made.stdout);
    const cut = spawnSync(PYTHON, [
      '-c',
      `import numpy as np; d = np.load("${EXAMPLES}/digits-cnn.npz"); ` +
        `np.savez("${folder}/digits.npz", images=d["images"][:128], labels=d["labels"][:128])`,
    ]);
    assert.equal(cut.status, 0, String(cut.stderr));
  });

  const analyze = (model: object, points: { name: string; weights: string }[]) =>
    analyzeWithTorch(join(folder, 'twins.loss.json'), {
      data: { npz: 'digits.npz', inputs: 'images', targets: 'labels' },
      model: { pytorch: model },
      loss: 'cross-entropy',
      points,
      training: { runs: 0 },
      analysis: { hessian: 'off', refine: false, slices: [], paths: 'none' },
    });

  it('finds the channel permutation, the hidden-unit permutation and the relu rescaling of a CNN, and not the decoy', async () => {
    const result = await analyze({ file: 'digits-cnn.py', build: 'make_model' }, [
      { name: 'a', weights: 'cnn-a.safetensors' },
      { name: 'twin', weights: 'cnn-twin.safetensors' },
      { name: 'decoy', weights: 'cnn-decoy.safetensors' },
    ]);
    assert.ok(result.model?.kind === 'pytorch' && result.model.equivalence.available);
    const [a, twin, decoy] = result.runs;
    assert.equal(a.equivalentTo, null);
    assert.equal(
      decoy.equivalentTo,
      null,
      'a kernel moved without its outgoing weights is another network',
    );
    const found = twin.equivalentTo!;
    assert.equal(found.id, a.id);
    assert.equal(found.relation, 'permutation+rescaling');
    // Unit i of the twin is unit p[i] of a: exactly the indexing that made it.
    assert.deepEqual(found.permutation, [applied.p, applied.q]);
    // The twin's channel 2 has 3 times its partner's kernel and bias.
    const expected = Array.from({ length: 8 }, (_, i) => (i === 2 ? 3 : 1));
    found.scales![0].forEach((c, i) => assert.ok(Math.abs(c - expected[i]) < 1e-12, `${i}: ${c}`));
    assert.ok(found.distance < 1e-12, `distance after mapping ${found.distance}`);
    assert.equal(result.classes.length, 2);
  });

  it('permutes channels with their BatchNorm gain and shift, and negates channels through tanh and average pooling', async () => {
    const result = await analyze({ file: 'stack.py', build: 'make_model' }, [
      { name: 'a', weights: 'stack-a.safetensors' },
      { name: 'twin', weights: 'stack-twin.safetensors' },
    ]);
    const model = result.model!;
    assert.ok(
      model.kind === 'pytorch' && model.equivalence.available && 'units' in model.equivalence,
    );
    assert.deepEqual(
      model.equivalence.units.map((l) => [l.perUnit, l.sign, l.rescale]),
      [
        [['1.weight', '1.bias'], false, false],
        [[], true, false],
      ],
    );
    const found = result.runs[1].equivalentTo!;
    assert.equal(found.relation, 'permutation+sign');
    assert.deepEqual(found.permutation, [applied.r, applied.s]);
    assert.deepEqual(found.signs, [
      [1, 1, 1, 1],
      [1, -1, 1],
    ]);
  });

  it('says why when a BatchNorm’s running statistics differ between channels, and groups only identical points', async () => {
    const result = await analyze(
      { file: 'stack.py', build: 'make_model', args: { skewed: true } },
      [
        { name: 'a', weights: 'stack-a.safetensors' },
        { name: 'twin', weights: 'stack-twin.safetensors' },
        { name: 'again', weights: 'stack-a.safetensors' },
      ],
    );
    const model = result.model!;
    assert.ok(model.kind === 'pytorch' && !model.equivalence.available);
    assert.match(model.equivalence.unavailable, /layer 1's running_var differs between channels/);
    assert.equal(result.runs[1].equivalentTo, null);
    assert.equal(result.runs[2].equivalentTo?.relation, 'identical');
  });
});
