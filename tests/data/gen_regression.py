# SPDX-License-Identifier: GPL-3.0-or-later
"""Dumps for the elementwise losses (tests/tst_regression.cpp): mse, l1, smooth_l1, huber,
binary_cross_entropy (BCELoss) and kl_div, each with what every torch of torch_envs.py says.

Every case is an .npz with `output` and `target` (and `weight` where BCELoss takes one). For each
torch, regression/expected.json records under "torch": {"1.13": ..., "2.15": ...}:
  warning        the UserWarning torch emits for the raw pair (or null)
  error          the exception text torch raises for the raw pair (or null)
  mean           the raw pair's reduction='mean' value (kl_div: 'batchmean'), when torch gives one
  intended_mean  the same loss computed as the fix computes it (target of the input's shape)
  per_sample     per sample of the intended loss: the mean of the reduction='none' elements of the
                 sample (kl_div: the sum over its class axis, which batchmean averages over samples)
The losses are torch's own float32 (or float64) values, summed in float64 here.
This file is also the script each torch runs: `PYTHON gen_regression.py --eval DIR < specs`.
"""
import json
import math
import pathlib
import sys
import warnings

import numpy as np

RNG = np.random.default_rng(20261203)


def f32(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def probs(*shape, low=0.02, high=0.98):
    return RNG.uniform(low, high, size=shape).astype(np.float32)


def log_softmax_np(x, axis=1):
    x = x.astype(np.float64)
    m = x.max(axis=axis, keepdims=True)
    return (x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).astype(np.float32)


def build_cases():
    cases = []

    def case(name, loss, tensors, options=None, diagnostics=(), guess=None):
        cases.append(dict(name=name, loss=loss, tensors=tensors, options=options or {},
                          diagnostics=list(diagnostics), guess=guess))

    case("mse_1d", "mse", {"output": f32(64), "target": f32(64)}, guess="mse")
    case("mse_2d", "mse", {"output": f32(16, 8), "target": f32(16, 8)})
    case("mse_kdim", "mse", {"output": f32(4, 3, 5, 6), "target": f32(4, 3, 5, 6)})
    case("mse_f64", "mse", {"output": f32(8, 5).astype(np.float64),
                            "target": f32(8, 5).astype(np.float64)})
    case("l1_2d", "l1", {"output": f32(16, 40, scale=2), "target": f32(16, 40)})
    case("smooth_l1_beta", "smooth_l1", {"output": f32(32, 70), "target": f32(32, 70)},
         {"beta": 0.5})
    case("smooth_l1_beta0", "smooth_l1", {"output": f32(32), "target": f32(32)}, {"beta": 0.0})
    case("huber_delta", "huber", {"output": f32(32, 70, scale=3), "target": f32(32, 70)},
         {"delta": 2.0})
    case("huber_kdim", "huber", {"output": f32(3, 2, 700, scale=2), "target": f32(3, 2, 700)})
    soft = probs(32, 10)
    soft[:, :4] = np.round(soft[:, :4])
    case("bce_probabilities", "binary_cross_entropy",
         {"output": probs(32, 10), "target": soft,
          "weight": RNG.uniform(0.5, 2.0, size=10).astype(np.float32)},
         {"weight": "weight"})
    # Saturated predictions: log(0) is clamped to -100, so a confident miss costs exactly 100.
    saturated, hard = probs(40), np.round(probs(40))
    saturated[:4], hard[:4] = [0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 0.0, 1.0]
    case("bce_probabilities_1d", "binary_cross_entropy", {"output": saturated, "target": hard})
    bad = probs(16, 3)
    bad[5, 1] = 1.25
    bad[9, 0] = -0.5
    case("bce_out_of_range", "binary_cross_entropy", {"output": bad, "target": probs(16, 3)},
         diagnostics=[("input-out-of-range", "error")])
    case("bce_target_size", "binary_cross_entropy",
         {"output": probs(32, 1), "target": np.round(probs(32))},
         diagnostics=[("target-shape-mismatch", "error")])
    logits = f32(16, 10, scale=2)
    case("kl_div", "kl_div", {"output": log_softmax_np(logits),
                              "target": np.exp(log_softmax_np(f32(16, 10))).astype(np.float32)})
    case("kl_div_log_target", "kl_div",
         {"output": log_softmax_np(logits), "target": log_softmax_np(f32(16, 10))},
         {"log_target": True})
    case("kl_div_probabilities", "kl_div",
         {"output": np.exp(log_softmax_np(logits)).astype(np.float32),
          "target": np.exp(log_softmax_np(f32(16, 10))).astype(np.float32)},
         diagnostics=[("input-not-log-probabilities", "warning")])
    case("mse_broadcast", "mse", {"output": f32(32, 1), "target": f32(32)},
         diagnostics=[("broadcast-target", "warning")], guess="mse")
    case("l1_broadcast_target", "l1", {"output": f32(24), "target": f32(24, 1)},
         diagnostics=[("broadcast-target", "warning")])
    case("huber_broadcast_rows", "huber", {"output": f32(6, 5), "target": f32(5)},
         diagnostics=[("broadcast-target", "warning")])
    case("mse_cannot_broadcast", "mse", {"output": f32(32, 3), "target": f32(32, 4)},
         diagnostics=[("target-shape-mismatch", "error")])
    case("smooth_l1_cannot_broadcast", "smooth_l1", {"output": f32(8, 3), "target": f32(5, 1, 4)},
         diagnostics=[("target-shape-mismatch", "error")])
    # Auto-detection: integer class targets keep cross_entropy.
    case("classes_guess", None, {"output": f32(16, 5), "target": RNG.integers(0, 5, 16)},
         guess="cross_entropy")
    return cases


# ---- evaluation, under each torch ------------------------------------------------------------

def evaluate(spec, directory):
    import torch
    import torch.nn.functional as F

    z = np.load(directory / spec["file"])
    x = torch.from_numpy(np.array(z["output"]))
    t = torch.from_numpy(np.array(z["target"]))
    o = spec["options"]
    kind = spec["loss"]

    def loss(a, b, reduction):
        if kind == "mse":
            return F.mse_loss(a, b, reduction=reduction)
        if kind == "l1":
            return F.l1_loss(a, b, reduction=reduction)
        if kind == "smooth_l1":
            return F.smooth_l1_loss(a, b, reduction=reduction, beta=o.get("beta", 1.0))
        if kind == "huber":
            return F.huber_loss(a, b, reduction=reduction, delta=o.get("delta", 1.0))
        if kind == "binary_cross_entropy":
            w = torch.from_numpy(np.array(z["weight"])) if "weight" in o else None
            return F.binary_cross_entropy(a, b, weight=w, reduction=reduction)
        if kind == "kl_div":
            return F.kl_div(a, b, reduction=reduction, log_target=o.get("log_target", False))
        raise ValueError(kind)

    out = {"warning": None, "error": None}
    if kind is None:
        return out
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = loss(x, t, "batchmean" if kind == "kl_div" else "mean")
            out["mean"] = float(value)
        except (RuntimeError, ValueError) as e:
            out["error"] = str(e)
    user = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    out["warning"] = user[0] if user else None
    # The intended loss: the target in the input's shape (what ShapeScope's fix computes).
    if x.numel() == t.numel():
        ti = t.reshape(x.shape)
        xi = x
        if kind == "binary_cross_entropy":
            xi = x.clamp(0, 1)  # torch raises on the raw values; the values are checked apart
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            per = loss(xi, ti, "none").double()
        if kind == "kl_div":
            out["intended_mean"] = float(per.sum() / x.shape[0])
            rows = per.sum(dim=1) if per.dim() >= 2 else per
            out["per_sample"] = rows.reshape(x.shape[0], -1).mean(dim=1).tolist()
        else:
            out["intended_mean"] = float(per.mean())
            out["per_sample"] = per.reshape(x.shape[0], -1).mean(dim=1).tolist()
    return out


def eval_main(directory):
    import torch
    specs = json.load(sys.stdin)
    results = {s["name"]: evaluate(s, pathlib.Path(directory)) for s in specs}
    print(json.dumps({"torch": torch.__version__, "cases": results}))


# ---- generation, under Debian's interpreter ---------------------------------------------------

def generate(data_dir: pathlib.Path):
    import torch_envs

    out_dir = data_dir / "regression"
    out_dir.mkdir(parents=True, exist_ok=True)
    specs = []
    for c in build_cases():
        path = out_dir / f"{c['name']}.npz"
        np.savez(path, **c["tensors"])
        specs.append({"name": c["name"], "file": path.name, "loss": c["loss"],
                      "options": c["options"],
                      "diagnostics": [{"code": k, "severity": s} for k, s in c["diagnostics"]],
                      "guess": c["guess"],
                      "input_shape": list(c["tensors"]["output"].shape),
                      "target_shape": list(c["tensors"]["target"].shape)})
    by_version = torch_envs.run_everywhere("gen_regression.py", ["--eval", str(out_dir)], specs)
    for spec in specs:
        spec["torch"] = {v: results[spec["name"]] for v, results in by_version.items()}
    (out_dir / "expected.json").write_text(json.dumps(specs, indent=1, allow_nan=False) + "\n")
    print(f"  {len(specs)} regression dumps, torch {', '.join(sorted(by_version))}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--eval":
        eval_main(sys.argv[2])
    else:
        sys.exit(__doc__)
