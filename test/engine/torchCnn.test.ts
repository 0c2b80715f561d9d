// A CNN trained by PyTorch (the digits example: conv–relu–pool–linear, 2,314 parameters, its
// float32 weights as PyTorch saved them): every eigenvalue the engine reports equals
// torch.linalg.eigvalsh of the Hessian torch.autograd.functional.hessian builds, with torch's
// own cross_entropy, to 1e-10 of max|λ|. The data are the first 256 digits, so the two exact
// Hessians (2,314 backward passes each) take seconds, not minutes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryFolder } from '../helpers/temp';
import { analyzeWithTorch, describeWithTorch, PYTHON } from '../helpers/torch';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const ROWS = 256;

/** What PyTorch alone says: the loss, the gradient's norm and its Hessian's eigenvalues, ascending. */
const REFERENCE = `
import json, struct, sys, importlib.util
import numpy as np, torch
torch.set_default_dtype(torch.float64)
folder, rows, decay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
spec = importlib.util.spec_from_file_location("cnn", f"{folder}/digits-cnn.py")
cnn = importlib.util.module_from_spec(spec); spec.loader.exec_module(cnn)
model = cnn.make_model(channels=8, hidden=16).double()
with open(f"{folder}/digits-cnn.safetensors", "rb") as f:  # safetensors, read by hand
    size = struct.unpack("<Q", f.read(8))[0]; header = json.loads(f.read(size)); blob = f.read()
state = {k: torch.from_numpy(np.frombuffer(blob[v["data_offsets"][0]:v["data_offsets"][1]], "<f4")
                             .reshape(v["shape"]).astype(np.float64))
         for k, v in header.items() if k != "__metadata__"}
model.load_state_dict(state)
data = np.load(f"{folder}/digits-cnn.npz")
x = torch.from_numpy(data["images"][:rows].astype(np.float64)); y = torch.from_numpy(data["labels"][:rows])
names = [n for n, _ in model.named_parameters()]; shapes = [p.shape for p in model.parameters()]
sizes = [p.numel() for p in model.parameters()]
theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
def loss(flat):
    params = {n: t.reshape(s) for n, t, s in zip(names, torch.split(flat, sizes), shapes)}
    out = torch.nn.utils.stateless.functional_call(model, params, (x,))
    return torch.nn.functional.cross_entropy(out, y) + decay / 2 * (flat * flat).sum()
torch.set_num_threads(2)
hessian = torch.autograd.functional.hessian(loss, theta)
gradient = torch.autograd.functional.jacobian(loss, theta)
print(json.dumps({"loss": loss(theta).item(), "gradientNorm": gradient.norm().item(),
                  "eigenvalues": torch.linalg.eigvalsh(hessian).tolist()}))
`;

describeWithTorch('a CNN trained by PyTorch', function () {
  this.timeout(600_000);

  it("every eigenvalue equals torch.linalg.eigvalsh of torch's own Hessian to 1e-10 of max|λ|", async () => {
    const temporary = temporaryFolder();
    const folder = temporary.path;
    for (const name of ['digits-cnn.py', 'digits-cnn.safetensors'])
      copyFileSync(join(EXAMPLES, name), join(folder, name));
    const cut = spawnSync(PYTHON, [
      '-c',
      `import numpy as np; d = np.load("${EXAMPLES}/digits-cnn.npz"); ` +
        `np.savez("${folder}/digits-cnn.npz", images=d["images"][:${ROWS}], labels=d["labels"][:${ROWS}])`,
    ]);
    assert.equal(cut.status, 0, String(cut.stderr));
    const example = JSON.parse(readFileSync(join(EXAMPLES, 'digits-cnn.loss.json'), 'utf8'));
    const spec = {
      data: example.data,
      model: example.model,
      loss: 'cross-entropy',
      weightDecay: example.weightDecay,
      points: example.points,
      training: { runs: 0 },
      analysis: { hessian: 'exact', exactLimit: 2400, refine: false, slices: [] },
    };
    const result = await analyzeWithTorch(join(folder, 'cnn.loss.json'), spec);
    const [point] = result.runs;

    const run = spawnSync(
      PYTHON,
      ['-c', REFERENCE, folder, String(ROWS), String(spec.weightDecay)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const reference = JSON.parse(run.stdout) as {
      loss: number;
      gradientNorm: number;
      eigenvalues: number[];
    };

    assert.equal(result.parameterCount, 2314);
    assert.ok(Math.abs(point.loss - reference.loss) <= 1e-12 * reference.loss);
    const ours = point.hessian!.eigenvalues;
    assert.equal(ours.length, 2314, 'all eigenvalues, from the dense Hessian');
    const scale = Math.max(...reference.eigenvalues.map(Math.abs));
    const worst = Math.max(...ours.map((lambda, i) => Math.abs(lambda - reference.eigenvalues[i])));
    assert.ok(worst <= 1e-10 * scale, `worst difference ${worst} against max|λ| = ${scale}`);
    // PyTorch's stopping point is not a critical point (Adam in float32): the verdict says so,
    // with the gradient's norm torch computes.
    assert.ok(
      Math.abs(point.gradientNorm - reference.gradientNorm) <= 1e-10 * reference.gradientNorm,
    );
    assert.equal(point.verdict.kind, 'not-critical');
    temporary.remove();
  });
});
