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
import math
import struct
import sys
import traceback

import numpy as np
import torch

from losslab_units import LAYERS, NotPermutable, flattened, unit_layers

try:  # torch >= 2.0
    from torch.func import functional_call, grad_and_value, vmap
except ImportError:  # torch 1.13: functorch, and functional_call in torch.nn.utils.stateless
    try:
        from functorch import grad_and_value, vmap
        from torch.nn.utils.stateless import functional_call
    except ImportError:
        functional_call = grad_and_value = vmap = None

torch.set_default_dtype(torch.float64)


class UserError(Exception):
    """A problem of the user's files, said in a sentence (the engine shows it as is)."""

    about = "model"  # the key of the .loss.json the engine points at


class DataError(UserError):
    """A problem of the data: unreadable, or not fitting the module (the engine points at the data)."""

    about = "data"


class LossError(UserError):
    """A problem of the loss function the file names (the engine points at "loss")."""

    about = "loss"


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


def scalar(value):
    """A number for the arrays, not the JSON: JSON has no NaN or ∞, and a module's loss can be
    either (the engine judges it; it must arrive)."""
    return torch.tensor([value], dtype=torch.float64)


def write_frame(stream, message, arrays=None):
    arrays = arrays or {}
    parts = [
        memoryview(np.ascontiguousarray(a.detach().cpu().numpy(), dtype="<f8")).cast("B")
        for a in arrays.values()
    ]
    message = dict(message, arrays=[[name, a.numel()] for name, a in arrays.items()])
    # allow_nan=False: the engine parses strict JSON (numbers that may not be finite go as arrays).
    text = json.dumps(message, allow_nan=False).encode("utf-8")
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
                    raise DataError(f"{source['npz']} has no array '{key}' (it has {', '.join(archive.files)})")
            inputs = torch.from_numpy(np.array(archive[source["inputs"]], dtype=np.float64))
            targets = as_targets(np.array(archive[source["targets"]]))
    elif "file" in source:
        try:
            module = load_file(source["file"])
            function = getattr(module, source["load"], None)
            loaded = None if function is None else function()
        except Exception as error:
            error.losslab_about = "data"  # the data file raised: point at it, not at the model
            raise
        if function is None:
            raise DataError(f"{source['file']} has no function {source['load']}()")
        if not (isinstance(loaded, tuple) and len(loaded) == 2):
            raise DataError(f"{source['load']}() must return (inputs, targets), not {type(loaded).__name__}")
        inputs = torch.as_tensor(loaded[0]).to(torch.float64)
        targets = as_targets(np.asarray(torch.as_tensor(loaded[1]).cpu()))
    else:
        inputs = arrays["inputs"].reshape(request["inputShape"])
        targets = arrays["targets"].reshape(request["targetShape"])
    if inputs.shape[0] != targets.shape[0]:
        raise DataError(f"{inputs.shape[0]} inputs but {targets.shape[0]} targets")
    if inputs.shape[0] == 0:
        raise DataError("the dataset has no rows")
    return inputs, targets


def as_targets(array):
    """Targets as a tensor of their own shape: integers (class labels) as int64, anything else
    as float64. A loss function of the user's gets them so; the engine's losses read them as
    float64 rows."""
    if np.issubdtype(array.dtype, np.integer):
        return torch.from_numpy(array.astype(np.int64))
    return torch.from_numpy(array.astype(np.float64))


def fit_targets(loss, outputs, targets):
    """The targets as the loss reads them: class indices (one column) become one-hot rows for
    cross-entropy, as the engine does for a declared model; any other shape must match."""
    classes = outputs.shape[1] if outputs.dim() == 2 else None
    if loss == "cross-entropy" and classes and classes > 1 and targets.shape[1] == 1:
        labels = targets[:, 0]
        if not torch.equal(labels, labels.round()) or labels.min() < 0 or labels.max() >= classes:
            raise DataError(
                f"cross-entropy's targets are class indices 0…{classes - 1} (the module has {classes} outputs), "
                f"but they hold {labels.min().item():g}…{labels.max().item():g}"
            )
        return torch.nn.functional.one_hot(labels.long(), classes).to(torch.float64)
    if outputs[0].numel() != targets.shape[1]:
        raise DataError(
            f"the module gives {outputs[0].numel()} outputs per row ({shape_text(outputs.shape[1:])}), "
            f"the data has {targets.shape[1]} target values per row"
        )
    return targets


def shape_text(shape):
    return "[" + ", ".join(str(n) for n in shape) + "]"


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


