#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs every fix ShapeScope prints on the dump it was printed for, in real torch.

For each fixture of data/dumps and data/sequence, `shapescope check --json` gives the
diagnostics. Each error diagnostic about a pair whose fix is code (not only comments about the
model's source) is executed in a namespace holding the dump's tensors under the names the fix
uses, with torch, F, nn and np. It passes when:
  - the snippet runs (it names only tensors of the dump, and every call is valid);
  - it computes a loss (the `loss` it assigns, or the `criterion` it builds applied to the pair),
    and the loss call no longer raises;
  - no correct sample is harmed: the loss call counts at least every target position of the
    dump that was already a valid class index (no sample dropped, no batch cut short).
The user's loss options of the case (weight, ignore_index, label_smoothing, pos_weight) are the
defaults of every loss call, as the user's own criterion would have them.

    fixrunner.py SHAPESCOPE DATA_DIR [--torch 1.13]
Exit 0 all fixes pass, 1 some fail, 77 when torch, numpy or h5py is missing (ctest: skipped).
"""
import json
import pathlib
import re
import subprocess
import sys

try:
    import h5py
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as missing:
    print(f"SKIP: the fix runner needs torch, numpy and h5py ({missing})")
    sys.exit(77)

LOSSES = {"cross_entropy": F.cross_entropy, "nll": F.nll_loss,
          "bce": F.binary_cross_entropy_with_logits}


def python_name(name):
    """shaperules.cpp's pythonName: the tensor's name with every other character as '_'."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", name)
    return "t" + name if not name or name[0].isdigit() else name


def load_dump(path, fmt):
    """{tensor path as ShapeScope spells it: numpy array}."""
    if fmt == "h5":
        out = {}
        with h5py.File(path, "r") as f:
            f.visititems(lambda name, obj: out.__setitem__("/" + name, np.array(obj[()]))
                         if isinstance(obj, h5py.Dataset) else None)
        return out
    if fmt == "npz":
        with np.load(path) as z:
            return {key: np.array(z[key]) for key in z.files}
    return {p.name: np.load(p) for p in sorted(pathlib.Path(path).glob("*.npy"))}


def as_torch(array):
    try:
        return torch.from_numpy(np.array(array, copy=True, order="C"))
    except TypeError:
        return array  # a numpy type torch lacks (uint16 in 1.13): the fix converts it itself


def check_args(case):
    options = case["options"]
    args = []
    for key, flag in (("loss", "--loss"), ("ignore_index", "--ignore-index"),
                      ("label_smoothing", "--label-smoothing"), ("class_dim", "--class-dim"),
                      ("input", "--input"), ("target", "--target")):
        if key in options:
            args += [flag, str(options[key])]
    if "weight_tensor" in options:
        args += ["--weight", options["weight_tensor"]]
    elif "weight" in options:
        args += ["--weight", ",".join(str(w) for w in options["weight"])]
    if "pos_weight" in options:
        args += ["--pos-weight", ",".join(str(w) for w in options["pos_weight"])]
    return args


class Recorder:
    """Wraps F's loss functions: the user's options as defaults, and what each call counted."""

    def __init__(self, options, tensors):
        self.calls = []
        self.defaults = {}
        kind = options.get("loss", "cross_entropy")
        if "weight_tensor" in options:
            self.defaults["weight"] = tensors[options["weight_tensor"]]
        elif "weight" in options:
            self.defaults["weight"] = torch.tensor(options["weight"])
        if kind != "bce":
            self.defaults["ignore_index"] = options.get("ignore_index", -100)
        if "label_smoothing" in options:
            self.defaults["label_smoothing"] = options["label_smoothing"]
        if "pos_weight" in options:
            self.defaults["pos_weight"] = torch.tensor(options["pos_weight"])
        self.kind = kind

    def wrap(self, name, function):
        def recorded(input, target, *args, **kwargs):
            for key, value in self.defaults.items():
                if key == "label_smoothing" and name != "cross_entropy":
                    continue
                if key == "pos_weight" and name != "binary_cross_entropy_with_logits":
                    continue
                if key == "ignore_index" and name == "binary_cross_entropy_with_logits":
                    continue
                kwargs.setdefault(key, value.to(input.dtype) if torch.is_tensor(value) else value)
            result = function(input, target, *args, **kwargs)
            ignore = kwargs.get("ignore_index", -100)
            used = int((target != ignore).sum()) if not target.is_floating_point() \
                else int(target.numel())
            self.calls.append({"used": used, "loss": result})
            return result
        return recorded

    def functional(self):
        module = type(sys)("F")
        module.__dict__.update(F.__dict__)
        for name in ("cross_entropy", "nll_loss", "binary_cross_entropy_with_logits"):
            setattr(module, name, self.wrap(name, getattr(F, name)))
        return module


