"""Where the permutable units of an nn.Sequential sit: the hidden units of its Linear layers
and the channels of its convolutions, for the engine's search of permuted twins
(src/core/model/units.ts reads what this returns).

Permuting the units of one layer (its weight's rows, its bias, the BatchNorm gain and shift
right after it) and the matching input blocks of the next layer leaves the network's function
unchanged when everything between the two layers acts on each unit alone. Negating a unit
also does when all of that is odd (tanh, identity, average pooling); rescaling a unit by c > 0
when all of it is positively homogeneous (relu, identity, max and average pooling).
"""

import math

import torch
from torch import nn

LAYERS = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d)
BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)
MAX_POOLS = (nn.MaxPool1d, nn.MaxPool2d, nn.MaxPool3d, nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d)
AVERAGE_POOLS = (nn.AvgPool1d, nn.AvgPool2d, nn.AvgPool3d, nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d)
# Identity on each unit in eval mode, where the worker evaluates.
PASS_THROUGH = tuple(
    getattr(nn, name) for name in ("Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d") if hasattr(nn, name)
)
# Elementwise activations: (odd, positively homogeneous).
ACTIVATIONS = {
    nn.Tanh: (True, False),
    nn.Softsign: (True, False),
    nn.ReLU: (False, True),
    nn.LeakyReLU: (False, True),
    nn.Sigmoid: (False, False),
    nn.Softplus: (False, False),
    nn.SiLU: (False, False),
    nn.GELU: (False, False),
    nn.ELU: (False, False),
    nn.Mish: (False, False),
}


def symmetries_of(activation):
    """(odd, positively homogeneous) of an elementwise activation module."""
    if isinstance(activation, nn.Hardtanh):  # odd when its clipping is symmetric
        return activation.min_val == -activation.max_val, False
    return ACTIVATIONS[type(activation)]


class NotPermutable(Exception):
    """Why the module's units cannot be permuted, in a sentence."""


def flattened(model, prefix=""):
    """The children of nested nn.Sequential containers, in order, with their dotted names."""
    for name, child in model.named_children():
        full = f"{prefix}{name}"
        if isinstance(child, nn.Sequential):
            yield from flattened(child, f"{full}.")
        else:
            yield full, child


def unit_layers(model, sample):
    """The permutable layers of `model` on inputs like `sample` (one row): a list of
    {weight, bias, perUnit, units, inputs, block, sign, rescale}, tensor names as in the
    state_dict. Raises NotPermutable with the reason."""
    if not isinstance(model, nn.Sequential):
        raise NotPermutable(f"the module is a {type(model).__name__}, not an nn.Sequential")
    names = {id(p): name for name, p in model.named_parameters()}
    layers = []
    between = None  # what acts on the last layer's units since it: see begin_between
    x = sample
    for name, child in flattened(model):
        shape = list(x.shape[1:])
        if isinstance(child, LAYERS):
            if layers:
                close_between(layers[-1], between, names)
            layers.append(permutable_layer(name, child, shape, layers, names))
            between = {"odd": True, "homogeneous": True, "norm": None, "unknown": None, "touched": False}
        elif isinstance(child, BATCH_NORMS) and between is not None:
            if between["touched"] or between["norm"] is not None:
                raise NotPermutable(f"layer {name} is a {type(child).__name__} that does not follow a layer directly")
            between.update(norm=(name, child), odd=False, homogeneous=False, touched=True)
        elif any(True for _ in child.parameters()) and between is not None:
            raise NotPermutable(f"layer {name} is a {type(child).__name__}, which unit permutations do not cover")
        elif between is None:
            pass  # before the first layer, acting on the data: nothing of it is permuted
        elif type(child) in ACTIVATIONS or isinstance(child, nn.Hardtanh):
            odd, homogeneous = symmetries_of(child)
            between.update(odd=between["odd"] and odd, homogeneous=between["homogeneous"] and homogeneous)
        elif isinstance(child, MAX_POOLS):
            between["odd"] = False
        elif isinstance(child, nn.Flatten) and (child.start_dim != 1 or child.end_dim != -1):
            raise NotPermutable(f"layer {name} flattens dimensions {child.start_dim}…{child.end_dim}, not each row whole")
        elif not isinstance(child, AVERAGE_POOLS + PASS_THROUGH + (nn.Flatten,)):
            # Fine after the output layer, whose units stay; not between two layers.
            between["unknown"] = between["unknown"] or (name, child)
        if between is not None and not isinstance(child, LAYERS):
            between["touched"] = True
        with torch.no_grad():
            x = child(x)
    if len(layers) < 2:
        raise NotPermutable("it has no hidden layer whose units could be permuted")
    return layers


def close_between(layer, between, names):
    """What lies between `layer` and the next layer decides whether its units may be permuted,
    negated or rescaled."""
    if between["unknown"] is not None:
        name, child = between["unknown"]
        raise NotPermutable(f"layer {name} is a {type(child).__name__}, which unit permutations do not cover")
    if between["norm"] is not None:
        add_batch_norm(*between["norm"], layer, names)
    layer.update(sign=between["odd"], rescale=between["homogeneous"])


def permutable_layer(name, child, shape, layers, names):
    """One Linear or convolution: its units, and how its weight's columns group by the units
    of the layer below (one column each after a Linear, a kernel after a convolution, a
    channel's positions after a convolution and a Flatten)."""
    if isinstance(child, nn.Linear):
        if len(shape) != 1:
            raise NotPermutable(f"layer {name} is a Linear on rows of shape {tuple(shape)}, not flat rows")
        units, columns, channels = child.out_features, child.in_features, None
    else:
        if child.groups != 1:
            raise NotPermutable(f"layer {name} is a grouped convolution (groups={child.groups})")
        units, channels = child.out_channels, child.in_channels
        columns = channels * math.prod(child.kernel_size)
    below = layers[-1]["units"] if layers else None
    if below is not None and (columns % below != 0 or (channels is not None and channels != below)):
        raise NotPermutable(f"layer {name}'s inputs do not split by the {below} units of the layer below")
    if not child.weight.requires_grad or (child.bias is not None and not child.bias.requires_grad):
        raise NotPermutable(f"layer {name} has frozen parameters (requires_grad=False)")
    return {
        "weight": names[id(child.weight)],
        "bias": names[id(child.bias)] if child.bias is not None else None,
        "perUnit": [],
        "units": units,
        "inputs": below if below is not None else columns,
        "block": columns // below if below is not None else 1,
        "sign": False,
        "rescale": False,
    }


def add_batch_norm(name, child, layer, names):
    """A BatchNorm right after a layer normalizes each unit by running statistics that stay where
    they are when θ is permuted: the units can be permuted only when those are the same for all.
    It is affine with a shift, so it allows no sign flips or rescaling."""
    if child.running_mean is None or child.running_var is None:
        raise NotPermutable(f"layer {name} normalizes by batch statistics (track_running_stats=False)")
    for statistic in ("running_mean", "running_var"):
        values = getattr(child, statistic)
        if not torch.all(values == values[0]):
            raise NotPermutable(
                f"layer {name}'s {statistic} differs between channels, so permuting them would change the function"
            )
    if child.affine:
        if not child.weight.requires_grad or not child.bias.requires_grad:
            raise NotPermutable(f"layer {name} has frozen parameters (requires_grad=False)")
        layer["perUnit"] = [names[id(child.weight)], names[id(child.bias)]]
