"""Makes the digits CNN example's data and weights:
- examples/digits-cnn.npz: scikit-learn's bundled copy of the UCI optical recognition of
  handwritten digits (1797 images of 8×8; CC BY 4.0, Alpaydin & Kaynak), pixels / 16;
- examples/digits-cnn.safetensors: the CNN of examples/digits-cnn.py trained the way most users
  train, in float32 with torch.optim.Adam and weight decay, full batch.

The example ships both, so it runs without scikit-learn. Run once with Debian's python3-torch,
python3-numpy and python3-sklearn: python3 scripts/make-digits-example.py
"""
import importlib.util
import json
import struct
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits

root = Path(__file__).resolve().parent.parent / "examples"
digits = load_digits()
# Pixel values are 0…16: dividing by 16 is exact, so the images are the same in any precision.
images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]  # N × 1 × 8 × 8
labels = digits.target.astype(np.int64)
np.savez_compressed(root / "digits-cnn.npz", images=images, labels=labels)

spec = importlib.util.spec_from_file_location("digits_cnn", root / "digits-cnn.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
args = json.loads((root / "digits-cnn.loss.json").read_text())["model"]["pytorch"]["args"]
weight_decay = json.loads((root / "digits-cnn.loss.json").read_text())["weightDecay"]

torch.manual_seed(0)
model = module.make_model(**args)
X, Y = torch.from_numpy(images), torch.from_numpy(labels)
# torch's weight_decay adds λθ to the gradient: the gradient of the file's (λ/2)‖θ‖².
optimizer = torch.optim.Adam(model.parameters(), lr=0.003, weight_decay=weight_decay)
for epoch in range(1500):
    optimizer.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(X), Y)
    loss.backward()
    optimizer.step()

header, blobs, offset = {}, [], 0
for name, tensor in model.state_dict().items():
    data = tensor.detach().contiguous().numpy().astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"format": "pt", "made_by": "torch " + torch.__version__}
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open(root / "digits-cnn.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
accuracy = (model(X).argmax(1) == Y).double().mean().item()
print(f"cross-entropy {loss.item():.6g}, training accuracy {accuracy:.4f}")