def bce(outputs, targets):
    """Binary cross-entropy on σ(z) of the outputs z, stable: Σ softplus(z) − y·z."""
    z = outputs.reshape(targets.shape)
    return (torch.nn.functional.softplus(z) - targets * z).sum()


def huber(outputs, targets):
    """δ = 1, as torch.nn.HuberLoss, summed: divided by N by the caller."""
    return torch.nn.functional.huber_loss(outputs.reshape(targets.shape), targets, reduction="sum", delta=1.0)


LOSSES = {"mse": mse, "cross-entropy": cross_entropy, "bce": bce, "huber": huber}


def loss_function(path, name):
    """The user's loss_fn(outputs, targets) from `path`: the mean over the rows it is given, as
    PyTorch's losses are with reduction="mean". Returned as the sum over those rows (mean ×
    rows), as the engine's own losses are, so chunks add up to the whole dataset's loss."""
    try:
        function = getattr(load_file(path), name, None)
    except Exception as error:
        error.losslab_about = "loss"
        raise
    if not callable(function):
        raise LossError(f"{path} has no function {name}(outputs, targets)")

    def summed(outputs, targets):
        try:
            value = function(outputs, targets)
        except Exception as error:
            error.losslab_about = "loss"  # the loss function raised: point at it
            raise
        if not isinstance(value, torch.Tensor) or value.dim() != 0:
            shape = f"a tensor of shape {shape_text(value.shape)}" if isinstance(value, torch.Tensor) else f"a {type(value).__name__}"
            raise LossError(f"{name}(outputs, targets) must return a scalar tensor (the mean over the rows), not {shape}")
        return value * outputs.shape[0]

    return summed


def check_row_mean(loss, model, inputs, targets, name, dtype):
    """The engine adds the loss up chunk by chunk, which is exact only for a mean over rows: on
    up to 64 rows, the loss of all of them must be the row-weighted mean of their two halves'."""
    rows = min(inputs.shape[0], 64)
    if rows < 2:
        return
    half = rows // 2
    with torch.no_grad():
        outputs = model(inputs[:rows])
        whole = loss(outputs, targets[:rows]).item()
        first = loss(outputs[:half], targets[:half]).item()
        second = loss(outputs[half:], targets[half:rows]).item()
    tolerance = (1e-10 if dtype == torch.float64 else 1e-4) * max(1.0, abs(whole))
    if not abs(whole - (first + second)) <= tolerance:
        raise LossError(
            f"{name}(outputs, targets) is not a mean over the rows it is given: on the first {rows} rows it is "
            f"{whole / rows:.6g}, but on their two halves {first / half:.6g} and {second / (rows - half):.6g}, "
            f"which average to {(first + second) / rows:.6g}. The engine adds it up chunk by chunk over the whole "
            f"dataset, so it must be one (PyTorch's losses with reduction='mean' are, 'sum' is not)"
        )

ACTIVATIONS = {
    torch.nn.Tanh: "tanh",
    torch.nn.Sigmoid: "sigmoid",
    torch.nn.ReLU: "relu",
    torch.nn.Softplus: "softplus",
    torch.nn.SiLU: "silu",
    torch.nn.Identity: "linear",
}


def sequential_layers(model, input_shape):
    """The module as the engine's declared MLP, when it is one: an nn.Sequential of Linear
    layers, each followed by at most one elementwise activation, on flat inputs. Then hidden
    units can be permuted as for a declared MLP. Otherwise (None, the reason)."""
    if not isinstance(model, torch.nn.Sequential):
        return None, f"the module is a {type(model).__name__}, not an nn.Sequential of Linear layers and activations"
    if len(input_shape) != 2:
        return None, f"its inputs are {shape_text(input_shape[1:])} per row, not flat vectors"
    layers = []
    for index, child in enumerate(model):
        if isinstance(child, torch.nn.Linear):
            layers.append({"units": child.out_features, "bias": child.bias is not None, "activation": "linear"})
        elif type(child) in ACTIVATIONS and layers and layers[-1]["activation"] == "linear":
            if type(child) is torch.nn.Softplus and (child.beta != 1 or child.threshold != 20):
                return None, f"layer {index} is a Softplus with other settings than the engine's"
            layers[-1]["activation"] = ACTIVATIONS[type(child)]
        else:
            return None, f"layer {index} is a {type(child).__name__}, which the permutations of hidden units do not cover yet"
    if not layers:
        return None, "the nn.Sequential is empty"
    return layers, None


