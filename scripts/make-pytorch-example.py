"""Makes examples/pytorch-moons.{csv,safetensors}: a 2-8-1 tanh network trained by PyTorch.

Run once, with a Python that has torch and numpy (Debian: python3-torch), as
python3 scripts/make-pytorch-example.py; the outputs are committed. PyTorch
trains in float32, as most users do; the weights are saved as F32 in the layout of
safetensors.torch.save_file(model.state_dict(), ...), written here by hand with struct so
the script needs only torch and numpy. The metadata records the loss PyTorch computes at
those weights in float64, which the tests compare with the engine's.
"""
import json
import struct
from pathlib import Path

import numpy as np
import torch

root = Path(__file__).resolve().parent.parent / "examples"
rng = np.random.default_rng(7)

# Two interleaved half-moons, 64 points, labels 0 and 1.
n = 64
t = rng.uniform(0, np.pi, n)
label = np.arange(n) % 2
x = np.where(label == 0, np.cos(t), 1 - np.cos(t))
y = np.where(label == 0, np.sin(t), 0.5 - np.sin(t))
inputs = np.stack([x, y], axis=1) + 0.1 * rng.standard_normal((n, 2))
inputs = np.round(inputs, 4)
with open(root / "pytorch-moons.csv", "w") as f:
    f.write("x0,x1,label\n")
    for (a, b), c in zip(inputs, label):
        f.write(f"{a},{b},{c}\n")

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
X = torch.tensor(inputs, dtype=torch.float32)
Y = torch.tensor(label, dtype=torch.float32).unsqueeze(1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
for step in range(1500):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), Y)
    loss.backward()
    optimizer.step()

# The loss at exactly these float32 weights, evaluated in float64.
double = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)).double()
double.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
with torch.no_grad():
    # The inputs as the CSV holds them, parsed to float64 (not X, which was rounded to float32).
    X64 = torch.tensor(inputs, dtype=torch.float64)
    loss64 = torch.nn.functional.mse_loss(double(X64), Y.double()).item()

state = model.state_dict()
header, blobs, offset = {}, [], 0
for name, tensor in state.items():
    data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"format": "pt", "made_by": "torch " + torch.__version__, "mse_float64": repr(loss64)}
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open(root / "pytorch-moons.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print(f"loss (float32 training) {loss.item():.6g}; at the saved weights in float64 {loss64!r}")
