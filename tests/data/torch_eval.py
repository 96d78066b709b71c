# SPDX-License-Identifier: GPL-3.0-or-later
"""What one torch says about the committed analysis dumps: run under each torch being compared.

    PYTHON tests/data/torch_eval.py DUMPS_DIR < specs.json > results.json

Reads the case specs gen_dumps.py wrote (name, file, options, pairs and, per pair, the fix
ShapeScope computes when PyTorch raises but the intent is clear), loads every pair's arrays
from the dump files themselves (so each torch sees the same bytes, whatever numpy it comes
with), and prints {"torch": torch.__version__, "cases": {name: [per pair: pytorch_error,
pytorch_warnings, losses, mean]}}. Only torch, numpy and h5py are needed; it imports nothing else
from this folder, so any interpreter with those three can run it.
"""
import json
import math
import pathlib
import sys
import warnings

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def load(path, fmt, key):
    if fmt == "h5":
        with h5py.File(path, "r") as f:
            return np.array(f[key][()])
    if fmt == "npz":
        with np.load(path) as z:
            return np.array(z[key[:-4] if key.endswith(".npy") else key])
    return np.load(path / key)


def as_tensor(array):
    # np.ascontiguousarray would turn a 0-d array into a 1-d one
    return torch.from_numpy(np.array(array, copy=True, order="C"))


def torch_loss(kind, x, t, options, reduction):
    weight = options.get("weight")
    weight = torch.tensor(weight, dtype=x.dtype) if weight is not None else None
    if kind == "cross_entropy":
        return F.cross_entropy(x, t, weight=weight, ignore_index=options.get("ignore_index", -100),
                               label_smoothing=options.get("label_smoothing", 0.0),
                               reduction=reduction)
    if kind == "nll":
        return F.nll_loss(x, t, weight=weight, ignore_index=options.get("ignore_index", -100),
                          reduction=reduction)
    pos_weight = options.get("pos_weight")
    pos_weight = torch.tensor(pos_weight, dtype=x.dtype) if pos_weight is not None else None
    if pos_weight is not None and x.dim() > 2:
        pos_weight = pos_weight.view(-1, *([1] * (x.dim() - 2)))
    return F.binary_cross_entropy_with_logits(x, t, weight=weight, pos_weight=pos_weight,
                                              reduction=reduction)


def torch_error(kind, x_np, t_np, options):
    """The exception torch raises for the raw arrays (or None) and the warnings it gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            x = as_tensor(x_np)
            t = as_tensor(t_np)
            if x.dtype == torch.float16:
                x = x.float()  # CPU torch 1.13 lacks half log_softmax; GPU training had it
            torch_loss(kind, x, t, options, "mean")
            error = None
        except Exception as raised:  # noqa: BLE001 - we record whatever torch says
            error = str(raised)
    return error, sorted({str(w.message) for w in caught})


def per_sample(kind, x, t, options):
    """Per-sample losses as ShapeScope defines them, and torch's mean."""
    none = torch_loss(kind, x, t, options, "none").double()
    mean = float(torch_loss(kind, x, t, options, "mean"))
    if none.dim() <= 1 and kind != "bce":
        return [float(v) for v in none.reshape(-1)], mean
    if kind == "bce":
        flat = none.reshape(none.shape[0], -1) if none.dim() > 0 else none.reshape(1, 1)
        return [float(v) for v in flat.mean(dim=1)], mean
    ignore = options.get("ignore_index", -100)
    keep = (t != ignore).reshape(t.shape[0], -1) if t.dtype not in (torch.float32, torch.float64) \
        else torch.ones(none.reshape(none.shape[0], -1).shape, dtype=torch.bool)
    flat = none.reshape(none.shape[0], -1)
    values = []
    for row, mask in zip(flat, keep):
        values.append(float(row[mask].mean()) if mask.any() else None)
    return values, mean


def apply_fix(fix, x_np, t_np):
    """The fix ShapeScope computes: {"permute": [...]} on the input, {"target": "long"|"float"}.
    The target is converted in numpy: torch 1.13 has no uint16 tensor to call .long() on."""
    if fix.get("target") == "long":
        t_np = t_np.astype(np.int64)
    elif fix.get("target") == "float":
        t_np = t_np.astype(np.float32)
    x = as_tensor(x_np)
    if "permute" in fix:
        x = x.permute(*fix["permute"])
    return x, as_tensor(t_np)


def evaluate(spec, dumps):
    path = dumps / spec["file"]
    options = spec["options"]
    kind = options.get("loss", "cross_entropy")
    torch_options = {k: v for k, v in options.items()
                     if k in ("weight", "ignore_index", "label_smoothing", "pos_weight")}
    results = []
    for pair in spec["pairs"]:
        x_np = load(path, spec["fmt"], pair["input"])
        t_np = load(path, spec["fmt"], pair["target"])
        error, warned = torch_error(kind, x_np, t_np, torch_options)
        # ShapeScope computes a pair torch raises for only with a fix, or when the values (not
        # the shapes) are what torch refuses ("unchecked": no torch values to compare with).
        computed = pair["computed"] and (error is None or "fix" in pair or pair.get("unchecked", False))
        entry = {"pytorch_error": error, "pytorch_warnings": warned, "computed": computed}
        if computed and not pair.get("unchecked"):
            x, t = apply_fix(pair.get("fix", {}), x_np, t_np)
            if x.dtype == torch.float16:
                x = x.float()
            if t.dtype == torch.uint8 and kind != "bce":
                t = t.long()
            entry["losses"], entry["mean"] = per_sample(kind, x, t, torch_options)
        results.append(entry)
    return results


def json_safe(value):
    """JSON has no NaN or Infinity: non-finite numbers are written as "nan", "inf", "-inf"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    return value


def main(argv):
    dumps = pathlib.Path(argv[1])
    specs = json.load(sys.stdin)
    torch.manual_seed(0)
    cases = {spec["name"]: evaluate(spec, dumps) for spec in specs}
    json.dump(json_safe({"torch": torch.__version__, "cases": cases}), sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main(sys.argv)
