"""Loss Landscape Lab's PyTorch worker: the loss of a torch.nn.Module over a dataset, as a
function of its flattened parameters θ, with exact derivatives (PyTorch's autograd).

The engine starts it with the interpreter it found and speaks frames on stdin/stdout (see
src/engine/torch/frames.ts): an 8-byte header (JSON length, payload length; little-endian
uint32), the JSON, then the float64 arrays the JSON lists in "arrays" as raw bytes.

Every quantity is over the whole dataset, accumulated in chunks of rows so that memory stays
bounded: never a minibatch estimate. It reads no file but the model file it is told to load.
"""

import importlib.util
import json
import struct
import sys
import traceback

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


class UserError(Exception):
    """A problem of the user's files, said in a sentence (the engine shows it as is)."""


def read_exact(stream, count):
    """Exactly `count` bytes, read into one buffer (None at the end of the stream)."""
    data = bytearray(count)
    view, filled = memoryview(data), 0
    while filled < count:
        got = stream.readinto(view[filled:])
        if not got:
            return None
        filled += got
    return data


# The engine's own limits (src/engine/torch/frames.ts): a header beyond them is not a frame.
MAX_JSON_BYTES = 1 << 24
MAX_PAYLOAD_BYTES = 8 * 16384 * 16384


class BrokenStream(Exception):
    """What came in is not a frame: nothing after it can be trusted."""


def read_frame(stream):
    header = read_exact(stream, 8)
    if header is None:
        return None
    json_bytes, payload_bytes = struct.unpack("<II", header)
    if json_bytes > MAX_JSON_BYTES or payload_bytes > MAX_PAYLOAD_BYTES or payload_bytes % 8:
        raise BrokenStream(f"a frame header that cannot be right ({json_bytes}, {payload_bytes})")
    text = read_exact(stream, json_bytes)
    payload = read_exact(stream, payload_bytes) if payload_bytes else bytearray()
    if text is None or payload is None:
        return None  # the stream ended inside a frame: the engine is gone
    try:
        message = json.loads(text.decode("utf-8"))
        listed = message["arrays"]
        if sum(8 * length for _, length in listed) != payload_bytes:
            raise ValueError("arrays that do not add up to the payload")
    except Exception as error:
        raise BrokenStream(f"a frame that does not parse: {error}") from error
    arrays, offset = {}, 0
    for name, length in message.get("arrays", []):
        # A view of the frame's own buffer: no copy.
        values = np.frombuffer(payload, dtype="<f8", count=length, offset=offset)
        arrays[name] = torch.from_numpy(values)
        offset += 8 * length
    return message, arrays


def write_frame(stream, message, arrays=None):
    arrays = arrays or {}
    parts = [
        memoryview(np.ascontiguousarray(a.detach().cpu().numpy(), dtype="<f8")).cast("B")
        for a in arrays.values()
    ]
    message = dict(message, arrays=[[name, a.numel()] for name, a in arrays.items()])
    text = json.dumps(message).encode("utf-8")
    stream.write(struct.pack("<II", len(text), sum(p.nbytes for p in parts)))
    stream.write(text)
    for part in parts:
        stream.write(part)
    stream.flush()


def load_module(path, build, args):
    module = load_file(path)
    if not hasattr(module, build):
        raise UserError(f"{path} has no function {build}()")
    model = getattr(module, build)(**args)
    if not isinstance(model, torch.nn.Module):
        raise UserError(f"{build}() returned a {type(model).__name__}, not a torch.nn.Module")
    return model


def load_data(request, arrays):
    """The dataset: sent by the engine (CSV data, as arrays with their shapes), read from an
    .npz (arrays of any shape, never unpickled), or returned by a function of a data file."""
    source = request.get("data", {"arrays": True})
    if "npz" in source:
        with np.load(source["npz"], allow_pickle=False) as archive:
            for key in (source["inputs"], source["targets"]):
                if key not in archive.files:
                    raise UserError(f"{source['npz']} has no array '{key}' (it has {', '.join(archive.files)})")
            inputs = torch.from_numpy(np.array(archive[source["inputs"]], dtype=np.float64))
            targets = torch.from_numpy(np.array(archive[source["targets"]], dtype=np.float64))
    elif "file" in source:
        module = load_file(source["file"])
        if not hasattr(module, source["load"]):
            raise UserError(f"{source['file']} has no function {source['load']}()")
        loaded = getattr(module, source["load"])()
        if not (isinstance(loaded, tuple) and len(loaded) == 2):
            raise UserError(f"{source['load']}() must return (inputs, targets), not {type(loaded).__name__}")
        inputs, targets = (torch.as_tensor(t).to(torch.float64) for t in loaded)
    else:
        inputs = arrays["inputs"].reshape(request["inputShape"])
        targets = arrays["targets"].reshape(request["targetShape"])
    if inputs.shape[0] != targets.shape[0]:
        raise UserError(f"{inputs.shape[0]} inputs but {targets.shape[0]} targets")
    return inputs, targets.reshape(targets.shape[0], -1)


