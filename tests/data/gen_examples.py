# SPDX-License-Identifier: GPL-3.0-or-later
"""The example dumps embedded in ShapeScope (resources/examples), each a common training bug.

They are built with torch the way a training loop would dump them, with a model that is
partly right (so losses and accuracies look like a real run's).
"""
import json
import pathlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

GEN = torch.Generator().manual_seed(7)


def model_logits(targets, classes, skill=3.0):
    """Logits of a half-trained model: the target class boosted for ~70% of samples."""
    shape = tuple(targets.shape)
    logits = torch.randn(*shape, classes, generator=GEN)
    knows = torch.rand(*shape, generator=GEN) < 0.7
    boost = F.one_hot(targets.clamp(0, classes - 1), classes).float() * skill
    logits = logits + boost * knows.unsqueeze(-1)
    return logits  # (..., C): callers move the class axis where their model puts it


def write_h5(path, tensors, attrs=None):
    with h5py.File(path, "w") as f:
        for name, (array, compress) in tensors.items():
            kwargs = {"compression": "gzip", "shuffle": True, "chunks": True} if compress else {}
            f.create_dataset(name, data=array, **kwargs)
        for name, values in (attrs or {}).items():
            for key, value in values.items():
                f[name].attrs[key] = value


def generate(data_dir: pathlib.Path):
    out = data_dir.parent.parent / "resources" / "examples"
    out.mkdir(parents=True, exist_ok=True)
    catalog = []

    # 1. The default: logits of a 32-sample batch against a 64-sample target.
    labels = torch.randint(0, 10, (64,), generator=GEN)
    logits = model_logits(labels[:32], 10)
    write_h5(out / "batch_mismatch.h5",
             {"batch_0000/logits": (logits.numpy(), False), "batch_0000/labels": (labels.numpy(), False)},
             {"batch_0000": {"epoch": 3, "step": 1200}})
    catalog.append({"file": "batch_mismatch.h5", "title": "Batch size mismatch (32 vs 64)",
                    "description": "The model returns 32 rows for a batch of 64 targets: "
                                   "a flatten merged two samples per row."})

    # 2. A run whose last batch is short (drop_last=False).
    tensors = {}
    sizes = [64] * 7 + [17]
    for step, n in enumerate(sizes):
        y = torch.randint(0, 10, (n,), generator=GEN)
        tensors[f"batch_{step:04d}/logits"] = (model_logits(y, 10).numpy(), False)
        tensors[f"batch_{step:04d}/labels"] = (y.numpy(), False)
    write_h5(out / "ragged_run.h5", tensors)
    catalog.append({"file": "ragged_run.h5", "title": "Ragged last batch",
                    "description": "Eight batches of 64 samples, the last one 17: drop_last=False."})

    # 3. A sequence model's (B, T, C) logits with (B, T) targets.
    y = torch.randint(0, 100, (8, 32), generator=GEN)
    np.savez(out / "sequence_btc.npz", logits=model_logits(y, 100).numpy(), targets=y.numpy())
    catalog.append({"file": "sequence_btc.npz", "title": "Classes on the last axis (B, T, C)",
                    "description": "A transformer's logits are (batch, time, classes); "
                                   "CrossEntropyLoss wants the classes on axis 1."})

    # 4. Segmentation with 255 'void' pixels and PyTorch's default ignore_index.
    mask = torch.randint(0, 21, (3, 40, 40), generator=GEN)
    mask[:, :4, :] = 255
    mask[:, :, -4:] = 255
    mask[2, 12:28, 12:28] = 255
    scores = model_logits(mask, 21).permute(0, 3, 1, 2).contiguous()
    write_h5(out / "segmentation_void.h5",
             {"val/scores": (scores.numpy(), True), "val/mask": (mask.numpy(), True)})
    catalog.append({"file": "segmentation_void.h5", "title": "Segmentation with void pixels (255)",
                    "description": "VOC-style masks mark unlabelled pixels 255; the loss needs "
                                   "ignore_index=255."})

    # 5. Probabilities (a softmax) fed to CrossEntropyLoss.
    y = torch.randint(0, 10, (256,), generator=GEN)
    probs = torch.softmax(model_logits(y, 10), dim=1)
    write_h5(out / "softmax_before_loss.h5", {"output": (probs.numpy(), False), "target": (y.numpy(), False)})
    catalog.append({"file": "softmax_before_loss.h5", "title": "Softmax before CrossEntropyLoss",
                    "description": "The model ends in nn.Softmax, so the loss applies log_softmax "
                                   "to probabilities and training stalls."})

    (out / "examples.json").write_text(json.dumps(catalog, indent=1) + "\n")
    print(f"  {len(catalog)} examples in {out}")
