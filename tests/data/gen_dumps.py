# SPDX-License-Identifier: GPL-3.0-or-later
"""Dumps for the analysis tests: one per diagnostic and clean twins, each with what torch says.

For every case this writes a small dump (HDF5, NPZ or a folder of .npy) and records in
dumps/expected.json:
  - the pairs ShapeScope must find,
  - the diagnostics it must raise (code and severity; the set is the spec of each case),
  - per supported torch ("torch": {"1.13": ..., "2.15": ...}), the exception text and warnings
    torch raises for the raw pair, and its reduction='none' losses per sample and its
    reduction='mean', computed the way the fix computes them when PyTorch raises but the intent
    is clear (permuted class axis, .long()); torch_envs.py runs each torch on the written files;
  - the same fields at the pair's top level for the newest torch, what ShapeScope says when
    neither the user nor the dump names a version.
The arrays are made here, under Debian's interpreter, so the files stay byte-identical.
"""
import json
import pathlib

import h5py
import numpy as np
import torch
import torch.nn.functional as F

import torch_envs

RNG = np.random.default_rng(20261126)


def logits(*shape, dtype=np.float32, scale=2.0):
    return (RNG.standard_normal(shape) * scale).astype(dtype)


def labels(n_classes, *shape, dtype=np.int64):
    return RNG.integers(0, n_classes, size=shape).astype(dtype)


