# SPDX-License-Identifier: GPL-3.0-or-later
"""Capture the tensors of a training loop's loss for ShapeScope.

    from shapescope_capture import capture
    criterion = capture(nn.CrossEntropyLoss(), "dumps/run.h5", every=100)
    loss = criterion(logits, labels)   # unchanged training code

Every `every`-th call's (input, target) is written as batch_NNNN/logits and batch_NNNN/labels
(NNNN the call's number), with the loss's settings (loss_class, weight, ignore_index,
label_smoothing, reduction) and torch_version as attributes, which ShapeScope applies when it
opens the dump. When the loss raises, that call's tensors are always written before the
exception goes on, and the command to run next is printed: `shapescope dumps/run.h5`.

`inputs=` is an optional callable returning the loader's batch (a tensor, or a dict of them),
stored as batch_NNNN/inputs[/KEY]. The dump is written to a temporary file that replaces the
previous one when complete, in a background thread (a step pays only for the copy to host
memory); the oldest batches are dropped to keep it under `max_mib` MiB. Without h5py the dump
is an .npz archive ("batch_0003/logits" entries and torch_version; the npz format has no
attributes, so the loss settings are then given to ShapeScope by hand).
"""
import os
import sys
import threading

import numpy as np

try:
    import h5py
except ImportError:  # pragma: no cover - exercised by the .npz fallback
    h5py = None

__all__ = ["capture"]


def _host(value):
    """A host-memory numpy copy of a tensor (or array-like)."""
    if hasattr(value, "detach"):
        value = value.detach()
        if value.dtype.is_floating_point and value.dtype not in _NUMPY_FLOATS:
            value = value.float()  # bfloat16 has no numpy type
        return value.cpu().numpy().copy()
    return np.array(value, copy=True)


try:
    import torch
    _NUMPY_FLOATS = (torch.float16, torch.float32, torch.float64)
except ImportError:  # pragma: no cover
    torch = None
    _NUMPY_FLOATS = ()


def _settings(loss):
    """The loss module's settings ShapeScope applies, as attributes."""
    attrs = {"loss_class": type(loss).__name__}
    for name in ("ignore_index", "label_smoothing", "reduction"):
        if hasattr(loss, name):
            value = getattr(loss, name)
            attrs[name] = str(value) if isinstance(value, str) else value
    for name in ("weight", "pos_weight"):
        value = getattr(loss, name, None)
        if value is not None:
            attrs[name] = _host(value).astype(np.float64)
    if torch is not None:
        attrs["torch_version"] = str(torch.__version__)  # a TorchVersion, h5py wants a str
    return attrs


class _Capture:
    def __init__(self, loss, path, every, inputs, max_mib):
        if every < 1:
            raise ValueError("every must be at least 1")
        self.loss = loss
        self.path = os.fspath(path)
        if h5py is None and not self.path.endswith(".npz"):
            self.path = os.path.splitext(self.path)[0] + ".npz"
        self.every = every
        self.inputs = inputs
        self.max_bytes = int(max_mib * 1024 * 1024)
        self.calls = 0
        self.batches = []  # (name, {tensor name: array}) oldest first
        self.attrs = _settings(loss)
        self._lock = threading.Lock()
        self._pending = None
        self._writer = None
        self._error = None  # a background write's failure, raised by the next flush()

    def __getattr__(self, name):
        return getattr(self.loss, name)

    def __call__(self, input, target, *args, **kwargs):
        step = self.calls
        self.calls += 1
        try:
            result = self.loss(input, target, *args, **kwargs)
        except Exception:
            self._record(step, input, target)
            self.flush()
            print(f"shapescope {self.path}", file=sys.stderr)
            raise
        if step % self.every == 0:
            self._record(step, input, target)
            self._write_in_background()
        return result

    def _record(self, step, input, target):
        tensors = {"logits": _host(input), "labels": _host(target)}
        if self.inputs is not None:
            batch = self.inputs()
            if isinstance(batch, dict):
                tensors.update({f"inputs/{k}": _host(v) for k, v in batch.items()})
            elif batch is not None:
                tensors["inputs"] = _host(batch)
        with self._lock:
            self.batches.append((f"batch_{step:04d}", tensors))
            # The newest batch always stays, even alone over the limit: it is the one asked for.
            while len(self.batches) > 1 and self._bytes() > self.max_bytes:
                self.batches.pop(0)
            self._pending = list(self.batches)

    def _bytes(self):
        return sum(a.nbytes for _, tensors in self.batches for a in tensors.values())

    def _write_in_background(self):
        if self._writer is not None and self._writer.is_alive():
            return  # the running writer picks up the newest snapshot when it finishes
        self._writer = threading.Thread(target=self._drain, daemon=True)
        self._writer.start()

    def _drain(self):
        while True:
            with self._lock:
                batches, self._pending = self._pending, None
            if batches is None:
                return
            try:
                self._write(batches)
            except Exception as error:  # the training step must not die of a full disk
                self._error = error

    def flush(self):
        """Waits until the newest batches are on disk."""
        if self._writer is not None:
            self._writer.join()
        self._drain()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _write(self, batches):
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        temporary = f"{self.path}.tmp{os.getpid()}"
        if h5py is not None:
            with h5py.File(temporary, "w") as f:
                for key, value in self.attrs.items():
                    f.attrs[key] = value
                for name, tensors in batches:
                    group = f.create_group(name)
                    for key, value in self.attrs.items():
                        group.attrs[key] = value
                    for key, array in tensors.items():
                        group[key] = array
        else:
            arrays = {f"{name}/{key}": array for name, tensors in batches
                      for key, array in tensors.items()}
            if "torch_version" in self.attrs:
                arrays["torch_version"] = np.array(self.attrs["torch_version"])
            with open(temporary, "wb") as f:
                np.savez(f, **arrays)
        os.replace(temporary, self.path)


def capture(loss, path, every=100, inputs=None, max_mib=256):
    """Wraps `loss` (an nn.Module loss) so that its calls are dumped to `path` for ShapeScope.

    every:   dump every `every`-th call (the first call is number 0); a call that raises is
             always dumped.
    inputs:  optional callable returning the loader's batch, stored beside logits and labels.
    max_mib: the dump keeps the newest batches that fit in this many MiB.
    """
    return _Capture(loss, path, every, inputs, max_mib)
