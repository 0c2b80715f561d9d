"""A residual MLP with layer normalization, the block of every transformer without attention:
x ← x + tanh(W·LayerNorm(x) + b), a few times, between a linear embedding and a linear head.
Loss Landscape Lab builds it with make_model(**args) and PyTorch differentiates it."""
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.linear = nn.Linear(width, width)

    def forward(self, x):
        return x + torch.tanh(self.linear(self.norm(x)))  # the skip connection: x + f(x)


class ResidualMLP(nn.Module):
    def __init__(self, inputs, width, blocks, outputs):
        super().__init__()
        self.embed = nn.Linear(inputs, width)
        self.blocks = nn.Sequential(*[Block(width) for _ in range(blocks)])
        self.head = nn.Linear(width, outputs)

    def forward(self, x):
        return self.head(self.blocks(self.embed(x)))


def make_model(inputs=2, width=16, blocks=3, outputs=1):
    return ResidualMLP(inputs, width, blocks, outputs)