def write(path, fmt, tensors, attrs=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "h5":
        with h5py.File(path, "w") as f:
            for name, value in (attrs or {}).items():
                f.attrs[name] = value
            for name, array in tensors.items():
                f.create_dataset(name, data=array)
    elif fmt == "npz":
        # root attributes: 0-d string arrays beside the tensors, as a capture would store them
        np.savez(path, **tensors, **{k: np.array(v) for k, v in (attrs or {}).items()})
    elif fmt == "folder":
        path.mkdir(parents=True, exist_ok=True)
        for old in path.glob("*.npy"):
            old.unlink()
        for name, array in tensors.items():
            np.save(path / f"{name}.npy", array)
    else:
        raise ValueError(fmt)


CASES = []


def case(name, fmt, tensors, pairs, diagnostics, options=None, compute=None, extra=None):
    """pairs: [(input, target)]; diagnostics: [(code, severity)], or {torch version: that list}
    when releases disagree on the verdict;
    compute: {input_path: fix} says how torch computes the expected losses: a fix
    {"permute": [axes]} on the input or {"target": "long"|"float"} (see torch_eval.apply_fix),
    None keeps the raw tensors, False means ShapeScope must not compute losses (PyTorch
    raises and the intent is unclear), "unchecked" means losses are computed but torch has no
    values to compare with (it raises on the target values)."""
    CASES.append(dict(name=name, fmt=fmt, tensors=tensors, pairs=pairs, diagnostics=diagnostics,
                      options=options or {}, compute=compute or {}, extra=extra or {}))


def build_cases():
    # --- clean dumps: no error, exact losses ---------------------------------------------
    case("ce_basic", "h5", {"logits": logits(32, 10), "labels": labels(10, 32)},
         [("/logits", "/labels")], [])
    t = labels(5, 16)
    t[[3, 7]] = -100
    case("ce_weight_smoothing", "npz", {"logits": logits(16, 5), "labels": t},
         [("logits", "labels")], [],
         options={"weight": [0.5, 1.0, 2.0, 1.5, 0.25], "label_smoothing": 0.1})
    case("ce_kdim_1d", "h5", {"logits": logits(4, 3, 7), "targets": labels(3, 4, 7)},
         [("/logits", "/targets")], [])
    case("ce_kdim_3d", "npz", {"pred": logits(2, 3, 2, 3, 4), "target": labels(3, 2, 2, 3, 4)},
         [("pred", "target")], [])
    mask = labels(4, 2, 6, 6)
    mask[0, :2, :] = 255
    mask[1] = 255
    case("seg_ignore_255", "h5", {"scores": logits(2, 4, 6, 6), "mask": mask},
         [("/scores", "/mask")], [], options={"ignore_index": 255})
    case("seg_sentinel_255", "h5", {"scores": logits(2, 4, 6, 6), "mask": mask},
         [("/scores", "/mask")], [("target-out-of-range", "error")],
         compute={"/scores": "unchecked"})
    probs = torch.softmax(torch.randn(8, 5, generator=torch.Generator().manual_seed(1)), 1).numpy()
    case("ce_probabilities", "npz", {"logits": logits(8, 5), "targets": probs.astype(np.float32)},
         [("logits", "targets")], [], options={"label_smoothing": 0.2, "weight": [1, 2, 1, 0.5, 1]})
    log_probs = torch.log_softmax(torch.from_numpy(logits(12, 6)), 1).numpy()
    case("nll_basic", "h5", {"output": log_probs, "target": labels(6, 12)},
         [("/output", "/target")], [], options={"loss": "nll"})
    case("bce_basic", "h5", {"logits": logits(8, 6),
                             "labels": RNG.integers(0, 2, (8, 6)).astype(np.float32)},
         [("/logits", "/labels")], [], options={"loss": "bce", "pos_weight": [1, 2, 3, 1, 0.5, 1]})
    case("bce_kdim", "npz", {"logits": logits(2, 3, 4, 5),
                             "mask": RNG.integers(0, 2, (2, 3, 4, 5)).astype(np.float32)},
         [("logits", "mask")], [], options={"loss": "bce"})
    case("ce_float64", "h5", {"logits": logits(9, 4, dtype=np.float64), "y": labels(4, 9)},
         [("/logits", "/y")], [])
    case("ce_float16", "h5", {"logits": logits(9, 4, dtype=np.float16), "labels": labels(4, 9)},
         [("/logits", "/labels")], [])
    case("ce_unbatched", "npz", {"logits": logits(10), "label": np.array(3, dtype=np.int64)},
         [("logits", "label")], [])
    case("ce_uint8_targets", "npz", {"logits": logits(6, 4), "labels": labels(4, 6, dtype=np.uint8)},
         [("logits", "labels")], [])
    case("folder_pair", "folder", {"logits": logits(5, 3), "labels": labels(3, 5)},
         [("logits.npy", "labels.npy")], [])
    case("names_variants", "h5",
         {"model_output": logits(4, 3), "y_true": labels(3, 4),
          "group/train_logits": logits(6, 3), "group/train_labels": labels(3, 6),
          "group/val_logits": logits(5, 3), "group/val_labels": labels(3, 5),
          "other/y_pred": logits(3, 2), "other/y": labels(2, 3),
          "other/embeddings": logits(3, 8)},
         [("/model_output", "/y_true"), ("/group/train_logits", "/group/train_labels"),
          ("/group/val_logits", "/group/val_labels"), ("/other/y_pred", "/other/y")],
         [("unpaired-tensor", "info")])
    case("override_pair", "npz", {"a": logits(7, 4), "b": labels(4, 7)},
         [("a", "b")], [], options={"input": "a", "target": "b"})

    # --- runs -------------------------------------------------------------------------------
    run = {}
    for step in range(4):
        n = 32 if step < 3 else 20
        run[f"batch_{step:04d}/logits"] = logits(n, 10)
        run[f"batch_{step:04d}/labels"] = labels(10, n)
    case("run_ragged", "h5", run, [(f"/batch_{s:04d}/logits", f"/batch_{s:04d}/labels") for s in range(4)],
         [("ragged-batch", "warning")], extra={"runs": [{"name": "/batch_#", "sizes": [32, 32, 32, 20]}]})
    nested = {}
    for epoch in (2, 10):
        for it in (1, 3):
            nested[f"epoch_{epoch}/iter_{it}/logits"] = logits(4, 3)
            nested[f"epoch_{epoch}/iter_{it}/labels"] = labels(3, 4)
    case("run_nested", "h5", nested,
         [(f"/epoch_{e}/iter_{i}/logits", f"/epoch_{e}/iter_{i}/labels") for e in (2, 10) for i in (1, 3)],
         [], extra={"runs": [{"name": "/epoch_#/iter_#", "sizes": [4, 4, 4, 4]}]})
    short = {}
    for step in range(3):
        short[f"step_{step}/logits"] = logits(64, 10)
        short[f"step_{step}/labels"] = labels(10, 64 if step < 2 else 40)
    case("run_short_last_batch", "h5", short,
         [(f"/step_{s}/logits", f"/step_{s}/labels") for s in range(3)],
         [("batch-size-mismatch", "error"), ("ragged-batch", "warning")],
         compute={"/step_2/logits": False})
    classes_run = {}
    for step in range(3):
        c = 10 if step != 1 else 9
        classes_run[f"batch_{step}/logits"] = logits(8, c)
        classes_run[f"batch_{step}/labels"] = labels(9, 8)
    case("run_class_count", "npz", classes_run,
         [(f"batch_{s}/logits", f"batch_{s}/labels") for s in range(3)],
         [("class-count-mismatch", "warning")])

    # --- shape errors ----------------------------------------------------------------------
    case("batch_32_vs_64", "h5", {"logits": logits(32, 10), "labels": labels(10, 64)},
         [("/logits", "/labels")], [("batch-size-mismatch", "error")], compute={"/logits": False})
    case("batch_view_mistake", "npz", {"logits": logits(64, 5), "labels": labels(10, 32)},
         [("logits", "labels")], [("batch-size-mismatch", "error")], compute={"logits": False})
    case("batch_flatten_mistake", "npz", {"logits": logits(96, 10), "labels": labels(10, 8, 12)},
         [("logits", "labels")], [("batch-size-mismatch", "error")], compute={"logits": False})
    case("target_column", "h5", {"logits": logits(16, 4), "labels": labels(4, 16, 1)},
         [("/logits", "/labels")], [("target-shape-mismatch", "error")], compute={"/logits": False})
    case("seg_spatial_mismatch", "h5", {"logits": logits(2, 5, 8, 8), "mask": labels(5, 2, 8, 9)},
         [("/logits", "/mask")], [("target-shape-mismatch", "error")], compute={"/logits": False})
    case("seg_mask_channel", "h5", {"logits": logits(2, 5, 8, 8), "mask": labels(5, 2, 1, 8, 8)},
         [("/logits", "/mask")], [("target-shape-mismatch", "error")], compute={"/logits": False})
    case("kdim_target_rank", "npz", {"logits": logits(2, 5, 8), "labels": labels(5, 2, 8, 1)},
         [("logits", "labels")], [("target-shape-mismatch", "error")], compute={"logits": False})
    x = logits(4, 7, 10)
    y = labels(10, 4, 7)
    case("class_dim_last", "h5", {"logits": x, "labels": y}, [("/logits", "/labels")],
         [("class-dim-last", "error")],
         compute={"/logits": {"permute": [0, 2, 1]}})
    case("class_dim_last_ambiguous", "h5", {"logits": logits(4, 10, 10), "labels": labels(10, 4, 10)},
         [("/logits", "/labels")], [("class-dim-last", "warning")])
    x4 = logits(2, 4, 4, 5)
    y4 = labels(5, 2, 4, 4)
    case("class_dim_last_4d", "npz", {"logits": x4, "labels": y4}, [("logits", "labels")],
         [("class-dim-last", "error")],
         compute={"logits": {"permute": [0, 3, 1, 2]}})
    case("class_dim_explicit", "npz", {"logits": x4, "labels": y4}, [("logits", "labels")],
         [("class-dim-last", "error")], options={"class_dim": -1},
         compute={"logits": {"permute": [0, 3, 1, 2]}})
    case("input_scalar_loss", "npz", {"output": np.array(1.5, dtype=np.float32), "labels": labels(3, 4)},
         [("output", "labels")], [("target-shape-mismatch", "error")], compute={"output": False})

    # --- value errors ------------------------------------------------------------------------
    y = labels(10, 32)
    y[[5, 20]] = 10
    y[9] = 12
    case("target_out_of_range", "h5", {"logits": logits(32, 10), "labels": y},
         [("/logits", "/labels")], [("target-out-of-range", "error")], compute={"/logits": "unchecked"})
    y = labels(6, 24)
    y[[2, 11]] = -1
    case("target_sentinel_minus_one", "npz", {"logits": logits(24, 6), "labels": y},
         [("logits", "labels")], [("target-out-of-range", "error")], compute={"logits": "unchecked"})
    case("target_sentinel_ignored", "npz", {"logits": logits(24, 6), "labels": y},
         [("logits", "labels")], [], options={"ignore_index": -1})
    y = RNG.integers(1, 11, size=64).astype(np.int64)
    y[:10] = np.arange(1, 11)
    case("labels_one_based", "h5", {"logits": logits(64, 10), "labels": y},
         [("/logits", "/labels")], [("labels-shifted", "error")], compute={"/logits": "unchecked"})
    y = RNG.integers(1, 6, size=60).astype(np.int64)
    y[:5] = np.arange(1, 6)
    case("labels_class_zero_missing", "h5", {"logits": logits(60, 6), "labels": y},
         [("/logits", "/labels")], [("labels-shifted", "warning")])
    yf = labels(5, 12).astype(np.float32)
    x = logits(12, 5)
    case("target_float_indices", "npz", {"logits": x, "labels": yf}, [("logits", "labels")],
         [("target-dtype", "error")],
         compute={"logits": {"target": "long"}})
    yi = labels(5, 12, dtype=np.int32)
    case("target_int32", "npz", {"logits": x, "labels": yi}, [("logits", "labels")],
         [("target-dtype", "error")],
         compute={"logits": {"target": "long"}})
    yb = labels(3, 2, 4, 4, dtype=np.uint8)
    xs = logits(2, 3, 4, 4)
    case("target_uint8_segmentation", "h5", {"logits": xs, "mask": yb}, [("/logits", "/mask")],
         [("target-dtype", "error")],
         compute={"/logits": {"target": "long"}})
    yu = labels(5, 12, dtype=np.uint16)
    case("target_uint16", "npz", {"logits": x, "labels": yu}, [("logits", "labels")],
         [("target-dtype", "error")],
         compute={"logits": {"target": "long"}})
    onehot = F.one_hot(torch.from_numpy(labels(5, 8)), 5).numpy()
    xo = logits(8, 5)
    case("one_hot_integer", "h5", {"logits": xo, "labels": onehot}, [("/logits", "/labels")],
         [("one-hot-target", "error")],
         compute={"/logits": {"target": "float"}})
    multihot = RNG.integers(0, 2, (8, 5)).astype(np.float32)
    multihot[:, 0] = 1
    multihot[:, 1] = 1
    case("multi_hot_to_cross_entropy", "h5", {"logits": xo, "labels": multihot},
         [("/logits", "/labels")], [("one-hot-target", "warning")])
    probs = torch.softmax(torch.from_numpy(logits(16, 7)), 1).numpy()
    case("softmax_before_loss", "h5", {"probs_output": probs, "labels": labels(7, 16)},
         [("/probs_output", "/labels")], [("softmax-before-loss", "warning")])
    case("nll_on_probabilities", "h5", {"output": probs, "labels": labels(7, 16)},
         [("/output", "/labels")], [("softmax-before-loss", "warning")], options={"loss": "nll"})
    case("nll_on_logits", "h5", {"output": logits(16, 7), "labels": labels(7, 16)},
         [("/output", "/labels")], [("input-not-log-probabilities", "warning")], options={"loss": "nll"})
    xn = logits(10, 4)
    xn[3, 1] = np.nan
    xn[7, 0] = np.inf
    case("non_finite_input", "npz", {"logits": xn, "labels": labels(4, 10)},
         [("logits", "labels")], [("non-finite-input", "error")])
    case("weight_wrong_length", "h5", {"logits": logits(8, 5), "labels": labels(5, 8)},
         [("/logits", "/labels")], [("class-count-mismatch", "error")],
         options={"weight": [1.0, 1.0, 1.0, 1.0]}, compute={"/logits": False})
    case("weight_tensor", "h5", {"logits": logits(8, 5), "labels": labels(5, 8),
                                 "class_weight": np.array([1, 2, 3, 4, 5], dtype=np.float32)},
         [("/logits", "/labels")], [], options={"weight_tensor": "/class_weight",
                                                "weight": [1, 2, 3, 4, 5]})
    case("bce_shape_mismatch", "npz", {"logits": logits(8, 6), "labels": labels(2, 8, 5).astype(np.float32)},
         [("logits", "labels")], [("target-shape-mismatch", "error")], options={"loss": "bce"},
         compute={"logits": False})
    yl = labels(2, 8, 6)
    xb = logits(8, 6)
    case("bce_integer_target", "npz", {"logits": xb, "labels": yl}, [("logits", "labels")],
         [("target-dtype", "error")], options={"loss": "bce"},
         compute={"logits": {"target": "float"}})
    case("bce_class_indices", "npz", {"logits": xb, "labels": labels(6, 8)}, [("logits", "labels")],
         [("target-shape-mismatch", "error")], options={"loss": "bce"}, compute={"logits": False})
    sig = torch.sigmoid(torch.from_numpy(xb)).numpy()
    case("sigmoid_before_bce", "npz", {"logits": sig, "labels": yl.astype(np.float32)},
         [("logits", "labels")], [("sigmoid-before-loss", "warning")], options={"loss": "bce"})
    case("integer_input", "npz", {"logits": labels(5, 6, 5), "labels": labels(5, 6)},
         [("logits", "labels")], [("input-dtype", "error")], compute={"logits": False})
    case("lone_tensor", "npz", {"embeddings": logits(4, 8)}, [],
         [("unpaired-tensor", "info"), ("no-pair-checked", "warning")])
    # --- verdicts that changed between releases (new cases go last: earlier dumps keep their
    # random draws, so their files stay byte-identical) ----------------------------------------
    case("ce_unbatched_one_element_target", "npz",
         {"logits": logits(10), "label": np.array([3], dtype=np.int64)}, [("logits", "label")],
         {"1.13": [("target-shape-mismatch", "error")],
          "2.15": [("torch-version-difference", "info")]})
    # The capture code records torch.__version__: ShapeScope speaks for that release by default.
    x = logits(12, 5)
    case("target_float_recorded_torch", "h5", {"logits": x, "labels": labels(5, 12).astype(np.float32)},
         [("/logits", "/labels")], [("target-dtype", "error")], compute={"/logits": {"target": "long"}},
         extra={"root_attributes": {"torch_version": "1.13.1+cu117"}, "default_torch": "1.13"})
    case("target_float_recorded_torch_npz", "npz",
         {"logits": x, "labels": labels(5, 12).astype(np.float32)}, [("logits", "labels")],
         [("target-dtype", "error")], compute={"logits": {"target": "long"}},
         extra={"root_attributes": {"torch_version": "1.13.1"}, "default_torch": "1.13"})


def case_spec(c, data_dir):
    """Writes the case's dump and returns what torch_eval.py and the tests need of it."""
    suffix = {"h5": ".h5", "npz": ".npz", "folder": ""}[c["fmt"]]
    path = data_dir / "dumps" / f"{c['name']}{suffix}"
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
    def listed(diagnostics):
        return [{"code": code, "severity": sev} for code, sev in diagnostics]

    spec = {"name": c["name"], "file": path.name, "fmt": c["fmt"], "options": c["options"],
            "pairs": pairs, **c["extra"]}
    if isinstance(c["diagnostics"], dict):
        spec["diagnostics_by_torch"] = {v: listed(d) for v, d in c["diagnostics"].items()}
        spec["diagnostics"] = spec["diagnostics_by_torch"][torch_envs.newest(c["diagnostics"])]
    else:
        spec["diagnostics"] = listed(c["diagnostics"])
    return spec


def with_torch(spec, by_version):
    """The spec with each version's results on its pairs, and at the top level those of the
    version ShapeScope speaks for by default (the one the dump records, else the newest)."""
    default = spec.get("default_torch") or torch_envs.newest(by_version)
    out = {k: v for k, v in spec.items() if k != "fmt"}
    out["pairs"] = []
    for index, pair in enumerate(spec["pairs"]):
        entry = {k: v for k, v in pair.items() if k not in ("unchecked", "fix", "computed")}
        per_version = {version: results[spec["name"]][index]
                       for version, results in by_version.items()}
        chosen = per_version[default]
        entry["computed"] = chosen["computed"]
        entry["pytorch_error"] = chosen["pytorch_error"]
        entry["losses"] = chosen.get("losses")
        if "mean" in chosen:
            entry["mean"] = chosen["mean"]
        entry["torch"] = per_version
        out["pairs"].append(entry)
    return out


def generate(data_dir: pathlib.Path):
    torch.manual_seed(0)
    build_cases()
    specs = [case_spec(c, data_dir) for c in CASES]
    by_version = torch_envs.run_everywhere("torch_eval.py", [str(data_dir / "dumps")], specs)
    expected = [with_torch(spec, by_version) for spec in specs]
    (data_dir / "dumps" / "expected.json").write_text(
        json.dumps(expected, indent=1, allow_nan=False) + "\n")
    print(f"  {len(expected)} analysis dumps, torch {', '.join(sorted(by_version))}")
