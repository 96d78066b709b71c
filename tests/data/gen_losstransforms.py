# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixes that change the loss, not a tensor (issue 16: ignore_index, a class weight, re-pairing).

Writes tests/data/losstransforms/*.h5|npz and losstransforms/expected.json. Per case: the
`--apply` statements, and for every pair torch's exception on the dump as saved and the losses
torch computes with the loss built the way the statements say (per sample as ShapeScope defines
them, torch_eval.per_sample, and torch's mean). torch is the reference; ShapeScope parses the
statements with its own grammar.
"""
import json
import pathlib

import numpy as np

import torch_eval
from gen_dumps import write

RNG = np.random.default_rng(20261203)


def logits(*shape):
    return (RNG.standard_normal(shape) * 2.0).astype(np.float32)


def labels(n_classes, *shape, low=0):
    return RNG.integers(low, low + n_classes, size=shape).astype(np.int64)


def void_mask():
    mask = labels(4, 2, 5, 6)
    mask[0, 1:3, 2:5] = 255  # VOC-style "void" border pixels
    mask[1, 4, :] = 255
    return mask


VOID = void_mask()
COARSE = labels(4, 6)
STEP_COARSE = [labels(3, 4), labels(3, 4)]

# name, format, loss, tensors, statements, the dump's pairs as (input, target) names before
# and after, and the torch options the statements amount to
CASES = [
    ("void_label", "h5", "cross_entropy", {"logits": logits(2, 4, 5, 6), "mask": VOID},
     ["ignore_index=255"], ("logits", "mask"), ("logits", "mask"), {"ignore_index": 255}),
    ("class_weight", "npz", "cross_entropy", {"logits": logits(8, 3), "labels": labels(3, 8)},
     ["weight=[1, 2.5, 0.5]"], ("logits", "labels"), ("logits", "labels"),
     {"weight": [1.0, 2.5, 0.5]}),
    ("weight_and_ignore", "h5", "nll",
     {"log_probs": np.log(np.full((2, 4, 5, 6), 0.25, dtype=np.float32)) + logits(2, 4, 5, 6) * 0.1,
      "mask": VOID},
     ["ignore_index=255", "weight=torch.tensor([0.5, 1, 1, 2])"], ("log_probs", "mask"),
     ("log_probs", "mask"), {"ignore_index": 255, "weight": [0.5, 1.0, 1.0, 2.0]}),
    ("repair", "npz", "cross_entropy",
     {"logits": logits(6, 4), "labels": labels(7, 6), "coarse": COARSE},
     ["criterion(logits, coarse)"], ("logits", "labels"), ("logits", "coarse"), {}),
]

STEPS = {f"batch_{i:04d}": {"logits": logits(4, 3), "labels": labels(9, 4, low=3),
                            "coarse": STEP_COARSE[i]} for i in range(2)}


def pair_case(name, fmt, loss, tensors, statements, before_pair, after_pair, options, out_dir):
    path = out_dir / f"{name}.{fmt}"
    write(path, fmt, tensors)
    before, _ = torch_eval.torch_error(loss, tensors[before_pair[0]], tensors[before_pair[1]], {})
    x = torch_eval.as_tensor(tensors[after_pair[0]])
    t = torch_eval.as_tensor(tensors[after_pair[1]])
    after, _ = torch_eval.torch_error(loss, tensors[after_pair[0]], tensors[after_pair[1]],
                                      options)
    losses, mean = torch_eval.per_sample(loss, x, t, options)
    return {"name": name, "file": path.name, "loss": loss, "apply": statements,
            "pairs": [{"input": after_pair[0], "target": after_pair[1], "losses": losses,
                       "mean": mean}],
            "error_before": before, "error_after": after}


def steps_case(out_dir):
    """Re-pairing in every step: the statement names tensors, as the training loop would."""
    import h5py
    path = out_dir / "repair_steps.h5"
    with h5py.File(path, "w") as f:
        for group, tensors in STEPS.items():
            for key, value in tensors.items():
                f.create_dataset(f"{group}/{key}", data=value)
    first = STEPS["batch_0000"]
    before, _ = torch_eval.torch_error("cross_entropy", first["logits"], first["labels"], {})
    pairs = []
    for group, tensors in STEPS.items():
        losses, mean = torch_eval.per_sample("cross_entropy",
                                             torch_eval.as_tensor(tensors["logits"]),
                                             torch_eval.as_tensor(tensors["coarse"]), {})
        pairs.append({"input": f"{group}/logits", "target": f"{group}/coarse", "losses": losses,
                      "mean": mean})
    return {"name": "repair_steps", "file": path.name, "loss": "cross_entropy",
            "apply": ["criterion(logits, coarse)"], "pairs": pairs, "error_before": before,
            "error_after": None}


def generate(data_dir: pathlib.Path):
    import torch
    out_dir = data_dir / "losstransforms"
    out_dir.mkdir(parents=True, exist_ok=True)
    expected = [pair_case(*case, out_dir) for case in CASES]
    expected.append(steps_case(out_dir))
    for case in expected:
        case["torch"] = torch.__version__
    (out_dir / "expected.json").write_text(json.dumps(torch_eval.json_safe(expected), indent=1,
                                                      allow_nan=False) + "\n")
    print(f"  {len(expected)} loss-transform cases, torch {torch.__version__}")
