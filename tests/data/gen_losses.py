# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's reduction='none' losses for the loss-kernel tests (tests/tst_losskernels.cpp).

Writes tests/data/losses/cases.json: a list of cases, each with the input values, the targets,
the options, the kernel's [outer][classes][inner] view of the input, and per position:
  torch64       torch on the input converted to float64: the exact reference
  torch32       torch on the float32 input itself (float32 cases only)
  weight        the position's share of reduction='mean' (w[target], 0 where ignored)
  predicted     torch.argmax over the classes, -1 where the position has a NaN
  logProbTarget log_softmax(x)[target] in float64 (x[target] for nll), NaN where ignored
Float values are written exactly (a float32 is a double); non-finite ones as "nan", "inf",
"-inf", which JSON lacks. Out-of-range targets, where torch raises, expect NaN and weight 0:
torch is run with those targets replaced by 0, and their positions overwritten.
losses/by_torch.json holds torch64 and torch32 of the same cases under the other torches of
torch_envs.py: {"2.15": {name: {"torch64": ..., "torch32": ...}}}.
"""
import json
import math

import numpy as np
import torch
import torch.nn.functional as F

import torch_envs

INF = float("inf")
NAN = float("nan")


def enc(values):
    out = []
    for v in np.asarray(values, dtype=np.float64).ravel().tolist():
        out.append(v if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")))
    return out


def class_last(x, class_dim):
    """The input with the class axis moved last: [positions][classes] (for argmax)."""
    return np.moveaxis(x, class_dim, -1).reshape(-1, x.shape[class_dim])


def argmax_rows(rows):
    pred = np.argmax(np.where(np.isnan(rows), -np.inf, rows), axis=1)
    return np.where(np.isnan(rows).any(axis=1), -1, pred).astype(np.int64)


def layout(shape, class_dim):
    classes = shape[class_dim]
    outer = int(np.prod(shape[:class_dim], dtype=np.int64))
    inner = int(np.prod(shape[class_dim + 1:], dtype=np.int64))
    return outer, classes, inner


class Builder:
    def __init__(self, seed=1234):
        self.rng = np.random.default_rng(seed)
        self.cases = []

    def logits(self, shape, scale=3.0, dtype=np.float32, offset=0.0):
        return (self.rng.standard_normal(shape) * scale + offset).astype(dtype)

    def class_index(self, name, x, target, weight=None, ignore_index=-100, label_smoothing=0.0,
                    nll=False, ntc=False):
        """x: the input as stored (class axis 1, or last when ntc); target: positions' labels."""
        x = np.asarray(x)
        target = np.asarray(target, dtype=np.int64)
        class_dim = x.ndim - 1 if ntc else 1
        outer, classes, inner = layout(x.shape, class_dim)
        bad = (target != ignore_index) & ((target < 0) | (target >= classes))
        safe = np.where(bad, 0, target)
        xt = torch.from_numpy(x)
        if ntc:
            xt = xt.permute(0, x.ndim - 1, *range(1, x.ndim - 1))
        tt = torch.from_numpy(safe)

        def run(inp, w):
            if nll:
                return F.nll_loss(inp, tt, weight=w, ignore_index=ignore_index, reduction="none")
            return F.cross_entropy(inp, tt, weight=w, ignore_index=ignore_index,
                                   reduction="none", label_smoothing=label_smoothing)

        w64 = None if weight is None else torch.tensor(weight, dtype=torch.float64)
        t64 = run(xt.double(), w64).numpy().ravel()
        t32 = None
        if x.dtype == np.float32:
            w32 = None if weight is None else torch.tensor(weight, dtype=torch.float32)
            t32 = run(xt, w32).numpy().astype(np.float64).ravel()
        logp = xt.double() if nll else torch.log_softmax(xt.double(), dim=1)
        lpt = torch.gather(logp, 1, tt.clamp(0, classes - 1).unsqueeze(1)).squeeze(1)
        lpt = lpt.numpy().ravel()
        flat_t = target.ravel()
        wvec = np.ones(classes) if weight is None else np.asarray(weight, dtype=np.float64)
        pos_weight = np.where(flat_t == ignore_index, 0.0,
                              wvec[np.clip(flat_t, 0, classes - 1)])
        flat_bad = bad.ravel()
        ignored = flat_t == ignore_index
        pos_weight[flat_bad] = 0.0
        t64[flat_bad] = NAN
        lpt[flat_bad | ignored] = NAN
        if t32 is not None:
            t32[flat_bad] = NAN
        rows = class_last(np.asarray(x, dtype=np.float64), class_dim if not ntc else x.ndim - 1)
        self.cases.append({
            "name": name, "loss": "nll" if nll else "cross_entropy",
            "dtype": str(x.dtype), "shape": list(x.shape),
            "outer": outer, "classes": classes, "inner": inner,
            "input": enc(x), "target": flat_t.tolist(),
            "weight": None if weight is None else enc(weight),
            "ignoreIndex": int(ignore_index), "labelSmoothing": float(label_smoothing),
            "torch64": enc(t64), "torch32": None if t32 is None else enc(t32),
            "expectedWeight": enc(pos_weight),
            "predicted": argmax_rows(rows).tolist(), "logProbTarget": enc(lpt),
        })

    def probability(self, name, x, target, weight=None, label_smoothing=0.0):
        x = np.asarray(x)
        outer, classes, inner = layout(x.shape, 1)

        def run(inp, tgt, w):
            return F.cross_entropy(inp, tgt, weight=w, reduction="none",
                                   label_smoothing=label_smoothing)

        xt, tt = torch.from_numpy(x), torch.from_numpy(np.asarray(target, dtype=x.dtype))
        w64 = None if weight is None else torch.tensor(weight, dtype=torch.float64)
        t64 = run(xt.double(), tt.double(), w64).numpy().ravel()
        t32 = None
        if x.dtype == np.float32:
            w32 = None if weight is None else torch.tensor(weight, dtype=torch.float32)
            t32 = run(xt, tt, w32).numpy().astype(np.float64).ravel()
        self.cases.append({
            "name": name, "loss": "probability", "dtype": str(x.dtype), "shape": list(x.shape),
            "outer": outer, "classes": classes, "inner": inner,
            "input": enc(x), "target": enc(target),
            "weight": None if weight is None else enc(weight),
            "labelSmoothing": float(label_smoothing),
            "torch64": enc(t64), "torch32": None if t32 is None else enc(t32),
            "expectedWeight": enc(np.ones(outer * inner)),
            "predicted": argmax_rows(class_last(x.astype(np.float64), 1)).tolist(),
        })

    def bce(self, name, x, target, weight=None, pos_weight=None):
        x = np.asarray(x)
        outer, classes, inner = layout(x.shape, 1)
        bshape = [classes] + [1] * (x.ndim - 2)  # along the class axis (dim 1)

        def run(dtype):
            w = None if weight is None else torch.tensor(weight, dtype=dtype).view(bshape)
            pw = None if pos_weight is None else torch.tensor(pos_weight, dtype=dtype).view(bshape)
            xt = torch.from_numpy(x).to(dtype)
            tt = torch.from_numpy(np.asarray(target, dtype=x.dtype)).to(dtype)
            l = F.binary_cross_entropy_with_logits(xt, tt, weight=w, pos_weight=pw,
                                                   reduction="none")
            return l.double().mean(dim=1).numpy().ravel()  # the kernel's mean over classes

        self.cases.append({
            "name": name, "loss": "bce", "dtype": str(x.dtype), "shape": list(x.shape),
            "outer": outer, "classes": classes, "inner": inner,
            "input": enc(x), "target": enc(target),
            "weight": None if weight is None else enc(weight),
            "posWeight": None if pos_weight is None else enc(pos_weight),
            "torch64": enc(run(torch.float64)),
            "torch32": enc(run(torch.float32)) if x.dtype == np.float32 else None,
            "expectedWeight": enc(np.ones(outer * inner)),
            "predicted": argmax_rows(class_last(x.astype(np.float64), 1)).tolist(),
        })