def correct_positions(case, target, classes, input_rank):
    """Target positions of the dump that already were valid class indices (None when the
    dump's target is not class indices: probabilities, BCE, a colour mask)."""
    options = case["options"]
    if options.get("loss") == "bce" or target.dtype.kind == "f" or target.ndim >= input_rank:
        return None
    ignore = options.get("ignore_index", -100)
    valid = (target >= 0) & (target < classes) & (target != ignore)
    return int(valid.sum())


def run_fix(case, diagnostic, pair, tensors):
    names = {python_name(path.split("/")[-1].removesuffix(".npy")): as_torch(value)
             for path, value in tensors.items()}
    x, y = pair["input"], pair["target"]
    names[python_name(x.split("/")[-1].removesuffix(".npy"))] = as_torch(tensors[x])
    names[python_name(y.split("/")[-1].removesuffix(".npy"))] = as_torch(tensors[y])
    recorder = Recorder(case["options"], {k: as_torch(v) for k, v in tensors.items()})
    namespace = {"torch": torch, "F": recorder.functional(), "nn": nn, "np": np, **names}
    exec(diagnostic["fix"], namespace)  # noqa: S102 - the point: run what users would paste
    if not recorder.calls and "criterion" in namespace:
        criterion = namespace["criterion"]
        x_name = python_name(x.split("/")[-1].removesuffix(".npy"))
        y_name = python_name(y.split("/")[-1].removesuffix(".npy"))
        target = namespace[y_name]
        loss = criterion(namespace[x_name], target)
        ignore = getattr(criterion, "ignore_index", -100)
        recorder.calls.append({"used": int((target != ignore).sum()), "loss": loss})
    if not recorder.calls:
        raise AssertionError("the fix computes no loss")
    loss = recorder.calls[-1]["loss"]
    if not torch.isfinite(loss).all():
        raise AssertionError(f"the fixed loss is {loss}")
    classes = pair.get("num_classes")
    if classes:
        before = correct_positions(case, tensors[y], classes, np.ndim(tensors[x]))
        if before is not None and recorder.calls[-1]["used"] < before:
            raise AssertionError(f"the fix drops correct samples: {recorder.calls[-1]['used']} "
                                 f"positions counted, {before} were valid")


def is_code(fix):
    return any(line.strip() and not line.strip().startswith("#") for line in fix.splitlines())


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    shapescope, data = argv[1], pathlib.Path(argv[2])
    torch_version = argv[argv.index("--torch") + 1] if "--torch" in argv else "1.13"
    failures, passed, advice = [], 0, []
    for part in ("dumps", "sequence"):
        listing = data / part / "expected.json"
        if not listing.exists():
            continue
        for case in json.loads(listing.read_text()):
            path = data / part / case["file"]
            fmt = case.get("fmt") or ("h5" if case["file"].endswith(".h5") else
                                      "npz" if case["file"].endswith(".npz") else "folder")
            done = subprocess.run([shapescope, "check", str(path), "--json", "--torch",
                                   torch_version, *check_args(case)],
                                  capture_output=True, text=True)
            if done.returncode not in (0, 1):
                failures.append(f"{case['name']}: check exited {done.returncode}: {done.stderr}")
                continue
            report = json.loads(done.stdout)
            tensors = load_dump(path, fmt)
            for diagnostic in report["diagnostics"]:
                if diagnostic["severity"] != "error" or diagnostic["pair"] is None:
                    continue
                label = f"{case['name']} {diagnostic['code']}"
                if not is_code(diagnostic["fix"]):
                    advice.append(label)
                    continue
                try:
                    run_fix(case, diagnostic, report["pairs"][diagnostic["pair"]], tensors)
                    passed += 1
                except Exception as failed:  # noqa: BLE001 - report every failing fix
                    failures.append(f"{label}: {type(failed).__name__}: {failed}\n"
                                    f"    fix: {diagnostic['fix']!r}")
    print(f"torch {torch.__version__}: {passed} fixes ran and removed the error")
    for label in advice:
        print(f"  advice for the model's code, not runnable on the dump: {label}")
    for failure in failures:
        print(f"FAIL {failure}")
    if passed == 0:
        print("FAIL no fix was run")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
