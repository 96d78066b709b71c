# SPDX-License-Identifier: GPL-3.0-or-later
"""Dumps for per-element losses (tests/tst_perelement.cpp, `losses --per-element`).

Each case is `<name>.npz` with `output` and `target`, and `<name>_expected.npy`: torch's own
reduction='none' output for the pair (float32, torch's shape), made by the torch this script runs
under (Debian's torch 1.13: /usr/bin/python3 tests/data/generate.py gen_perelement).
perelement/expected.json records per case the loss kind, the command-line options and the shape.
Class-index targets hold ignore_index (-100) at some positions, where torch gives 0.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

RNG = np.random.default_rng(20261204)


def f32(*shape, scale=1.0):
    return (RNG.standard_normal(shape) * scale).astype(np.float32)


def classes(high, *shape, ignored=0.2):
    t = RNG.integers(0, high, size=shape).astype(np.int64)
    t[RNG.uniform(size=shape) < ignored] = -100
    return t


def build_cases():
    cases = []

    def case(name, loss, output, target, expected, args=()):
        cases.append(dict(name=name, loss=loss, output=output, target=target,
                          expected=expected.detach().numpy().astype(np.float32), args=list(args)))

    x, t = f32(4, 5, 6, 7), classes(5, 4, 6, 7)
    case("ce_segmentation", "cross_entropy", x, t,
         F.cross_entropy(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    x = torch.log_softmax(torch.from_numpy(f32(3, 4, 10)), dim=1).numpy()
    t = classes(4, 3, 10)
    case("nll_kdim", "nll", x, t,
         F.nll_loss(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    # A language model's (B, T, V) logits: torch wants (B, V, T), which the pairing reads them as.
    x, t = f32(2, 9, 13), classes(13, 2, 9)
    case("ce_sequence_btv", "cross_entropy", x, t,
         F.cross_entropy(torch.from_numpy(x).permute(0, 2, 1), torch.from_numpy(t),
                         reduction="none"))
    x, t = f32(2, 13, 9), classes(13, 2, 9)
    case("ce_sequence_bvt", "cross_entropy", x, t,
         F.cross_entropy(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    x, t = f32(16, 8), f32(16, 8)
    case("mse_2d", "mse", x, t,
         F.mse_loss(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    x, t = f32(300), f32(300)
    case("l1_1d", "l1", x, t,
         F.l1_loss(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    x, t = f32(5, 3, 4, 2), f32(5, 3, 4, 2)
    case("smooth_l1_kdim", "smooth_l1", x, t,
         F.smooth_l1_loss(torch.from_numpy(x), torch.from_numpy(t), reduction="none", beta=0.5),
         ["--beta", "0.5"])
    x, t = f32(6, 50, scale=3), f32(6, 50)
    case("huber_2d", "huber", x, t,
         F.huber_loss(torch.from_numpy(x), torch.from_numpy(t), reduction="none", delta=2.0),
         ["--delta", "2"])
    x = RNG.uniform(0.02, 0.98, size=(7, 3)).astype(np.float32)
    t = (RNG.uniform(size=(7, 3)) < 0.5).astype(np.float32)
    case("bce_probabilities", "binary_cross_entropy", x, t,
         F.binary_cross_entropy(torch.from_numpy(x), torch.from_numpy(t), reduction="none"))
    return cases


def generate(data_dir):
    out = data_dir / "perelement"
    out.mkdir(exist_ok=True)
    expected = {"torch": torch.__version__.split("+")[0], "cases": {}}
    for c in build_cases():
        np.savez(out / f"{c['name']}.npz", output=c["output"], target=c["target"])
        np.save(out / f"{c['name']}_expected.npy", c["expected"])
        expected["cases"][c["name"]] = dict(loss=c["loss"], args=c["args"],
                                            shape=list(c["expected"].shape))
    (out / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