def labels(rng, shape, classes, ignore=None, fraction=0.1):
    t = rng.integers(0, classes, size=shape)
    if ignore is not None:
        t[rng.random(shape) < fraction] = ignore
    return t


def probabilities(rng, shape, dtype=np.float32, one_hot_rows=True):
    """Softmax targets along axis 1, some rows one-hot, some with exact zeros."""
    t = rng.random(shape) ** 3
    t[rng.random(shape) < 0.3] = 0.0
    t = t / np.maximum(t.sum(axis=1, keepdims=True), 1e-30)
    if one_hot_rows:
        flat = np.moveaxis(t, 1, -1).reshape(-1, shape[1])
        for r in range(0, flat.shape[0], 3):
            flat[r] = 0.0
            flat[r, rng.integers(shape[1])] = 1.0
        t = np.moveaxis(flat.reshape(np.moveaxis(t, 1, -1).shape), -1, 1)
    return t.astype(dtype)


def build():
    b = Builder()
    rng = b.rng
    rows_for = {1: 140, 2: 140, 3: 140, 7: 140, 10: 140, 16: 140, 17: 140, 31: 40, 64: 30,
                100: 12, 1000: 3, 2100: 2}
    # (N, C): every vector-tail length; 140 rows cross the kernel's 128-position tiles, 2100
    # classes its 2048-class chunks.
    for classes, n in rows_for.items():
        b.class_index(f"ce_C{classes}", b.logits((n, classes)), labels(rng, n, classes, -100))
    for classes in (3, 10, 17, 100):
        n = min(rows_for[classes], 40)
        w = (rng.random(classes) * 2).astype(np.float32)
        w[0] = 0.0
        b.class_index(f"ce_weight_ignore255_C{classes}", b.logits((n, classes)),
                      labels(rng, n, classes, 255), weight=w, ignore_index=255)
    b.class_index("ce_ignore_minus1_C10", b.logits((60, 10)), labels(rng, 60, 10, -1),
                  ignore_index=-1)
    b.class_index("ce_ignore_inrange_C10", b.logits((60, 10)), labels(rng, 60, 10),
                  ignore_index=3)
    for ls in (0.1, 0.3):
        for classes, n in ((7, 60), (64, 20), (1000, 2)):
            x = b.logits((n, classes))
            if classes < 1000:  # the weighted variant covers C = 1000
                b.class_index(f"ce_ls{ls}_C{classes}", x, labels(rng, n, classes, -100),
                              label_smoothing=ls)
            w = (rng.random(classes) * 2).astype(np.float32)
            b.class_index(f"ce_ls{ls}_weight_C{classes}", x, labels(rng, n, classes, 255),
                          weight=w, ignore_index=255, label_smoothing=ls)
    # nll over log-probabilities
    for classes, n in ((5, 80), (33, 30), (100, 10)):
        lp = torch.log_softmax(torch.from_numpy(b.logits((n, classes))), 1).numpy()
        w = (rng.random(classes) + 0.5).astype(np.float32)
        b.class_index(f"nll_C{classes}", lp, labels(rng, n, classes, -100), nll=True)
        b.class_index(f"nll_weight_C{classes}", lp, labels(rng, n, classes, -100), weight=w,
                      nll=True)
    # K-dim: class axis strided by odd inner sizes; groups straddle outers
    for shape in ((3, 5, 7), (2, 17, 33), (1, 10, 140), (4, 3, 5, 7), (2, 40, 3, 3),
                  (2, 70, 11), (1, 4, 16, 16)):
        t_shape = (shape[0],) + shape[2:]
        b.class_index("ce_kdim_" + "x".join(map(str, shape)), b.logits(shape),
                      labels(rng, t_shape, shape[1], -100))
    w = (rng.random(17) + 0.2).astype(np.float32)
    b.class_index("ce_kdim_weight_ls_2x17x33", b.logits((2, 17, 33)),
                  labels(rng, (2, 33), 17, 255), weight=w, ignore_index=255, label_smoothing=0.1)
    b.class_index("nll_kdim_3x6x11", torch.log_softmax(torch.from_numpy(
        b.logits((3, 6, 11))), 1).numpy(), labels(rng, (3, 11), 6, -100), nll=True)
    # (N, T, C) with the class axis last: outer = N * T
    b.class_index("ce_ntc_4x9x12", b.logits((4, 9, 12)), labels(rng, (4, 9), 12, -100),
                  ntc=True)
    b.class_index("ce_ntc_2x5x40_ls", b.logits((2, 5, 40)), labels(rng, (2, 5), 40, -100),
                  ntc=True, label_smoothing=0.1)
    # large magnitudes
    b.class_index("ce_large_scale_1e4", b.logits((40, 10), scale=1e4), labels(rng, 40, 10))
    b.class_index("ce_large_offset_1e4", b.logits((40, 10), offset=1e4), labels(rng, 40, 10))
    b.class_index("ce_large_offset_minus1e4_C100", b.logits((8, 100), offset=-1e4),
                  labels(rng, 8, 100), label_smoothing=0.1)
    # confident predictions: tiny losses keep their relative precision
    x = b.logits((40, 10))
    t = labels(rng, 40, 10)
    x[np.arange(40), t] += np.linspace(5, 40, 40).astype(np.float32)
    b.class_index("ce_confident", x, t)
    # -inf logits (masked classes)
    x = b.logits((30, 12))
    x[rng.random(x.shape) < 0.3] = -INF
    x[0, :] = -INF                      # all masked: NaN, as torch
    t = labels(rng, 30, 12)
    x[1, t[1]] = -INF                   # target masked: +inf
    b.class_index("ce_neginf_C12", x, t)
    b.class_index("ce_neginf_ls_C12", x, t, label_smoothing=0.1)
    w = np.ones(12, dtype=np.float32)
    w[5] = 0.0                          # 0 * -inf in the smoothing sum: NaN where x_5 = -inf
    b.class_index("ce_neginf_ls_weight_C12", x, t, weight=w, label_smoothing=0.2)
    x = b.logits((20, 40))
    x[rng.random(x.shape) < 0.5] = -INF
    b.class_index("ce_neginf_C40", x, labels(rng, 20, 40))
    x = b.logits((3, 7, 9))
    x[rng.random(x.shape) < 0.3] = -INF
    b.class_index("ce_neginf_kdim_3x7x9", x, labels(rng, (3, 9), 7))
    # NaN and +inf
    for classes in (10, 64):
        x = b.logits((12, classes))
        x[2, 3] = NAN
        x[4, 1] = INF
        x[5, 0] = INF
        x[5, 2] = -INF
        x[6, :] = INF
        x[7, 5] = NAN
        x[7, 6] = INF
        t = labels(rng, 12, classes)
        t[8] = -100
        x[8, 1] = NAN                    # ignored: 0 whatever the input
        b.class_index(f"ce_nan_inf_C{classes}", x, t)
        b.class_index(f"nll_nan_inf_C{classes}", x, t, nll=True)
    # float64 inputs
    for classes, n in ((10, 150), (100, 10)):
        b.class_index(f"ce_f64_C{classes}", b.logits((n, classes), dtype=np.float64),
                      labels(rng, n, classes, -100))
    b.class_index("ce_f64_kdim_2x9x13_ls", b.logits((2, 9, 13), dtype=np.float64),
                  labels(rng, (2, 13), 9, -100), label_smoothing=0.3)
    # out-of-range targets: NaN, never a crash
    t = labels(rng, 20, 10)
    t[[1, 4, 7]] = [10, 11, -5]
    b.class_index("ce_out_of_range_C10", b.logits((20, 10)), t)
    b.class_index("nll_out_of_range_C10", b.logits((20, 10)), t, nll=True)
    t = labels(rng, 8, 100)
    t[[0, 5]] = [100, 1000]
    b.class_index("ce_out_of_range_C100", b.logits((8, 100)), t, label_smoothing=0.1)
    # probability targets
    for classes, n in ((3, 60), (10, 60), (64, 12), (1000, 1)):
        x = b.logits((n, classes))
        t = probabilities(rng, (n, classes))
        b.probability(f"prob_C{classes}", x, t)
        b.probability(f"prob_ls0.1_C{classes}", x, t, label_smoothing=0.1)
        w = (rng.random(classes) * 2).astype(np.float32)
        b.probability(f"prob_ls0.3_weight_C{classes}", x, t, weight=w, label_smoothing=0.3)
    b.probability("prob_kdim_2x5x3x3", b.logits((2, 5, 3, 3)),
                  probabilities(rng, (2, 5, 3, 3)))
    b.probability("prob_kdim_3x21x17_ls", b.logits((3, 21, 17)),
                  probabilities(rng, (3, 21, 17)), label_smoothing=0.1)
    x = b.logits((20, 8))
    x[rng.random(x.shape) < 0.3] = -INF  # with t = 0: 0 * -inf = NaN in torch
    b.probability("prob_neginf_C8", x, probabilities(rng, (20, 8)))
    b.probability("prob_f64_C10", b.logits((40, 10), dtype=np.float64),
                  probabilities(rng, (40, 10), dtype=np.float64), label_smoothing=0.1)
    # BCE with logits
    for classes, n in ((1, 300), (5, 80), (40, 20), (100, 6)):
        x = b.logits((n, classes), scale=4.0)
        t = (rng.random((n, classes)) < 0.4).astype(np.float32)
        t[::4] = rng.random((len(t[::4]), classes)).astype(np.float32)  # soft labels
        pw = (rng.random(classes) * 3).astype(np.float32)
        w = (rng.random(classes) * 2).astype(np.float32)
        b.bce(f"bce_C{classes}", x, t)
        b.bce(f"bce_posweight_C{classes}", x, t, pos_weight=pw)
        b.bce(f"bce_weight_posweight_C{classes}", x, t, weight=w, pos_weight=pw)
    x = b.logits((2, 3, 17), scale=4.0)
    t = (rng.random(x.shape) < 0.5).astype(np.float32)
    b.bce("bce_kdim_2x3x17", x, t, weight=np.array([0.5, 1, 2], np.float32),
          pos_weight=np.array([2, 1, 0.5], np.float32))
    x = b.logits((1, 2, 520), scale=4.0)  # inner crosses the kernel's 512-position span
    b.bce("bce_kdim_1x2x520", x, (rng.random(x.shape) < 0.5).astype(np.float32))
    # One element per position (C = 1, inner = 12): each extreme gets its own loss.
    x = np.array([[1e4, -1e4, 20, -20, 100, -100, 0, -0.0, INF, -INF, NAN, 5]] * 3, np.float32)
    t = np.array([[0, 0, 0, 0, 1, 1, 0.5, 1, 0, 1, 1, 1],
                  [1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0.25],
                  [0.5] * 12], np.float32)
    b.bce("bce_extremes", x.reshape(3, 1, 12), t.reshape(3, 1, 12),
          pos_weight=np.array([2.5], np.float32))
    b.bce("bce_extremes_rows", x.T.copy(), t.T.copy(),
          pos_weight=np.linspace(0.5, 3, 3).astype(np.float32))
    b.bce("bce_f64_C7", b.logits((30, 7), dtype=np.float64),
          rng.random((30, 7)).astype(np.float64), pos_weight=np.full(7, 2.0))
    return b.cases


def generate(data_dir):
    out = data_dir / "losses"
    out.mkdir(exist_ok=True)
    cases = build()
    text = json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":"))
    (out / "cases.json").write_text(text)
    print(f"  losses/cases.json: {len(cases)} cases, {len(text) / 1e6:.2f} MB")
    # The other torches' values for the same inputs (cases.json holds this one's).
    here = torch_envs.version_key(torch.__version__)
    by_version = torch_envs.run_everywhere("torch_losses.py", [str(out / "cases.json")], None)
    others = {v: cases_of_v for v, cases_of_v in by_version.items() if v != here}
    (out / "by_torch.json").write_text(json.dumps(others, separators=(",", ":")))
    print(f"  losses/by_torch.json: torch {', '.join(sorted(others))}")
