#!/usr/bin/python3
"""Trains the job's LeNet-5 for one epoch in PyTorch, as a yardstick for the DL4J numbers.

The same network layer by layer (io.lenetspark.model.LeNet5), the same initialisers, Adam at 1e-3,
batch 128 and the same 54,000 training images: the validation split holds out the 6,000 ids with
the smallest seeded hash, as io.lenetspark.training.ValidationSplit does with Spark's xxhash64.
Images come from the verified IDX files in data/raw (Debian has no pyarrow to read the Parquet).
As in the DL4J baseline, the minibatches are built before the clock starts: the epoch measures
training alone. Prints one JSON line; bench/benchmark.py runs it with Debian's python3-torch.

Usage: /usr/bin/python3 bench/torch_epoch.py --threads N [--images N] [--raw-dir data/raw]
"""

import argparse
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

PROJECT = Path(__file__).resolve().parent.parent
SEED = 42
VALIDATION_FRACTION = 0.1
BATCH_SIZE = 128
LEARNING_RATE = 1e-3
# Keras BatchNormalization defaults, as LeNet5.java: momentum 0.99 (PyTorch counts 1 - momentum), epsilon 1e-3.
BATCH_NORM_MOMENTUM = 0.01
BATCH_NORM_EPSILON = 1e-3


class LeNet5(nn.Sequential):
    """LeNet5.java layer by layer: two blocks of convolution, batch norm, max-pool, ReLU; three dense layers."""

    def __init__(self):
        super().__init__(
            nn.Conv2d(1, 6, 3, padding=1),  # ConvolutionMode.Same
            nn.BatchNorm2d(6, eps=BATCH_NORM_EPSILON, momentum=BATCH_NORM_MOMENTUM),
            nn.MaxPool2d(2, 2),
            nn.ReLU(),
            nn.Conv2d(6, 16, 3),  # ConvolutionMode.Truncate: Keras's "valid"
            nn.BatchNorm2d(16, eps=BATCH_NORM_EPSILON, momentum=BATCH_NORM_MOMENTUM),
            nn.MaxPool2d(2, 2),
            nn.ReLU(),
            nn.Flatten(),  # NCHW in C order, as DL4J's CnnToFeedForwardPreProcessor
            nn.Linear(16 * 6 * 6, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),  # softmax folded into the cross-entropy loss below
        )
        for layer in self:
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(layer.weight)  # WeightInit.XAVIER_UNIFORM
                nn.init.zeros_(layer.bias)


# Spark's xxhash64 (XXH64 of each column's 8 bytes, little-endian, chained through the seed).
_P1, _P2, _P3, _P4, _P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
                           0x27D4EB2F165667C5)
_MASK = (1 << 64) - 1


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & _MASK


def _xxh64_long(value, seed):
    lane = struct.unpack("<Q", struct.pack("<q", value))[0]
    h = (seed + _P5 + 8) & _MASK
    k = _rotl((lane * _P2) & _MASK, 31) * _P1 & _MASK
    h = (_rotl(h ^ k, 27) * _P1 + _P4) & _MASK
    h ^= h >> 33
    h = h * _P2 & _MASK
    h ^= h >> 29
    h = h * _P3 & _MASK
    h ^= h >> 32
    return struct.unpack("<q", struct.pack("<Q", h))[0]


def spark_xxhash64(row_id, seed_column):
    """xxhash64(col("id"), lit(seed)) with Spark's default hash seed 42."""
    return _xxh64_long(seed_column, _xxh64_long(row_id, 42) & _MASK)


def training_ids(rows, seed):
    """The ids ValidationSplit keeps for training: all but the round(fraction * rows) smallest (hash, id)."""
    validation_rows = round(rows * VALIDATION_FRACTION)
    keys = sorted((spark_xxhash64(i, seed), i) for i in range(rows))
    held_out = {i for _, i in keys[:validation_rows]}
    return np.array([i for i in range(rows) if i not in held_out], dtype=np.int64)


def read_idx(path):
    data = path.read_bytes()
    dimensions = data[3]
    shape = struct.unpack(f">{dimensions}I", data[4:4 + 4 * dimensions])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads")
    parser.add_argument("--images", type=int, default=0,
                        help="train on the first N training images only, for a quick check (default: all)")
    parser.add_argument("--raw-dir", default=str(PROJECT / "data" / "raw"))
    options = parser.parse_args()

    torch.set_num_threads(options.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(SEED)
    raw = Path(options.raw_dir)
    images = read_idx(raw / "train-images-idx3-ubyte")
    labels = read_idx(raw / "train-labels-idx1-ubyte")
    ids = training_ids(len(labels), SEED)
    if options.images:
        ids = ids[:options.images]
    # Shuffled once with the seed: the order within the epoch does not change its cost.
    ids = ids[torch.randperm(len(ids), generator=torch.Generator().manual_seed(SEED)).numpy()]
    features = torch.from_numpy(images[ids].astype(np.float32) / 255.0).unsqueeze(1)
    targets = torch.from_numpy(labels[ids].astype(np.int64))
    batches = [(features[i:i + BATCH_SIZE].contiguous(), targets[i:i + BATCH_SIZE].contiguous())
               for i in range(0, len(ids), BATCH_SIZE)]

    model = LeNet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    loss_function = nn.CrossEntropyLoss()
    model.train()
    loss_sum = 0.0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for x, y in batches:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(x), y)
        loss.backward()
        optimizer.step()
        loss_sum += loss.item()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start

    parameters = sum(p.numel() for p in model.parameters())
    statistics = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    json.dump({"threads": options.threads, "images": len(ids), "batches": len(batches), "seconds": seconds,
               "cpu_seconds": cpu_seconds, "images_per_second": len(ids) / seconds,
               "mean_loss": loss_sum / len(batches), "parameters": parameters + statistics,
               "torch": torch.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
