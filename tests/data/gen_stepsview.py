# SPDX-License-Identifier: GPL-3.0-or-later
"""A run across steps for the Steps view (tests/tst_stepseries.cpp).

Twelve steps of a classifier, each a group batch_0000 ... batch_0011 (HDF5) or a pair of files
batch_0000_logits.npy / batch_0000_labels.npy (a folder). Some steps are unusual on purpose:
a short last batch (the shape changes), float64 logits in one step (the dtype changes), a NaN
logit, and padding labels (ignore_index=-100). torch 1.13 computes each step's
cross_entropy mean, the accuracy over non-ignored positions, the count of non-finite
per-sample losses and of ignored positions; expected.json holds them per step.
"""
import json
import pathlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

RNG = np.random.default_rng(20261216)
CLASSES = 5
STEPS = 12


def step_tensors(step):
    n = 6 if step == STEPS - 1 else 16  # drop_last=False: the last batch is short
    logits = RNG.standard_normal((n, CLASSES)).astype(np.float32)
    labels = RNG.integers(0, CLASSES, size=n).astype(np.int64)
    if step == 3:
        logits[2, 1] = np.nan
    if step == 5:
        labels[[0, 4, 9]] = -100
    if step == 7:
        logits = logits.astype(np.float64)
    return logits, labels


def torch_figures(logits, labels):
    x = torch.from_numpy(logits)
    y = torch.from_numpy(labels)
    per_sample = F.cross_entropy(x, y, reduction="none")
    counted = y != -100
    mean = F.cross_entropy(x, y).item()
    correct = (x.argmax(1) == y)[counted].double().mean().item()
    return {
        "mean": "nan" if mean != mean else mean,
        "accuracy": correct,
        "non_finite": int((~torch.isfinite(per_sample[counted])).sum().item()),
        "ignored": int((~counted).sum().item()),
        "shape": list(logits.shape),
        "dtype": str(logits.dtype),
    }


def generate(data_dir):
    out = pathlib.Path(data_dir) / "stepsview"
    folder = out / "run_folder"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.npy"):
        old.unlink()
    steps = []
    with h5py.File(out / "run.h5", "w") as f:
        for step in range(STEPS):
            logits, labels = step_tensors(step)
            group = f.create_group(f"batch_{step:04d}")
            group.create_dataset("logits", data=logits)
            group.create_dataset("labels", data=labels)
            np.save(folder / f"batch_{step:04d}_logits.npy", logits)
            np.save(folder / f"batch_{step:04d}_labels.npy", labels)
            steps.append(torch_figures(logits, labels))
    expected = {
        "torch": torch.__version__,
        "loss": "cross_entropy",
        # Steps whose logits' shape or dtype differ from the step before (the labels change
        # only with the logits' rows).
        "changed_steps": [i for i in range(1, STEPS)
                          if (steps[i]["shape"], steps[i]["dtype"])
                          != (steps[i - 1]["shape"], steps[i - 1]["dtype"])],
        "steps": steps,
    }
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
