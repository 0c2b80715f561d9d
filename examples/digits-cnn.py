"""A small convolutional network for the 8×8 digits: conv, relu, max-pool, then two linear
layers. Loss Landscape Lab builds it with make_model(**args) from the .loss.json's
"model": {"pytorch": {...}} and analyzes it with PyTorch doing the differentiation."""
from torch import nn


def make_model(channels=8, hidden=16):
    return nn.Sequential(
        nn.Conv2d(1, channels, kernel_size=3, padding=1),  # 1×8×8 → channels×8×8
        nn.ReLU(),
        nn.MaxPool2d(2),  # → channels×4×4
        nn.Flatten(),
        nn.Linear(channels * 16, hidden),
        nn.ReLU(),
        nn.Linear(hidden, 10),  # one logit per digit
    )
