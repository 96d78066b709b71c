# SPDX-License-Identifier: GPL-3.0-or-later
"""Segmentation dumps for the confusion matrix, IoU and the sample maps (tst_segmentation*.cpp).

Each case is `segmentation/<name>.h5` with `logits` (N, C, H, W) or (N, C, D, H, W) float32,
`labels` (N, H, W) / (N, D, H, W) int64 holding ignore_index 255 at some positions, and for the
2-D case `images` (N, 3, H, W): a loader input of the masks' H and W. The root records
loss_class=CrossEntropyLoss and ignore_index=255 as python/shapescope_capture.py writes them.

segmentation/expected.json gives per case the confusion matrix (rows = target, columns = argmax;
ignored positions left out), per-class IoU and accuracy, the pixel accuracy and, per cell, the
samples it happens in with their position counts: all counted by numpy. `<name>_argmax.npy` is
torch.argmax(logits, dim=1) and `<name>_loss.npy` torch's reduction='none' cross_entropy, both
from the torch this runs under (Debian's 1.13: /usr/bin/python3 tests/data/generate.py
gen_segmentation).
"""
import json

import h5py
import numpy as np
import torch
import torch.nn.functional as F

RNG = np.random.default_rng(20261203)
IGNORE = 255


def make_pair(n, classes, spatial, ignored=0.1, skill=2.5):
    """Logits that mostly predict the label (so the matrix has a heavy diagonal and some
    confusions), labels with `ignored` of their positions at 255."""
    labels = RNG.integers(0, classes, size=(n, *spatial)).astype(np.int64)
    # Class classes-1 is never a target, so its row is empty but it can still be predicted.
    labels[labels == classes - 1] = 0
    noise = RNG.standard_normal((n, classes, *spatial)).astype(np.float32)
    onehot = np.moveaxis(np.eye(classes, dtype=np.float32)[labels], -1, 1)
    logits = (noise + skill * onehot).astype(np.float32)
    labels[RNG.uniform(size=labels.shape) < ignored] = IGNORE
    return logits, labels


def confusion(logits, labels, classes):
    predicted = logits.argmax(axis=1)
    valid = labels != IGNORE
    cells = labels[valid] * classes + predicted[valid]
    matrix = np.bincount(cells, minlength=classes * classes).reshape(classes, classes)
    per_cell = {}
    for s in range(labels.shape[0]):
        v = labels[s] != IGNORE
        counts = np.bincount(labels[s][v] * classes + predicted[s][v],
                             minlength=classes * classes)
        for cell in np.nonzero(counts)[0]:
            per_cell.setdefault(int(cell), []).append([s, int(counts[cell])])
    tp = np.diag(matrix).astype(np.float64)
    union = matrix.sum(axis=0) + matrix.sum(axis=1) - tp
    with np.errstate(invalid="ignore", divide="ignore"):
        iou = np.where(union > 0, tp / np.maximum(union, 1), np.nan)
        accuracy = np.where(matrix.sum(axis=1) > 0, tp / np.maximum(matrix.sum(axis=1), 1), np.nan)
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    return dict(
        classes=classes,
        matrix=matrix.tolist(),
        ignored=int((~valid).sum()),
        iou=[None if np.isnan(x) else float(x) for x in iou],
        accuracy=[None if np.isnan(x) else float(x) for x in accuracy],
        mean_iou=float(np.nanmean(iou)),
        pixel_accuracy=float(tp.sum() / matrix.sum()),
        # Off-diagonal cells, most positions first, ties in row-major order.
        most_confused=sorted(([t, p, int(off[t, p])] for t in range(classes)
                              for p in range(classes) if off[t, p] > 0),
                             key=lambda c: -c[2])[:5],
        cell_samples={str(k): v for k, v in sorted(per_cell.items())},
    )


def generate(data_dir):
    out = data_dir / "segmentation"
    out.mkdir(exist_ok=True)
    cases = {
        "seg2d": (6, 5, (12, 16)),
        "seg3d": (3, 4, (3, 5, 6)),
    }
    expected = {"torch": torch.__version__.split("+")[0], "ignore_index": IGNORE, "cases": {}}
    for name, (n, classes, spatial) in cases.items():
        logits, labels = make_pair(n, classes, spatial)
        with h5py.File(out / f"{name}.h5", "w") as f:
            f.attrs["loss_class"] = "CrossEntropyLoss"
            f.attrs["ignore_index"] = IGNORE
            f["logits"] = logits
            f["labels"] = labels
            if len(spatial) == 2:
                f["images"] = RNG.uniform(size=(n, 3, *spatial)).astype(np.float32)
        x, t = torch.from_numpy(logits), torch.from_numpy(labels)
        np.save(out / f"{name}_argmax.npy", torch.argmax(x, dim=1).numpy().astype(np.int64))
        np.save(out / f"{name}_loss.npy",
                F.cross_entropy(x, t, ignore_index=IGNORE, reduction="none").numpy())
        entry = confusion(logits, labels, classes)
        entry["shape"] = list(logits.shape)
        expected["cases"][name] = entry
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
