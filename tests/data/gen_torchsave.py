# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the torch.save reader: tests/data/torchsave/.

Valid files are written by torch.save itself, under torch 1.13 (Debian's python) and a current
torch 2.x (torch_envs.py's second interpreter, which pickles storages a little differently and
adds byteorder and .format_version members). The legacy format and a TorchScript archive come
from torch too. Hostile files are zips laid out exactly as torch.save lays them out, whose
data.pkl is written by Python's own pickler with reducers that name other globals or claim
more than the storages hold.

expected.json lists per file the tensors torch.load gives (path, name, group, shape, dtype,
whether it is a view, and the values in C order for small ones), the scalars that become
attributes of their group, the number of notes (tensors listed but not analysed), or, for a
file ShapeScope must refuse, a substring of its one-line error.
"""
import collections
import io
import json
import os
import pathlib
import pickle
import subprocess
import sys
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from gen_npy import json_value  # noqa: E402

MAX_VALUES = 256


def leaf(path, value, view=False):
    bfloat16 = isinstance(value, torch.Tensor) and value.dtype == torch.bfloat16
    # numpy has no bfloat16: torch's own .float() gives the values, exactly.
    if isinstance(value, torch.Tensor):
        arr = value.float().numpy() if bfloat16 else value.numpy()
    else:
        arr = np.asarray(value)
    group = path.rsplit("/", 1)[0] or "/"
    entry = {"path": path, "name": path.rsplit("/", 1)[1], "group": group,
             "shape": list(arr.shape), "dtype": "bfloat16" if bfloat16 else arr.dtype.name,
             "view": view}
    if arr.size <= MAX_VALUES:
        entry["values"] = [json_value(v) for v in np.ascontiguousarray(arr).ravel().tolist()]
    return entry


def scalar_attr(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def describe(obj, path="/", tensors=None, attrs=None, notes=None):
    """What torch.load gave, laid out as ShapeScope lays out a dump."""
    tensors = [] if tensors is None else tensors
    attrs = {} if attrs is None else attrs
    notes = [0] if notes is None else notes
    join = (lambda name: path + name) if path == "/" else (lambda name: path + "/" + name)
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for key, value in items:
        name = str(key)
        if isinstance(value, torch.Tensor):
            if value.dtype in (torch.complex64, torch.complex128):
                notes[0] += 1
                continue
            view = (value.storage_offset() != 0 or not value.is_contiguous()
                    or value.numel() != value.storage().size())
            tensors.append(leaf(join(name), value.detach(), view))
        elif isinstance(value, np.ndarray):
            tensors.append(leaf(join(name), value))
        elif isinstance(value, (dict, list, tuple)):
            describe(value, join(name), tensors, attrs, notes)
        else:
            attrs.setdefault(path, {})[name] = scalar_attr(value)
    return {"tensors": tensors, "attributes": attrs, "notes": notes[0]}


def bfloat16_objects(g):
    """bfloat16 as LLM dumps hold it: values that are not round in decimal, the special values,
    a float32 subnormal that bfloat16 keeps, and a transposed view."""
    logits = (torch.randn(8, 5, generator=g) * 3).to(torch.bfloat16)
    specials = torch.tensor([float("inf"), -float("inf"), float("nan"), 1e-40, 3.38e38, -0.0,
                             1 / 3, -65504.5], dtype=torch.float32).to(torch.bfloat16)
    return {"logits": logits, "labels": torch.tensor([0, 4, 1, 3, 2, 2, 0, 1]),
            "logits_t": logits.t(), "specials": specials}


def valid_objects():
    g = torch.Generator().manual_seed(13)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    shared = torch.randn(6, generator=g)
    linear = torch.nn.Linear(4, 3)
    with torch.no_grad():
        linear.weight.copy_(torch.arange(12.0).reshape(3, 4) / 10)
        linear.bias.fill_(0.5)
    return {
        "dict.pt": {"logits": torch.randn(4, 3, generator=g),
                    "labels": torch.tensor([0, 2, 1, 2]), "step": 100, "lr": 0.001,
                    "name": "run-7", "scheduler": None, "flag": True},
        "list.pt": [torch.ones(2, 3), torch.tensor([1, 2, 3])],
        "nested.pt": {"batch": {"logits": torch.randn(2, 5, generator=g),
                                "labels": torch.tensor([4, 0])},
                      "out": [torch.zeros(3), (torch.tensor([1.5]), 7)]},
        "views.pt": {"x": base, "t": base.t(), "row": base[1], "col": base[:, 2],
                     "strided": base[1:, ::2]},
        "shared.pt": {"a": shared, "b": shared.view(2, 3), "tail": shared[3:]},
        "dtypes.pt": {name: t for name, t in [
            ("float64", torch.tensor([1.5, -2.25], dtype=torch.float64)),
            ("float32", torch.tensor([0.1, 1e30], dtype=torch.float32)),
            ("float16", torch.tensor([0.5, 65504.0, -1e-3], dtype=torch.float16)),
            ("bfloat16", torch.tensor([1.0, 3.0], dtype=torch.bfloat16)),
            ("int64", torch.tensor([-(2**40), 5])),
            ("int32", torch.tensor([-7, 2**30], dtype=torch.int32)),
            ("int16", torch.tensor([-300, 300], dtype=torch.int16)),
            ("int8", torch.tensor([-128, 127], dtype=torch.int8)),
            ("uint8", torch.tensor([0, 255], dtype=torch.uint8)),
            ("bool", torch.tensor([True, False, True])),
            ("complex64", torch.tensor([1 + 2j], dtype=torch.complex64)),
            ("complex128", torch.tensor([3 - 1j], dtype=torch.complex128)),
            ("scalar", torch.tensor(2.5)),
            ("empty", torch.zeros(0, 3)),
        ]},
        "state_dict.pt": linear.state_dict(),
        "parameter.pt": {"weight": torch.nn.Parameter(torch.ones(2, 2)), "epoch": 3},
        "numpy.pt": {"arr": np.arange(6, dtype=np.float32).reshape(2, 3),
                     "ints": np.array([3, 1, 2], dtype=np.int64), "t": torch.ones(2)},
        "bfloat16.pt": bfloat16_objects(g),
    }


def save_valid(folder, file, obj):
    torch.save(obj, folder / file)
    loaded = torch.load(folder / file)
    if isinstance(loaded, torch.Tensor):
        loaded = {"tensor": loaded}
    entry = {"file": file, "torch": torch.__version__}
    entry.update(describe(loaded))
    return entry


# --- hostile files: torch.save's layout, a pickle written by Python's pickler -------------

class Storage:
    def __init__(self, key, numel, kind="FloatStorage"):
        self.key, self.numel, self.kind = key, numel, kind


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False,
                     collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class Reduce:
    def __init__(self, func, args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", getattr(torch, obj.kind), obj.key, "cpu", obj.numel)
        return None


def crafted(folder, file, obj, storages, cut=None):
    buffer = io.BytesIO()
    TorchLikePickler(buffer, protocol=2).dump(obj)
    data = buffer.getvalue()[:cut]
    with zipfile.ZipFile(folder / file, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("archive/data.pkl", (2024, 1, 1, 0, 0, 0)), data)
        for key, raw in storages.items():
            z.writestr(zipfile.ZipInfo(f"archive/data/{key}", (2024, 1, 1, 0, 0, 0)), raw)
        z.writestr(zipfile.ZipInfo("archive/version", (2024, 1, 1, 0, 0, 0)), b"3\n")


def hostile(folder):
    six = np.arange(6, dtype=np.float32).tobytes()
    cases = [
        ("posix_system.pt", {"x": Reduce(os.system, ("echo pwned",))}, {}, None,
         "global 'posix.system'"),
        ("unknown_global.pt", {"m": Reduce(collections.Counter, ("abc",))}, {}, None,
         "global 'collections.Counter'"),
        ("truncated.pt", {"x": Tensor(Storage("0", 6), 0, (2, 3), (3, 1))}, {"0": six}, 60,
         "truncated"),
        ("huge_storage.pt", {"x": Tensor(Storage("0", 10**15), 0, (2, 3), (3, 1))}, {"0": six},
         None, "declares 1000000000000000 elements"),
        ("stride_out_of_range.pt", {"x": Tensor(Storage("0", 6), 0, (2, 3), (4, 1))},
         {"0": six}, None, "reaches element 6 of a storage of 6 elements"),
        ("missing_storage.pt", {"x": Tensor(Storage("7", 6), 0, (2, 3), (3, 1))}, {"0": six},
         None, "no such member"),
    ]
    entries = []
    for file, obj, storages, cut, error in cases:
        crafted(folder, file, obj, storages, cut)
        entries.append({"file": file, "error": error})
    return entries


def legacy_and_script(folder):
    torch.save({"x": torch.ones(2)}, folder / "legacy.pt", _use_new_zipfile_serialization=False)
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), folder / "script.pt")
    return [{"file": "legacy.pt", "error": "legacy format"},
            {"file": "script.pt", "error": "TorchScript"}]


def torch2_entry(folder):
    """Runs this file's --torch2 mode under the torch 2.x interpreter."""
    import torch_envs

    python = torch_envs.interpreters()[1]
    out = subprocess.run([python, __file__, "--torch2", str(folder)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def torch2_main(folder):
    folder = pathlib.Path(folder)
    objects = valid_objects()
    obj = {"views": objects["views.pt"], "dtypes": objects["dtypes.pt"],
           "numpy": objects["numpy.pt"], "epoch": 2}
    file = "torch2.pt"
    torch.save(obj, folder / file)
    loaded = torch.load(folder / file, weights_only=False)
    entry = {"file": file, "torch": torch.__version__}
    entry.update(describe(loaded))
    print(json.dumps(entry))


def write_fuzz_seeds(folder):
    """The data.pkl of each valid file on its own: tests/fuzz/fuzz_torchpickle's seeds for the
    unpickler (a pickle mutated inside its zip would fail the member's CRC first)."""
    seeds = folder / "pickles"
    seeds.mkdir(exist_ok=True)
    for path in sorted(folder.glob("*.pt")):
        if not zipfile.is_zipfile(path):
            continue
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith("/data.pkl")]
            if names and not any("/code/" in n for n in z.namelist()):
                (seeds / (path.stem + ".pkl")).write_bytes(z.read(names[0]))


def generate(data_dir):
    folder = pathlib.Path(data_dir) / "torchsave"
    folder.mkdir(exist_ok=True)
    entries = []
    for file, obj in valid_objects().items():
        entries.append(save_valid(folder, file, obj))
    tensor_file = "tensor.pt"
    torch.save(torch.arange(4, dtype=torch.int32), folder / tensor_file)
    entries.append({"file": tensor_file, "torch": torch.__version__,
                    "tensors": [leaf("/tensor", torch.arange(4, dtype=torch.int32))],
                    "attributes": {}, "notes": 0})
    entries.append(torch2_entry(folder))
    entries += legacy_and_script(folder)
    entries += hostile(folder)
    write_fuzz_seeds(folder)
    lines = ",\n".join(json.dumps(e) for e in entries)
    (folder / "expected.json").write_text('{"fixtures": [\n' + lines + "\n]}\n")


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--torch2":
    torch2_main(sys.argv[2])