def permutable_units(model, sample):
    """Where the module's permutable units sit (losslab_units), or (None, why not)."""
    try:
        return unit_layers(model, sample), None
    except NotPermutable as reason:
        return None, str(reason)
    except Exception as error:  # a child that cannot run on its own: not a plain stack
        return None, f"its layers cannot be run one after another ({type(error).__name__}: {error})"


# Samples up to which the gradient's graphs at a point are kept between products (a 2,314-
# parameter CNN on 1,797 digits: 30 MB; a ResNet-20 on 512 CIFAR images: a few GB).
GRAPH_ROWS = 4096


class Session:
    """One model on one dataset."""

    def __init__(self, request, arrays):
        self.dtype = DTYPES[request.get("dtype", "float64")]
        self.device = resolve_device(request.get("device", "cpu"))
        # Tensors the user's code makes are in the module's precision.
        torch.set_default_dtype(self.dtype)
        # The module's own initialization, made deterministic by the run's seed.
        torch.manual_seed(int(request.get("seed", 0)))
        self.model = load_module(request["file"], request["build"], request.get("args", {}))
        self.model = self.model.to(device=self.device, dtype=self.dtype)
        self.model.eval()
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        self.names = [name for name, p in self.model.named_parameters() if p.requires_grad]
        inputs, targets = load_data(request, arrays)
        self.inputs = inputs.to(device=self.device, dtype=self.dtype)
        self.samples = self.inputs.shape[0]
        self.chunk = int(request.get("chunk", 1024))
        self.custom_loss = request["loss"] == "pytorch"
        if self.custom_loss:
            self.loss = loss_function(request["lossFile"], request["lossFunction"])
        elif request["loss"] in LOSSES:
            self.loss = LOSSES[request["loss"]]
        else:
            raise UserError(f"unknown loss {request['loss']}")
        self.count = sum(p.numel() for p in self.params)
        self.request = request
        self.vectorizable = vmap is not None
        # The gradient's graphs at one θ, kept for the products that follow (see gradient_graphs).
        self.graph_theta, self.graphs = None, None
        self.return_data = bool(request.get("returnData", False))
        try:
            with torch.no_grad():
                outputs = self.model(self.inputs[:1])
        except Exception as error:
            raise DataError(
                f"the module cannot take the data's inputs ({shape_text(self.inputs.shape[1:])} per row): "
                f"{type(error).__name__}: {error}"
            ) from error
        if not isinstance(outputs, torch.Tensor):
            raise UserError(f"the module's forward() returned a {type(outputs).__name__}, not a tensor")
        self.output_shape = list(outputs.shape[1:])
        if self.custom_loss:  # as the data gave them: class labels stay integers
            self.targets = targets.to(self.device, self.dtype if targets.is_floating_point() else torch.int64)
            check_row_mean(self.loss, self.model, self.inputs, self.targets, request["lossFunction"], self.dtype)
        else:
            self.targets = fit_targets(request["loss"], outputs.reshape(1, -1), targets.to(torch.float64).reshape(self.samples, -1)).to(
                device=self.device, dtype=self.dtype
            )
        self.layers, self.not_sequential = sequential_layers(self.model, self.inputs.shape)
        self.units, self.not_permutable = permutable_units(self.model, self.inputs[:1])

    def describe(self):
        names = []
        for name, p in zip(self.names, self.params):
            names.extend(f"{name}{index_suffix(p.shape, k)}" for k in range(p.numel()))
        theta = torch.nn.utils.parameters_to_vector(self.params).detach()
        message = {
            "inputShape": list(self.inputs.shape),
            "targetShape": list(self.targets.reshape(self.samples, -1).shape),
            "lossUnit": self.loss_unit() if self.custom_loss else None,
            "outputShape": self.output_shape,
            "parameterCount": self.count,
            "parameterNames": names,
            "tensors": [{"name": n, "shape": list(p.shape)} for n, p in zip(self.names, self.params)],
            "sequential": self.layers,
            "notSequential": self.not_sequential,
            "permutable": self.units,
            "notPermutable": self.not_permutable,
            "module": type(self.model).__name__,
            "device": str(self.device),
        }
        arrays = {"theta": theta, "targets": self.targets.reshape(-1).to("cpu", torch.float64)}
        if self.return_data:
            arrays["inputs"] = self.inputs.reshape(-1)
        return message, arrays

    def loss_unit(self):
        """The loss of the zero predictor (all outputs 0): the problem's unit of loss, which
        relative tolerances are measured in, as for the engine's own losses; 1 when that is
        not a positive number."""
        total = 0.0
        with torch.no_grad():
            for _, y in self.chunks():
                zeros = torch.zeros([y.shape[0]] + self.output_shape, device=self.device, dtype=self.dtype)
                total += self.loss(zeros, y).item() / self.samples
        return total if math.isfinite(total) and total > 0 else 1.0

    def initialize(self, seed):
        """θ of the module built afresh under torch.manual_seed(seed): its own initialization."""
        torch.manual_seed(int(seed))
        fresh = load_module(self.request["file"], self.request["build"], self.request.get("args", {}))
        fresh = fresh.to(device=self.device, dtype=self.dtype)
        params = [p for p in fresh.parameters() if p.requires_grad]
        return torch.nn.utils.parameters_to_vector(params).detach()

    def batch_loss_and_gradient(self, theta, rows):
        """The loss and gradient on the rows listed: a minibatch, as the engine's sgd asks."""
        self.set_theta(theta)
        index = rows.long().to(self.device)
        value = self.loss(self.model(self.inputs[index]), self.targets[index]) / len(index)
        grads = torch.autograd.grad(value, self.params)
        return value.item(), host(grads, self.params)

    def predict(self, theta, inputs):
        """The module's outputs on the given rows (flattened), chunk by chunk."""
        self.set_theta(theta)
        rows = inputs.reshape([-1] + list(self.inputs.shape[1:])).to(device=self.device, dtype=self.dtype)
        with torch.no_grad():
            return torch.cat([self.model(rows[s : s + self.chunk]).reshape(-1) for s in range(0, rows.shape[0], self.chunk)])

    def set_theta(self, theta):
        """θ (float64, from the engine) into the module, in its precision and on its device."""
        # A kept graph saved the parameters themselves: once they change it is stale.
        if self.graph_theta is not None and not torch.equal(self.graph_theta, theta):
            self.graph_theta, self.graphs = None, None
        with torch.no_grad():
            torch.nn.utils.vector_to_parameters(theta.to(device=self.device, dtype=self.dtype), self.params)

    def gradient_graphs(self, theta):
        """The gradient of each chunk's loss at θ, with its graph, for products H·v = ∇(∇L·v).
        Lanczos, the density and the trace ask for hundreds of products at one point, so the
        graphs are kept while θ stays (as PyHessian keeps its one graph): a product is then one
        backward pass instead of a forward and two backward passes. Kept only up to
        GRAPH_ROWS samples; beyond, one chunk's graph at a time, so memory stays bounded."""
        self.set_theta(theta)
        if self.graphs is not None:
            return self.graphs
        graphs = (
            torch.autograd.grad(self.chunk_loss(x, y), self.params, create_graph=True) for x, y in self.chunks()
        )
        if self.samples > GRAPH_ROWS:
            return graphs
        self.graph_theta, self.graphs = theta.clone(), list(graphs)
        return self.graphs

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
        # Sums over chunks in float64, whatever the module's precision.
        total, gradient = 0.0, torch.zeros(self.count, dtype=torch.float64)
        for x, y in self.chunks():
            value = self.chunk_loss(x, y)
            grads = torch.autograd.grad(value, self.params)
            gradient += host(grads, self.params)
            total += value.item()
        return total, gradient

    def losses_and_gradients(self, thetas):
        """The loss and gradient at each of k points θ (rows of `thetas`): vectorized over the
        points with vmap where the module allows it, else one after another."""
        k = thetas.shape[0]
        if self.vectorizable:
            try:
                return self.vectorized_losses_and_gradients(thetas)
            except Exception:  # a module vmap cannot batch (in-place ops, data-dependent flow):
                self.vectorizable = False  # not tried again on every request
        pairs = [self.loss_and_gradient(thetas[i]) for i in range(k)]
        return torch.tensor([v for v, _ in pairs], dtype=torch.float64), torch.stack([g for _, g in pairs])

    def vectorized_losses_and_gradients(self, thetas):
        shapes = [p.shape for p in self.params]
        sizes = [p.numel() for p in self.params]

        def loss_at(flat, x, y):
            pieces = torch.split(flat, sizes)
            params = {n: t.reshape(s) for n, t, s in zip(self.names, pieces, shapes)}
            return self.loss(functional_call(self.model, params, (x,)), y) / self.samples

        batched = vmap(grad_and_value(loss_at), in_dims=(0, None, None))
        points = thetas.to(device=self.device, dtype=self.dtype)
        gradients = torch.zeros(thetas.shape, dtype=torch.float64)
        losses = torch.zeros(thetas.shape[0], dtype=torch.float64)
        for x, y in self.chunks():
            g, v = batched(points, x, y)
            gradients += g.to("cpu", torch.float64)
            losses += v.to("cpu", torch.float64)
        return losses, gradients

    def train(self, theta, request):
        """Full-batch training with torch.optim from θ: the gradient over the whole dataset
        (accumulated chunk by chunk) before every step. Returns the loss before each step, θ
        at the end, and θ every `every` steps (snapshots, back to back)."""
        self.set_theta(theta)
        self.graph_theta, self.graphs = None, None  # the steps change the parameters in place
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
        return {"theta": theta, "losses": torch.tensor(losses, dtype=torch.float64), "snapshots": snapshots}

    def plane_losses(self, center, x, y, alphas, betas):
        """L at center + a·x + b·y for each b in `betas` (rows) and a in `alphas` (columns).
        Chunks of the data are the outer loop and the points the inner one, so each chunk's
        first layer is computed once for the whole grid when the plane trick applies."""
        losses = torch.zeros(len(betas), len(alphas), dtype=torch.float64)
        first = self.first_affine_layer()
        with torch.no_grad():
            for rows, targets in self.chunks():
                if first is not None:
                    along = first_layer_outputs(first, rows, (center, x, y), self.params, self.dtype, self.device)
                    # One buffer for every point: a fresh tensor of this size per point costs
                    # more in page faults than the sum itself.
                    combined = torch.empty_like(along[0])
                for i, b in enumerate(betas):
                    for j, a in enumerate(alphas):
                        self.set_theta(center + a * x + b * y)
                        if first is None:
                            outputs = self.model(rows)
                        else:  # the first layer's output is affine in its parameters
                            outputs = torch.add(along[0], along[1], alpha=a, out=combined).add_(along[2], alpha=b)
                            for child in first["above"]:
                                outputs = child(outputs)
                        losses[i, j] += self.loss(outputs, targets).item() / self.samples
        return losses

    def first_affine_layer(self):
        """When the module is an nn.Sequential whose first layer with parameters is a Linear
        layer or a convolution (after parameter-free modules only), that layer and what lies
        below and above it: its output is then affine in its weight and bias, so on a plane
        it is three outputs combined (as the engine's MLPs do); else None."""
        if not isinstance(self.model, torch.nn.Sequential):
            return None
        children = [child for _, child in flattened(self.model)]
        for k, child in enumerate(children):
            if not any(True for _ in child.parameters()):
                continue
            owned = {id(p) for p in child.parameters()}
            params = [index for index, p in enumerate(self.params) if id(p) in owned]
            if not isinstance(child, LAYERS) or len(params) != len(owned):
                return None
            return {"below": children[:k], "layer": child, "params": params, "above": children[k + 1 :]}
        return None

    def hessian_vector_product(self, theta, v):
        """H·v by double backward, chunk by chunk: ∇(∇L·v)."""
        pieces = vector_pieces(v.to(device=self.device, dtype=self.dtype), self.params)
        product = torch.zeros(self.count, dtype=torch.float64)
        for grads in self.gradient_graphs(theta):
            directional = sum((g * p).sum() for g, p in zip(grads, pieces))
            hv = torch.autograd.grad(directional, self.params, retain_graph=True, allow_unused=True)
            product += host(hv, self.params)
        return product

    def hessian(self, theta):
        """The dense Hessian, row by row: one backward pass of the gradient's graph per unit
        vector, chunk by chunk. A loop, not is_grads_batched: vmap over the backward pass was
        2.8× slower on a tanh MLP and 3.6× slower on a CNN (P ≈ 2000, torch 1.13, 2 cores),
        and forward-over-reverse is not implemented for log_softmax there."""
        matrix = torch.zeros(self.count, self.count, dtype=torch.float64)
        unit = torch.zeros(self.count, device=self.device, dtype=self.dtype)
        for grads in self.gradient_graphs(theta):
            flat = torch.cat([g.reshape(-1) for g in grads])
            for row in range(self.count):
                unit[row] = 1
                rows = torch.autograd.grad(flat, self.params, unit, retain_graph=True, allow_unused=True)
                unit[row] = 0
                matrix[row] += host(rows, self.params)
        return matrix.reshape(-1)


