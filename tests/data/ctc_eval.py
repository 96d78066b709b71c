# SPDX-License-Identifier: GPL-3.0-or-later
"""What one torch says about the CTC fixtures: run under each torch being compared.

    PYTHON tests/data/ctc_eval.py CTC_DIR < cases.json > results.json

For every case, loads log_probs, targets, input_lengths and target_lengths from its .npz and
calls F.ctc_loss(reduction="none") with the case's blank and zero_infinity: the exception text
torch raises, or the per-sample losses. When the case says what ShapeScope computes instead
(e.g. log_probs.permute(1, 0, 2) for batch-first log_probs), the losses of that fix too. Prints
{"torch": torch.__version__, "cases": {name: {...}}}. Needs only torch and numpy.
"""
import json
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F


def finite(values):
    return [v if math.isfinite(v) else ("inf" if v > 0 else "-inf") for v in values]


def ctc(arrays, case, fix=None):
    t = {k: torch.from_numpy(np.array(v, copy=True)) for k, v in arrays.items()}
    log_probs = t[case["input"]]
    if fix == "permute":
        log_probs = log_probs.permute(1, 0, 2)
    loss = F.ctc_loss(log_probs, t[case["target"]], t[case["input_lengths"]],
                      t[case["target_lengths"]], blank=case.get("blank", 0),
                      reduction="none", zero_infinity=case.get("zero_infinity", False))
    return finite([float(v) for v in loss.double().tolist()])


def bce(arrays, case):
    x = torch.from_numpy(arrays[case["input"]])
    y = torch.from_numpy(arrays[case["target"]])
    if case["loss"] == "bce":
        loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    else:
        loss = F.cross_entropy(x, y, reduction="none")
    return finite([float(v) for v in loss.double().reshape(loss.shape[0], -1).mean(1).tolist()])


def main():
    folder = pathlib.Path(sys.argv[1])
    out = {}
    for case in json.load(sys.stdin):
        with np.load(folder / case["file"]) as z:
            arrays = {k: z[k] for k in z.files}
        result = {"pytorch_error": None, "losses": None}
        try:
            result["losses"] = ctc(arrays, case) if case["loss"] == "ctc" else bce(arrays, case)
        except Exception as e:  # the text torch gives is what the fixture records
            result["pytorch_error"] = str(e).split("\n")[0]
        if case.get("fix"):
            result["fix_losses"] = ctc(arrays, case, case["fix"])
        out[case["name"]] = result
    json.dump({"torch": torch.__version__, "cases": out}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
