# SPDX-License-Identifier: GPL-3.0-or-later
"""Two dumps to compare (issue 16, "two dumps side by side"): before.h5 and after.h5, as a
training step dumped before and after a label fix, with a tensor changed in place, one reshaped,
one only on each side, NaN and inf where a dump would have them. compare/expected.json holds
numpy's summary of every tensor (count, NaN, inf, min, max and mean of the finite values; for
equal shapes the elements that differ and the largest |a - b|) and torch's view of the pair
(its error on each side, its mean loss where it raises none)."""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

import torch_eval
from gen_dumps import write

RNG = np.random.default_rng(20261217)


def summary(array):
    values = np.asarray(array, dtype=np.float64).reshape(-1)
    finite = values[np.isfinite(values)]
    return {"shape": list(np.shape(array)), "dtype": str(np.asarray(array).dtype),
            "count": int(values.size), "nan": int(np.isnan(values).sum()),
            "inf": int(np.isinf(values).sum()),
            "min": float(finite.min()) if finite.size else None,
            "max": float(finite.max()) if finite.size else None,
            "mean": float(finite.mean()) if finite.size else None}


def differences(a, b):
    x = np.asarray(a, dtype=np.float64).reshape(-1)
    y = np.asarray(b, dtype=np.float64).reshape(-1)
    same = (x == y) | (np.isnan(x) & np.isnan(y))
    both = np.isfinite(x) & np.isfinite(y) & ~same
    return int((~same).sum()), float(np.abs(x - y)[both].max()) if both.any() else 0.0


def generate(data_dir: pathlib.Path):
    out_dir = data_dir / "compare"
    out_dir.mkdir(parents=True, exist_ok=True)
    logits = (RNG.standard_normal((16, 5)) * 2).astype(np.float32)
    labels = RNG.integers(1, 6, size=16).astype(np.int64)  # one-based: torch raises
    features = RNG.standard_normal((16, 8)).astype(np.float32)
    features[3, 2] = np.nan
    changed = features.copy()
    changed[5] += 0.25
    changed[7, 1] = np.inf
    before = {"logits": logits, "labels": labels, "features": features,
              "mask": RNG.integers(0, 2, size=(16, 12)).astype(np.uint8),
              "only_before": RNG.standard_normal(4).astype(np.float64)}
    after = {"logits": logits, "labels": labels - 1, "features": changed,
             "mask": before["mask"].reshape(16, 3, 4),
             "only_after": np.arange(6, dtype=np.int32)}
    write(out_dir / "before.h5", "h5", before)
    write(out_dir / "after.h5", "h5", after)

    tensors = {}
    for name in sorted(set(before) | set(after)):
        row = {"a": summary(before[name]) if name in before else None,
               "b": summary(after[name]) if name in after else None}
        if name in before and name in after and np.shape(before[name]) == np.shape(after[name]):
            row["differing"], row["max_abs_difference"] = differences(before[name], after[name])
        tensors[f"/{name}"] = row
    pair = {}
    for side, dump in (("a", before), ("b", after)):
        error, _ = torch_eval.torch_error("cross_entropy", dump["logits"], dump["labels"], {})
        mean = None if error else float(F.cross_entropy(torch.from_numpy(dump["logits"]),
                                                         torch.from_numpy(dump["labels"])))
        pair[side] = {"error": error, "mean": mean}
    expected = {"torch": torch.__version__, "tensors": tensors,
                "pair": {"input": "/logits", "target": "/labels", **pair}}
    (out_dir / "expected.json").write_text(json.dumps(expected, indent=1, allow_nan=False) + "\n")
    print(f"  compare: {len(tensors)} tensors, torch {torch.__version__}")