def load_file(path):
    spec = importlib.util.spec_from_file_location("losslab_user_file", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mse(outputs, targets):
    """Σ over rows and outputs of the squared error: divided by N by the caller."""
    return ((outputs - targets.reshape(outputs.shape)) ** 2).sum()


def cross_entropy(outputs, targets):
    """−Σ y·log softmax over rows (targets one-hot or probabilities): divided by N."""
    return -(targets.reshape(outputs.shape) * torch.log_softmax(outputs, dim=1)).sum()


LOSSES = {"mse": mse, "cross-entropy": cross_entropy}


class Session:
    """One model on one dataset."""

    def __init__(self, request, arrays):
        # The module's own initialization, made deterministic by the run's seed.
        torch.manual_seed(int(request.get("seed", 0)))
        self.model = load_module(request["file"], request["build"], request.get("args", {}))
        self.model = self.model.to(torch.float64)
        self.model.eval()
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        self.names = [name for name, p in self.model.named_parameters() if p.requires_grad]
        self.inputs, self.targets = load_data(request, arrays)
        self.samples = self.inputs.shape[0]
        self.chunk = int(request.get("chunk", 1024))
        if request["loss"] not in LOSSES:
            raise UserError(f"unknown loss {request['loss']}")
        self.loss = LOSSES[request["loss"]]
        self.count = sum(p.numel() for p in self.params)

    def describe(self):
        names = []
        for name, p in zip(self.names, self.params):
            names.extend(f"{name}{index_suffix(p.shape, k)}" for k in range(p.numel()))
        theta = torch.nn.utils.parameters_to_vector(self.params).detach()
        shapes = {"inputShape": list(self.inputs.shape), "targetShape": list(self.targets.shape)}
        return dict(shapes, parameterCount=self.count, parameterNames=names), {"theta": theta}

    def set_theta(self, theta):
        with torch.no_grad():
            torch.nn.utils.vector_to_parameters(theta, self.params)

    def chunks(self):
        for start in range(0, self.samples, self.chunk):
            stop = min(start + self.chunk, self.samples)
            yield self.inputs[start:stop], self.targets[start:stop]

    def chunk_loss(self, x, y):
        return self.loss(self.model(x), y) / self.samples

    def loss_value(self, theta):
        self.set_theta(theta)
        with torch.no_grad():
            return sum(self.chunk_loss(x, y).item() for x, y in self.chunks())

    def loss_and_gradient(self, theta):
        self.set_theta(theta)
        total, gradient = 0.0, torch.zeros(self.count)
        for x, y in self.chunks():
            value = self.chunk_loss(x, y)
            grads = torch.autograd.grad(value, self.params)
            gradient += torch.cat([g.reshape(-1) for g in grads])
            total += value.item()
        return total, gradient

    def train(self, theta, request):
        """Full-batch training with torch.optim from θ: the gradient over the whole dataset
        (accumulated chunk by chunk) before every step. Returns the loss before each step, θ
        at the end, and θ every `every` steps (snapshots, back to back)."""
        self.set_theta(theta)
        optimizer = make_optimizer(request["optimizer"], self.params, request["learningRate"], request.get("settings", {}))
        every = int(request.get("every", 0))
        losses, snapshots = [], []
        for step in range(int(request["steps"])):
            optimizer.zero_grad()
            total = 0.0
            for x, y in self.chunks():
                value = self.chunk_loss(x, y)
                value.backward()
                total += value.item()
            losses.append(total)
            if every and step % every == 0:
                snapshots.append(torch.nn.utils.parameters_to_vector(self.params).detach().clone())
            optimizer.step()
        theta = torch.nn.utils.parameters_to_vector(self.params).detach()
        snapshots = torch.cat(snapshots) if snapshots else torch.zeros(0)
        return {"theta": theta, "losses": torch.tensor(losses), "snapshots": snapshots}

    def hessian_vector_product(self, theta, v):
        """H·v by double backward, chunk by chunk: ∇(∇L·v)."""
        self.set_theta(theta)
        pieces = vector_pieces(v, self.params)
        product = torch.zeros(self.count)
        for x, y in self.chunks():
            grads = torch.autograd.grad(self.chunk_loss(x, y), self.params, create_graph=True)
            directional = sum((g * p).sum() for g, p in zip(grads, pieces))
            hv = torch.autograd.grad(directional, self.params)
            product += torch.cat([h.reshape(-1) for h in hv])
        return product

    def hessian(self, theta, block=64):
        """The dense Hessian, rows by blocks of unit vectors (batched double backward)."""
        self.set_theta(theta)
        matrix = torch.zeros(self.count, self.count)
        for x, y in self.chunks():
            grads = torch.autograd.grad(self.chunk_loss(x, y), self.params, create_graph=True)
            flat = torch.cat([g.reshape(-1) for g in grads])
            for start in range(0, self.count, block):
                stop = min(start + block, self.count)
                units = torch.zeros(stop - start, self.count)
                units[torch.arange(stop - start), torch.arange(start, stop)] = 1
                rows = torch.autograd.grad(
                    flat, self.params, units, retain_graph=True, is_grads_batched=True
                )
                matrix[start:stop] += torch.cat([r.reshape(stop - start, -1) for r in rows], dim=1)
        return matrix.reshape(-1)


def make_optimizer(name, params, learning_rate, settings):
    """torch.optim's optimizers, with the settings the engine's own use (FORMAT.md)."""
    if name == "gd":
        return torch.optim.SGD(params, lr=learning_rate)
    if name == "momentum":
        return torch.optim.SGD(params, lr=learning_rate, momentum=settings.get("momentum", 0.9))
    if name == "adam":
        betas = (settings.get("beta1", 0.9), settings.get("beta2", 0.999))
        return torch.optim.Adam(params, lr=learning_rate, betas=betas, eps=settings.get("epsilon", 1e-8))
    if name == "rmsprop":
        return torch.optim.RMSprop(
            params, lr=learning_rate, alpha=settings.get("alpha", 0.99), eps=settings.get("epsilon", 1e-8)
        )
    raise UserError(f"unknown optimizer {name}")


def vector_pieces(v, params):
    pieces, offset = [], 0
    for p in params:
        pieces.append(v[offset : offset + p.numel()].reshape(p.shape))
        offset += p.numel()
    return pieces


def index_suffix(shape, k):
    """weight[i][j] for element k of a tensor of this shape (row-major), [] for a scalar."""
    indices = []
    for size in reversed(shape):
        indices.append(k % size)
        k //= size
    return "".join(f"[{i}]" for i in reversed(indices))


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Whatever the user's code prints must not corrupt the frames: it goes to stderr.
    sys.stdout = sys.stderr
    session = None
    while True:
        try:
            frame = read_frame(stdin)
        except BrokenStream as error:
            # Say why, then stop: the engine names the worker's exit with this on its stderr.
            print(f"losslab worker: {error}", file=sys.stderr)
            sys.exit(2)
        if frame is None:
            return
        request, arrays = frame
        try:
            op = request["op"]
            if op == "hello":
                write_frame(stdout, {"ok": True, "torch": torch.__version__})
            elif op == "echo":  # the cost of the round trip alone: the vectors come back
                write_frame(stdout, {"ok": True}, arrays)
            elif op == "load":
                session = Session(request, arrays)
                message, values = session.describe()
                write_frame(stdout, dict(message, ok=True), values)
            elif session is None:
                raise UserError("no model loaded")
            elif op == "loss":
                write_frame(stdout, {"ok": True, "loss": session.loss_value(arrays["theta"])})
            elif op == "lossAndGradient":
                loss, gradient = session.loss_and_gradient(arrays["theta"])
                write_frame(stdout, {"ok": True, "loss": loss}, {"gradient": gradient})
            elif op == "hessianVectorProduct":
                product = session.hessian_vector_product(arrays["theta"], arrays["v"])
                write_frame(stdout, {"ok": True}, {"product": product})
            elif op == "train":
                write_frame(stdout, {"ok": True}, session.train(arrays["theta"], request))
            elif op == "hessian":
                write_frame(stdout, {"ok": True}, {"hessian": session.hessian(arrays["theta"])})
            else:
                raise UserError(f"unknown request {op}")
        except UserError as error:
            write_frame(stdout, {"ok": False, "error": str(error)})
        except Exception as error:  # the user's code raised: its traceback goes with it
            write_frame(
                stdout,
                {
                    "ok": False,
                    "error": f"{type(error).__name__}: {error}",
                    "traceback": traceback.format_exc(),
                },
            )


if __name__ == "__main__":
    main()