DTYPES = {"float64": torch.float64, "float32": torch.float32}


def first_layer_outputs(first, rows, vectors, params, dtype, device):
    """The first layer's output on `rows` with its weight and bias taken from each of the
    float64 vectors (the plane's centre and its two directions)."""
    offsets = np.cumsum([0] + [p.numel() for p in params])
    inputs = rows
    for child in first["below"]:
        inputs = child(inputs)
    layer, outputs = first["layer"], []
    for vector in vectors:
        pieces = {
            id(params[index]): vector[offsets[index] : offsets[index + 1]].reshape(params[index].shape).to(device, dtype)
            for index in first["params"]
        }
        weight = pieces[id(layer.weight)]
        bias = pieces.get(id(layer.bias)) if layer.bias is not None else None
        if isinstance(layer, torch.nn.Linear):
            outputs.append(torch.nn.functional.linear(inputs, weight, bias))
        else:
            outputs.append(layer._conv_forward(inputs, weight, bias))
    return outputs


def resolve_device(name):
    """"cpu", "cuda" (which must be there), or "auto": a GPU when torch has one."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise UserError(
            f'"device": "cuda", but torch {torch.__version__} sees no CUDA device here '
            '(torch.cuda.is_available() is False): use "cpu", or "auto" to take a GPU only when there is one'
        )
    return torch.device(name)


def host(tensors, params):
    """Per-parameter tensors (None where a parameter had no effect) as one float64 vector on
    the CPU: what the engine receives, and what chunk sums are accumulated in."""
    return torch.cat(
        [
            torch.zeros(p.numel(), dtype=torch.float64) if t is None else t.reshape(-1).to("cpu", torch.float64)
            for t, p in zip(tensors, params)
        ]
    )


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
                if "threads" in request:
                    torch.set_num_threads(max(1, int(request["threads"])))
                session = Session(request, arrays)
                message, values = session.describe()
                write_frame(stdout, dict(message, ok=True), values)
            elif session is None:
                raise UserError("no model loaded")
            elif op == "loss":
                write_frame(stdout, {"ok": True}, {"loss": scalar(session.loss_value(arrays["theta"]))})
            elif op == "lossAndGradient":
                loss, gradient = session.loss_and_gradient(arrays["theta"])
                write_frame(stdout, {"ok": True}, {"loss": scalar(loss), "gradient": gradient})
            elif op == "hessianVectorProduct":
                product = session.hessian_vector_product(arrays["theta"], arrays["v"])
                write_frame(stdout, {"ok": True}, {"product": product})
            elif op == "lossesAndGradients":
                p = session.count
                losses, gradients = session.losses_and_gradients(arrays["thetas"].reshape(-1, p))
                write_frame(stdout, {"ok": True}, {"losses": losses, "gradients": gradients.reshape(-1)})
            elif op == "initialize":
                write_frame(stdout, {"ok": True}, {"theta": session.initialize(request["seed"])})
            elif op == "batchLossAndGradient":
                loss, gradient = session.batch_loss_and_gradient(arrays["theta"], arrays["rows"])
                write_frame(stdout, {"ok": True}, {"loss": scalar(loss), "gradient": gradient})
            elif op == "predict":
                write_frame(stdout, {"ok": True}, {"outputs": session.predict(arrays["theta"], arrays["inputs"])})
            elif op == "train":
                write_frame(stdout, {"ok": True}, session.train(arrays["theta"], request))
            elif op == "planeLosses":
                losses = session.plane_losses(
                    arrays["center"], arrays["x"], arrays["y"], request["alphas"], request["betas"]
                )
                write_frame(stdout, {"ok": True}, {"losses": losses.reshape(-1)})
            elif op == "hessian":
                write_frame(stdout, {"ok": True}, {"hessian": session.hessian(arrays["theta"])})
            else:
                raise UserError(f"unknown request {op}")
        except UserError as error:
            write_frame(stdout, {"ok": False, "error": str(error), "about": error.about})
        except MemoryError:
            write_frame(stdout, {"ok": False, "error": "the worker ran out of memory", "about": "memory"})
        except Exception as error:  # the user's code raised: its traceback goes with it
            if "can't allocate memory" in str(error) or "out of memory" in str(error):
                write_frame(stdout, {"ok": False, "error": f"the worker ran out of memory: {error}", "about": "memory"})
                continue
            write_frame(
                stdout,
                {
                    "ok": False,
                    "error": f"{type(error).__name__}: {error}",
                    "about": getattr(error, "losslab_about", "model"),
                    "traceback": traceback.format_exc(),
                },
            )


if __name__ == "__main__":
    main()
