# SPDX-License-Identifier: GPL-3.0-or-later
"""The loss-kernel cases' torch values under one torch: run under each torch being compared.

    PYTHON tests/data/torch_losses.py CASES_JSON > results.json

Rebuilds gen_losses.py's cases with this interpreter's torch, checks that their inputs and
targets are exactly those committed in CASES_JSON (so both torches saw the same numbers), and
prints {"torch": torch.__version__, "cases": {name: {"torch64": ..., "torch32": ...}}}.
"""
import json
import pathlib
import sys

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import gen_losses  # noqa: E402


def main(argv):
    committed = {c["name"]: c for c in json.loads(pathlib.Path(argv[1]).read_text())["cases"]}
    out = {}
    for case in gen_losses.build():
        want = committed.get(case["name"])
        if want is None or want["input"] != case["input"] or want["target"] != case["target"]:
            sys.exit(f"{case['name']}: inputs differ from {argv[1]}; regenerate it first")
        out[case["name"]] = {"torch64": case["torch64"], "torch32": case["torch32"]}
    json.dump({"torch": torch.__version__, "cases": out}, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv)
