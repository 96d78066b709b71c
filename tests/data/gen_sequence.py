# SPDX-License-Identifier: GPL-3.0-or-later
"""Dumps of sequence models and of advice that must not harm (issue 11, sections 2 and 3).

Writes tests/data/sequence/*.h5|npz and sequence/expected.json in the format of
dumps/expected.json (gen_dumps.py), with each torch's exception text, warnings and losses from
torch_sequence_eval.py, plus per case what the advice must and must not say:
  fix_contains / fix_excludes: substrings of the fix of the case's first diagnostic of `code`;
  explanation_excludes: substrings its explanation must not hold (a coincidental ratio);
  class_axis: the axis ShapeScope reads the classes from; ignored_share: torch's share of
  ignore_index positions.
"""
import json
import pathlib

import numpy as np

import gen_dumps
import torch_envs
from gen_dumps import labels, logits, write

RNG = np.random.default_rng(20261203)
CASES = []
NEVER_FOR_SHIFT = ["drop_last", "batch_size", "interpolate"]


def case(name, fmt, tensors, pairs, diagnostics, options=None, compute=None, extra=None):
    CASES.append(dict(name=name, fmt=fmt, tensors=tensors, pairs=pairs, diagnostics=diagnostics,
                      options=options or {}, compute=compute or {}, extra=extra or {}))


def padded_labels(vocab, batch, steps, pad_share):
    t = RNG.integers(0, vocab, size=(batch, steps)).astype(np.int64)
    lengths = np.maximum(1, np.round(steps * (1 - pad_share * 2 * RNG.random(batch))).astype(int))
    for row, length in enumerate(lengths):
        t[row, length:] = -100
    return t


