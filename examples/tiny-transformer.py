"""A one-block transformer on a toy sequence task: which token occurs most often in a sequence
of six? The answer needs every position, which is what attention is for. Both the model
(make_model) and the data (load) are here; Loss Landscape Lab calls them and PyTorch
differentiates the model."""
import torch
from torch import nn

LENGTH, VOCABULARY = 6, 3


class Block(nn.Module):
    """Pre-norm transformer block: x + attention(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(width)
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.Tanh(), nn.Linear(2 * width, width))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attention(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class TinyTransformer(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.embed = nn.Linear(VOCABULARY, width)  # one-hot tokens → vectors
        self.position = nn.Parameter(0.1 * torch.randn(LENGTH, width))
        self.block = Block(width, heads)
        self.head = nn.Linear(width, VOCABULARY)

    def forward(self, tokens):  # tokens: batch × LENGTH × VOCABULARY, one-hot
        x = self.block(self.embed(tokens) + self.position)
        return self.head(x.mean(dim=1))  # one logit per token of the vocabulary


def make_model(width=8, heads=2):
    return TinyTransformer(width, heads)


def load(samples=256, seed=0):
    """Sequences with one most frequent token (no ties), one-hot, and that token's index."""
    generator = torch.Generator().manual_seed(seed)
    sequences = []
    while len(sequences) < samples:
        sequence = torch.randint(VOCABULARY, (LENGTH,), generator=generator)
        counts = torch.bincount(sequence, minlength=VOCABULARY)
        if (counts == counts.max()).sum() == 1:
            sequences.append(sequence)
    tokens = torch.stack(sequences)
    labels = torch.stack([torch.bincount(s, minlength=VOCABULARY).argmax() for s in sequences])
    return nn.functional.one_hot(tokens, VOCABULARY).double(), labels
