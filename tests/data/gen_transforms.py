# SPDX-License-Identifier: GPL-3.0-or-later
"""Dumps to try fixes on (issue 16, "Try the fix on the data"), and what torch makes of them.

Writes tests/data/transforms/*.h5|npz and transforms/expected.json. Per case: the `--apply`
statements; for each tensor they change, torch's result of the same statement (shape, dtype and
every value); torch's exception on the dump as saved and after the statements; and the loss
after them (per sample as ShapeScope defines it, torch_eval.per_sample, and torch's mean). The
statements are run here with Python's exec on real tensors: torch is the reference; ShapeScope
parses the same text with its own grammar and never evaluates it.
"""
import json
import pathlib

import numpy as np
import torch

import torch_eval
from gen_dumps import write

RNG = np.random.default_rng(20261216)


def logits(*shape):
    return (RNG.standard_normal(shape) * 2.0).astype(np.float32)


def labels(n_classes, *shape, low=0):
    return RNG.integers(low, low + n_classes, size=shape).astype(np.int64)


# name, format, loss, tensors, (input, target), statements
CASES = [
    ("class_last", "h5", "cross_entropy", {"logits": logits(4, 6, 5), "labels": labels(5, 4, 6)},
     ("logits", "labels"), ["logits=logits.permute(0, 2, 1)"]),
    ("label_shift", "h5", "cross_entropy", {"logits": logits(3, 8, 6), "labels": labels(6, 3, 7)},
     ("logits", "labels"), ["logits=logits[:, :-1].permute(0, 2, 1)"]),
    ("flatten_tokens", "npz", "cross_entropy",
     {"logits": logits(3, 5, 7), "labels": labels(7, 3, 5)},
     ("logits", "labels"), ["logits=logits.flatten(0, 1)", "labels=labels.view(-1)"]),
    ("time_major", "h5", "cross_entropy", {"logits": logits(5, 3, 4), "labels": labels(4, 3, 5)},
     ("logits", "labels"), ["logits = logits.permute(1, 2, 0)"]),
    ("one_based", "npz", "cross_entropy", {"logits": logits(10, 4), "labels": labels(4, 10, low=1)},
     ("logits", "labels"), ["labels=labels - 1"]),
    ("float_labels", "h5", "cross_entropy",
     {"logits": logits(9, 3), "labels": labels(3, 9).astype(np.float32)},
     ("logits", "labels"), ["labels=labels.long()"]),
    ("column_labels", "h5", "cross_entropy", {"logits": logits(7, 4), "labels": labels(4, 7, 1)},
     ("logits", "labels"), ["labels=labels.squeeze(-1)"]),
    ("channels_last", "h5", "cross_entropy",
     {"logits": logits(2, 4, 5, 3), "labels": labels(3, 2, 4, 5)},
     ("logits", "labels"), ["logits=logits.movedim(-1, 1)"]),
    ("split_view", "npz", "cross_entropy", {"logits": logits(12, 5), "labels": labels(5, 3, 4)},
     ("logits", "labels"), ["logits=logits.view(3, 4, 5).permute(0, 2, 1)"]),
    ("sliced_merge", "h5", "cross_entropy",
     {"logits": logits(2, 3, 4, 5), "labels": labels(5, 2, 8)},
     ("logits", "labels"), ["logits=logits[:, 1:].reshape(2, -1, 5).transpose(1, 2)"]),
    ("last_step", "h5", "cross_entropy", {"logits": logits(6, 2, 3), "labels": labels(3, 2)},
     ("logits", "labels"), ["logits=logits[-1]"]),
    ("mask_new_axis", "h5", "cross_entropy",
     {"scores": logits(1, 3, 4, 5), "mask": labels(3, 4, 5)},
     ("scores", "mask"), ["mask=mask[None]"]),
    ("mse_column", "npz", "mse", {"pred": logits(8, 1), "target": logits(8)},
     ("pred", "target"), ["pred=pred.squeeze(-1)"]),
    ("shifted_long", "h5", "cross_entropy",
     {"logits": logits(6, 3), "labels": (labels(3, 6, low=1)).astype(np.float64)},
     ("logits", "labels"), ["labels=(labels - 1).long()"]),
]


def run(statements, arrays):
    scope = {name: torch.from_numpy(np.array(a, copy=True)) for name, a in arrays.items()}
    for statement in statements:
        exec(statement, {"torch": torch}, scope)  # noqa: S102 - the reference, on our fixtures
    return scope


def described(tensor):
    return {"shape": list(tensor.shape), "dtype": str(tensor.dtype).replace("torch.", ""),
            "values": [float(v) for v in tensor.reshape(-1).double().tolist()]}


def generate(data_dir: pathlib.Path):
    out_dir = data_dir / "transforms"
    out_dir.mkdir(parents=True, exist_ok=True)
    expected = []
    for name, fmt, loss, tensors, (inp, tgt), statements in CASES:
        path = out_dir / f"{name}.{fmt}"
        write(path, fmt, tensors)
        before, _ = torch_eval.torch_error(loss if loss != "mse" else "cross_entropy",
                                           tensors[inp], tensors[tgt], {}) \
            if loss != "mse" else (None, [])
        scope = run(statements, tensors)
        changed = {key: described(scope[key]) for key in tensors
                   if not torch.equal(scope[key], torch.from_numpy(np.array(tensors[key])))
                   or scope[key].shape != tensors[key].shape or scope[key].dtype !=
                   torch.from_numpy(np.array(tensors[key])).dtype}
        x, t = scope[inp], scope[tgt]
        if loss == "mse":
            none = torch.nn.functional.mse_loss(x, t, reduction="none").double()
            losses, mean = [float(v) for v in none.reshape(-1)], float(none.mean())
        else:
            losses, mean = torch_eval.per_sample(loss, x, t, {})
        after, _ = torch_eval.torch_error(loss, x.numpy(), t.numpy(), {}) \
            if loss != "mse" else (None, [])
        expected.append({"name": name, "file": path.name, "loss": loss, "input": inp,
                         "target": tgt, "apply": statements, "tensors": changed,
                         "error_before": before, "error_after": after, "losses": losses,
                         "mean": mean, "torch": torch.__version__})
    (out_dir / "expected.json").write_text(json.dumps(torch_eval.json_safe(expected), indent=1,
                                                      allow_nan=False) + "\n")
    print(f"  {len(expected)} transform cases, torch {torch.__version__}")