def build_cases():
    # (B, T, V) logits of a language model with padded (B, T) labels: classes last.
    seq = padded_labels(50, 4, 12, 0.3)
    case("lm_class_last_padded", "h5", {"logits": logits(4, 12, 50), "labels": seq},
         [("/logits", "/labels")], [("class-dim-last", "error")],
         compute={"/logits": {"permute": [0, 2, 1]}},
         extra={"class_axis": 2, "ignored_share": float((seq == -100).mean()),
                "code": "class-dim-last", "fix_excludes": ["interpolate"]})
    # Labels shifted for next-token prediction, logits not.
    case("lm_label_shift", "h5", {"logits": logits(4, 12, 50), "labels": labels(50, 4, 11)},
         [("/logits", "/labels")], [("label-shift", "error")], compute={"/logits": False},
         extra={"code": "label-shift", "fix_contains": ["logits[:, :-1]"], "class_axis": 2,
                "fix_excludes": NEVER_FOR_SHIFT})
    # The same, flattened: 320 = 8 x 40 logit rows, 312 = 8 x 39 labels.
    case("lm_label_shift_flat", "npz", {"logits": logits(320, 50), "labels": labels(50, 312)},
         [("logits", "labels")], [("label-shift", "error")], compute={"logits": False},
         extra={"code": "label-shift", "fix_contains": ["logits.view(8, 40, -1)[:, :-1]"],
                "fix_excludes": NEVER_FOR_SHIFT})
    # An nn.LSTM without batch_first: (T, B, C) output, (B, T) tags.
    case("tagger_time_major", "h5", {"logits": logits(12, 4, 9), "labels": labels(9, 4, 12)},
         [("/logits", "/labels")], [("time-major-output", "error")], compute={"/logits": False},
         extra={"code": "time-major-output", "fix_contains": ["logits.permute(1, 2, 0)"],
                "class_axis": 2,
                "fix_excludes": NEVER_FOR_SHIFT})
    # labels.squeeze() on a batch of one.
    case("squeezed_batch_scalar", "npz",
         {"logits": logits(1, 5), "labels": np.array(3, dtype=np.int64)},
         [("logits", "labels")], [("squeezed-batch", "error")], compute={"logits": False},
         extra={"code": "squeezed-batch", "fix_contains": ["labels.view(-1)"]})
    case("squeezed_batch_mask", "h5", {"scores": logits(1, 4, 6, 6), "mask": labels(4, 6, 6)},
         [("/scores", "/mask")], [("squeezed-batch", "error")], compute={"/scores": False},
         extra={"code": "squeezed-batch", "fix_contains": ["mask.unsqueeze(0)"]})
    # {-1, 0, 1} labels for a 3-output head: shifted by one, not padding.
    minus = RNG.integers(-1, 2, size=30).astype(np.int64)
    case("labels_minus_one", "h5", {"logits": logits(30, 3), "labels": minus},
         [("/logits", "/labels")], [("labels-shifted", "error")],
         compute={"/logits": "unchecked"},
         extra={"code": "labels-shifted", "fix_contains": ["labels + 1"],
                "fix_excludes": ["ignore_index"]})
    # A colour mask saved as an image.
    palette = np.array([[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0]], dtype=np.uint8)
    case("rgb_mask", "h5", {"scores": logits(2, 4, 6, 6), "mask": palette[labels(4, 2, 6, 6)]},
         [("/scores", "/mask")], [("rgb-mask", "error")], compute={"/scores": False},
         extra={"code": "rgb-mask", "fix_contains": ["palette"], "fix_excludes": [".view("]})
    # A class weight kept 2-D.
    case("weight_row", "h5", {"logits": logits(8, 10), "labels": labels(10, 8),
                              "class_weight": RNG.random((1, 10)).astype(np.float32)},
         [("/logits", "/labels")], [("class-count-mismatch", "error")],
         options={"weight_tensor": "/class_weight"}, compute={"/logits": False},
         extra={"code": "class-count-mismatch", "fix_contains": ["class_weight.reshape(-1)"]})
    # Every label is padding: torch's mean is NaN.
    case("all_padding", "npz", {"logits": logits(6, 7), "labels": np.full(6, -100, np.int64)},
         [("logits", "labels")], [("all-targets-ignored", "error")],
         extra={"code": "all-targets-ignored", "ignored_share": 1.0})
    # A short last batch of 16 against a model that kept 32 rows: 32 = 2 x 16 is a coincidence,
    # not DataParallel nor a flatten.
    run = {}
    for step in range(4):
        n = 32 if step < 3 else 16
        run[f"batch_{step:04d}/logits"] = logits(32, 10)
        run[f"batch_{step:04d}/labels"] = labels(10, n)
    case("run_short_last_multiple", "h5", run,
         [(f"/batch_{s:04d}/logits", f"/batch_{s:04d}/labels") for s in range(4)],
         [("batch-size-mismatch", "error"), ("ragged-batch", "warning")],
         compute={"/batch_0003/logits": False},
         extra={"code": "batch-size-mismatch", "explanation_excludes": ["DataParallel", "flatten"],
                "fix_contains": ["drop_last=True"]})


def case_spec(c, out_dir):
    suffix = {"h5": ".h5", "npz": ".npz"}[c["fmt"]]
    path = out_dir / f"{c['name']}{suffix}"
    write(path, c["fmt"], c["tensors"], c["extra"].get("root_attributes"))
    pairs = []
    for inp, tgt in c["pairs"]:
        how = c["compute"].get(inp)
        pair = {"input": inp, "target": tgt, "computed": how is not False}
        if how == "unchecked":
            pair["unchecked"] = True
        elif isinstance(how, dict):
            pair["fix"] = how
        pairs.append(pair)
    return {"name": c["name"], "file": path.name, "fmt": c["fmt"], "options": c["options"],
            "pairs": pairs, **c["extra"],
            "diagnostics": [{"code": code, "severity": sev} for code, sev in c["diagnostics"]]}


def generate(data_dir: pathlib.Path):
    out_dir = data_dir / "sequence"
    out_dir.mkdir(parents=True, exist_ok=True)
    build_cases()
    specs = [case_spec(c, out_dir) for c in CASES]
    by_version = torch_envs.run_everywhere("torch_sequence_eval.py", [str(out_dir)], specs)
    expected = [gen_dumps.with_torch(spec, by_version) for spec in specs]
    (out_dir / "expected.json").write_text(json.dumps(expected, indent=1, allow_nan=False) + "\n")
    print(f"  {len(expected)} sequence dumps, torch {', '.join(sorted(by_version))}")
