# SPDX-License-Identifier: GPL-3.0-or-later
"""CTC and binary-head fixtures: tests/data/ctc/*.npz and expected.json.

Each case is an .npz with the tensors a training step would dump (log_probs, targets,
input_lengths, target_lengths for CTC). ctc_eval.py runs F.ctc_loss(reduction="none") on them
under every torch of torch_envs.py; expected.json keeps, per torch release, the per-sample losses
or the exception text, and the diagnostic codes ShapeScope must raise.
"""
import json
import pathlib

import numpy as np

import torch_envs

RNG = np.random.default_rng(1213)


def log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def ctc_arrays(T, N, C, S, input_lengths, target_lengths, dtype=np.float32, concat=False,
               repeats=False):
    log_probs = log_softmax(RNG.normal(0, 2, (T, N, C))).astype(dtype)
    targets = RNG.integers(1, C, (N, S)).astype(np.int64)
    if repeats:
        targets[:, 1] = targets[:, 0]
    arrays = {"log_probs": log_probs,
              "input_lengths": np.array(input_lengths, dtype=np.int64),
              "target_lengths": np.array(target_lengths, dtype=np.int64)}
    if concat:
        arrays["targets"] = np.concatenate([targets[i, :n] for i, n in enumerate(target_lengths)])
    else:
        arrays["targets"] = targets
    return arrays


def cases():
    out = []

    def add(name, arrays, codes, loss="ctc", **options):
        out.append({"name": name, "file": f"{name}.npz", "arrays": arrays, "codes": codes,
                    "loss": loss, "input": options.pop("input", "log_probs"),
                    "target": options.pop("target", "targets"),
                    "input_lengths": "input_lengths", "target_lengths": "target_lengths",
                    **options})

    add("ctc_basic", ctc_arrays(12, 4, 6, 5, [12, 10, 7, 12], [5, 3, 1, 4]), [])
    add("ctc_concat", ctc_arrays(15, 3, 7, 6, [15, 14, 9], [6, 2, 4], concat=True), [])
    add("ctc_float64", ctc_arrays(20, 5, 9, 6, [20, 18, 20, 11, 16], [6, 5, 0, 3, 6],
                                  dtype=np.float64, repeats=True), [])
    blank_last = ctc_arrays(10, 3, 5, 4, [10, 8, 10], [4, 2, 3])
    blank_last["targets"] = blank_last["targets"] - 1  # labels 0..3, blank 4
    add("ctc_blank_last", blank_last, [], blank=4)
    impossible = ctc_arrays(8, 4, 6, 6, [8, 4, 8, 6], [3, 4, 6, 4], repeats=True)
    add("ctc_target_too_long", impossible, ["ctc-target-too-long"], infinite="torch")
    add("ctc_target_too_long_zero_inf", impossible, ["ctc-target-too-long"],
        file="ctc_target_too_long.npz", zero_infinity=True, infinite="torch")
    first = ctc_arrays(9, 4, 6, 4, [9, 9, 7, 8], [4, 2, 3, 1])
    first["log_probs"] = np.ascontiguousarray(first["log_probs"].transpose(1, 0, 2))
    add("ctc_batch_first", first, ["ctc-batch-first"], fix="permute")
    probs = ctc_arrays(10, 3, 5, 3, [10, 10, 9], [3, 2, 3])
    probs["log_probs"] = np.exp(probs["log_probs"])
    add("ctc_softmax_not_log", probs, ["input-not-log-probabilities"])
    logits = ctc_arrays(10, 3, 5, 3, [10, 10, 9], [3, 2, 3])
    logits["log_probs"] = RNG.normal(0, 2, logits["log_probs"].shape).astype(np.float32)
    add("ctc_raw_logits", logits, ["input-not-log-probabilities"])
    bad = ctc_arrays(10, 4, 5, 3, [10, 10, 9, 8], [3, 2, 3, 1])
    bad["input_lengths"] = bad["input_lengths"][:3]
    add("ctc_input_lengths_size", bad, ["batch-size-mismatch"])
    bad = ctc_arrays(10, 4, 5, 3, [10, 10, 9, 8], [3, 2, 3, 1])
    bad["target_lengths"] = np.array([3, 2, 3, 1, 2], dtype=np.int64)
    add("ctc_target_lengths_size", bad, ["batch-size-mismatch"])
    bad = ctc_arrays(10, 3, 5, 3, [10, 12, 9], [3, 2, 3])
    add("ctc_input_length_too_long", bad, ["ctc-lengths"])
    bad = ctc_arrays(10, 3, 5, 3, [10, 10, 9], [3, 4, 3])
    add("ctc_targets_too_short", bad, ["ctc-lengths"])
    bad = ctc_arrays(10, 3, 5, 3, [10, 10, 9], [3, 2, 3], concat=True)
    bad["targets"] = bad["targets"][:6]
    add("ctc_concat_too_short", bad, ["ctc-lengths"])
    add("ctc_blank_out_of_range", ctc_arrays(8, 2, 4, 2, [8, 8], [2, 1]), ["class-count-mismatch"],
        blank=4)
    bad = ctc_arrays(8, 2, 4, 2, [8, 8], [2, 1])
    bad["targets"] = bad["targets"].astype(np.float32)
    add("ctc_float_targets", bad, [])  # torch casts them to int64

    # Binary heads.
    x = RNG.normal(0, 2, (16,)).astype(np.float32)
    y = RNG.integers(0, 2, (16,)).astype(np.float32)
    add("bce_sigmoid_n", {"logits": 1 / (1 + np.exp(-x)), "target": y},
        ["sigmoid-before-loss"], loss="bce", input="logits", target="target")
    add("bce_sigmoid_n1", {"logits": 1 / (1 + np.exp(-x[:, None])), "target": y[:, None]},
        ["sigmoid-before-loss"], loss="bce", input="logits", target="target")
    xs = RNG.normal(0, 2, (4, 1, 6, 5)).astype(np.float32)
    add("bce_sigmoid_n1hw", {"logits": 1 / (1 + np.exp(-xs)),
                             "target": (xs > 0.3).astype(np.float32)},
        ["sigmoid-before-loss"], loss="bce", input="logits", target="target")
    add("bce_binary_logits", {"logits": x[:, None], "target": y[:, None]}, [], loss="bce",
        input="logits", target="target")
    add("ce_single_class", {"logits": RNG.normal(0, 1, (8, 1)).astype(np.float32),
                            "labels": np.zeros(8, dtype=np.int64)},
        ["single-class-output"], loss="cross_entropy", input="logits", target="labels")
    return out


def generate(data_dir: pathlib.Path):
    folder = data_dir / "ctc"
    folder.mkdir(exist_ok=True)
    specs = cases()
    for c in specs:
        if c["file"] == f"{c['name']}.npz":
            np.savez(folder / c["file"], **c["arrays"])
    payload = [{k: v for k, v in c.items() if k not in ("arrays", "codes")} for c in specs]
    by_version = torch_envs.run_everywhere("ctc_eval.py", [str(folder)], payload)
    # The samples torch finds no path for: an infinite loss without zero_infinity.
    plain = by_version[torch_envs.newest(by_version)]["ctc_target_too_long"]["losses"]
    infinite = [i for i, v in enumerate(plain) if v == "inf"]
    expected = []
    for c in specs:
        if c.get("infinite") == "torch":
            c["infinite"] = infinite
        entry = {k: v for k, v in c.items() if k != "arrays"}
        entry["torch"] = {version: results[c["name"]] for version, results in by_version.items()}
        expected.append(entry)
    (folder / "expected.json").write_text(json.dumps({"cases": expected}, indent=1) + "\n")
