"""ResNet-20 for CIFAR-10 shapes (He et al. 2016, section 4.2): a 3×3 convolution, three
stages of three basic blocks with 16, 32 and 64 channels, global average pooling and a linear
layer; shortcuts that change shape are option A (subsample and pad with zeros: no
parameters). 272,474 parameters. With `load`, 512 synthetic 3×32×32 images and labels
(seeded; no download) for the bench's end-to-end timing."""
import torch
from torch import nn
from torch.nn import functional as F


class BasicBlock(nn.Module):
    def __init__(self, inputs, channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.pad = channels - inputs if stride != 1 or inputs != channels else 0

    def shortcut(self, x):
        if not self.pad:
            return x
        x = x[:, :, ::2, ::2]  # option A: subsample, then zeros for the new channels
        return F.pad(x, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, inputs = [], 16
        for channels, stride in ((16, 1), (32, 2), (64, 2)):
            for k in range(3):
                blocks.append(BasicBlock(inputs, channels, stride if k == 0 else 1))
                inputs = channels
        self.blocks = nn.Sequential(*blocks)
        self.linear = nn.Linear(64, classes)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


def make_model(classes=10):
    return ResNet20(classes)


def load(samples=512, seed=0):
    generator = torch.Generator().manual_seed(seed)
    images = torch.randn(samples, 3, 32, 32, generator=generator, dtype=torch.float64)
    labels = torch.randint(10, (samples,), generator=generator)
    return images, labels
