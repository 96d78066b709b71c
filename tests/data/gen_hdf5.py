# SPDX-License-Identifier: GPL-3.0-or-later
"""HDF5 fixtures for tst_hdf5reader and tst_hdf5robustness, written by h5py.

Writes tests/data/formats/hdf5/*.h5 (a few kilobytes each) and expected.json: per fixture the
tensors (path, shape, dtype, storage, readable or why not, attributes, values), the groups,
substrings of the notes, and for damaged files a substring of the error. Every expected value
comes from numpy, h5py or torch, never from ShapeScope.

Display conventions the expectations follow (the reader documents the same rules): numbers as
numpy prints a scalar of their type (str(np.float32(x))), arrays "[1, 2, 3]" flattened with at
most 16 elements then "…", strings as their text (at most 1024 characters then "…"), bools
"True"/"False", an empty (null dataspace) attribute "(empty)".
"""
import json
import os
import pathlib
import re
import shutil

import h5py
import numpy as np
import torch

OUT = "formats/hdf5"
MAX_VALUES = 64  # tensors up to this many elements get their values in expected.json
ELLIPSIS = "\u2026"


def natural_key(name):
    """People's order: digit runs by value, the rest case-insensitively, then the plain text."""
    parts = re.split(r"(\d+)", name)
    return [(0, int(p)) if p.isdigit() else (1, p.casefold()) for p in parts if p], name


def number_text(value):
    if isinstance(value, (np.bool_, bool)):
        return "True" if value else "False"
    return str(value)


def attr_expect(name, value):
    """The Attribute{name, type, value} the reader should show for an h5py attribute value."""
    if isinstance(value, h5py.Empty):
        return {"name": name, "type": np.dtype(value.dtype).name, "value": "(empty)"}
    if isinstance(value, str):
        text = value if len(value) <= 1024 else value[:1024] + ELLIPSIS
        return {"name": name, "type": "string", "value": text}
    if isinstance(value, bytes):
        return {"name": name, "type": "string", "value": value.decode()}
    arr = np.asarray(value)
    if arr.dtype.kind in "SUO":
        items = [v.decode() if isinstance(v, bytes) else str(v) for v in arr.ravel()]
        shown = ", ".join('"%s"' % s for s in items[:16])
        return {"name": name, "type": "string",
                "value": "[" + shown + (", " + ELLIPSIS if len(items) > 16 else "") + "]"}
    type_name = arr.dtype.newbyteorder("=").name
    if arr.ndim == 0:
        return {"name": name, "type": type_name, "value": number_text(arr[()])}
    flat = arr.ravel()
    shown = ", ".join(number_text(v) for v in flat[:16])
    return {"name": name, "type": type_name,
            "value": "[" + shown + (", " + ELLIPSIS if flat.size > 16 else "") + "]"}


def saturating_int64(values):
    """Float -> int64 as ShapeScope's convertElements documents it: NaN -> 0, saturate, truncate."""
    lo, hi = -(2**63), 2**63 - 1
    out = []
    for v in values:
        v = float(v)
        if v != v:
            out.append(0)
        elif v <= lo:
            out.append(lo)
        elif v >= hi:
            out.append(hi)
        else:
            out.append(int(v))
    return out


def value_lists(arr):
    """The values of a small array read as itself and converted to float64, float32 and int64."""
    flat = np.asarray(arr).ravel()
    native = flat.astype(flat.dtype.newbyteorder("="))
    if native.dtype.kind == "f":
        as_int64 = [str(v) for v in saturating_int64(native)]
    else:
        as_int64 = [str(int(v)) for v in native.astype(np.int64)]
    with np.errstate(over="ignore", invalid="ignore"):
        return {
            "values": [repr(float(v)) if native.dtype.kind == "f" else str(int(v)) for v in native],
            "as_float64": [repr(float(v)) for v in native.astype(np.float64)],
            "as_float32": [repr(float(v)) for v in native.astype(np.float32)],
            "as_int64": as_int64,
        }


def dtype_name(dt):
    dt = np.dtype(dt)
    if dt.kind == "b":
        return "bool"
    return dt.newbyteorder("=").name


class Expectation:
    """Collects what one fixture should read as, in walk order."""

    def __init__(self):
        self.tensors = []
        self.groups = []
        self.notes = []

    def tensor(self, path, arr=None, shape=None, dtype=None, storage="contiguous", chunk=(),
               unreadable=None, attrs=(), values=True):
        if arr is not None:
            arr = np.asarray(arr)
            shape = arr.shape if shape is None else shape
            dtype = arr.dtype if dtype is None else dtype
        name = path.rsplit("/", 1)[1]
        group = path.rsplit("/", 1)[0] or "/"
        entry = {"path": path, "name": name, "group": group, "shape": list(shape),
                 "dtype": dtype_name(dtype), "storage": storage, "chunk": list(chunk),
                 "attributes": [attr_expect(k, v) for k, v in sorted(attrs, key=lambda a: natural_key(a[0]))]}
        if unreadable:
            entry["unreadable"] = unreadable
        elif arr is not None and values and arr.size <= MAX_VALUES:
            entry.update(value_lists(arr))
        self.tensors.append(entry)
        return entry

    def group(self, path, attrs=()):
        self.groups.append({"path": path, "attributes": [
            attr_expect(k, v) for k, v in sorted(attrs, key=lambda a: natural_key(a[0]))]})

    def to_json(self, h5path):
        # Stored sizes are what libhdf5 reports through h5py for the finished file.
        with h5py.File(h5path, "r") as f:
            for t in self.tensors:
                t["stored_bytes"] = int(f[t["path"]].id.get_storage_size())
        return {"tensors": self.tensors, "groups": self.groups, "notes": self.notes}


def untimed(plist_class):
    """A creation property list without object timestamps, so regenerated files are identical
    (h5py's high-level calls already leave times out; low-level ones do not)."""
    plist = h5py.h5p.create(plist_class)
    plist.set_obj_track_times(False)
    return plist


def write_attrs(obj, attrs):
    for key, value in attrs:
        obj.attrs[key] = value


def compact_json(value, indent=0):
    """JSON with one line per list of plain values, so expected.json stays readable and small."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        items = [f'{pad} {json.dumps(k)}: {compact_json(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [pad + " " + compact_json(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


# --- fixtures -------------------------------------------------------------------------------

def dtypes_fixture(path):
    """Every numeric dtype, both byte orders, bool, int enums, a scalar and zero-length axes."""
    exp = Expectation()
    rng = np.random.default_rng(7)
    arrays = {}
    for code in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
        info = np.iinfo(code)
        values = rng.integers(info.min, info.max, size=10, dtype=code, endpoint=True)
        values[:2] = [info.min, info.max]
        arrays[np.dtype(code).name] = values.reshape(2, 5)
    arrays["float16"] = np.array([[0.1, -2.5, 65504, -np.inf, np.nan], [1e-7, 3, -0.0, 7.5, 1e4]],
                                 dtype="f2")
    arrays["float32"] = np.array([[1e10, -1e10, np.nan, 2.7, -2.7], [np.inf, 0.1, 1e-30, 3e38, -7]],
                                 dtype="f4")
    arrays["float64"] = np.array([[1e300, -1e300, 0.1, -2.9, np.nan], [1e19, -1e19, 5e-324, 42, -1]],
                                 dtype="f8")
    arrays["bool"] = np.array([[True, False, True], [False, False, True]])
    arrays["big_f2"] = np.array([1.5, -0.25, 1000], dtype=">f2")
    arrays["big_f4"] = np.array([[1.25, -3.5], [1e-3, 6e7]], dtype=">f4")
    arrays["big_f8"] = np.array([np.pi, -np.e], dtype=">f8")
    arrays["big_i8"] = np.array([-(2**62), 2**40, -1, 0], dtype=">i8")
    arrays["big_u2"] = np.array([1, 256, 65535], dtype=">u2")
    arrays["scalar_f8"] = np.float64(2.5)
    arrays["scalar_i4"] = np.int32(-9)
    arrays["scalar_bool"] = np.bool_(True)
    arrays["empty_rows"] = np.zeros((0, 5), dtype="f4")
    arrays["empty_cols"] = np.zeros((3, 0), dtype="i8")
    arrays["one_d"] = np.arange(12, dtype="u1")
    arrays["three_d"] = np.arange(24, dtype="i4").reshape(2, 3, 4)
    with h5py.File(path, "w") as f:
        for name, arr in arrays.items():
            f[name] = arr
        # An integer enum reads as its base type.
        arrays["enum_i2"] = np.array([0, 42, 1, 1], dtype="i2")
        colour = h5py.enum_dtype({"RED": 0, "GREEN": 1, "BLUE": 42}, basetype="i2")
        f.create_dataset("enum_i2", data=arrays["enum_i2"], dtype=colour)
    exp.group("/")
    for name in sorted(arrays, key=natural_key):
        exp.tensor("/" + name, arrays[name])
    return exp


def groups_fixture(path, data_dir):
    """Nested batches in natural order, links of every kind and a hard-link cycle."""
    exp = Expectation()
    target = data_dir / OUT / "links_target.h5"
    with h5py.File(target, "w") as f:
        f["data"] = np.arange(4, dtype="f4")
    torch.manual_seed(3)
    with h5py.File(path, "w") as f:
        f.attrs["epoch"] = 7
        f.attrs["model"] = "resnet18"
        batches = {}
        for i in range(12):
            g = f.create_group("batch_%04d" % i)
            g.attrs["index"] = i
            logits = torch.randn(4, 3).numpy()
            targets = torch.randint(0, 3, (4,)).numpy()
            g["logits"] = logits
            g["targets"] = targets
            batches[i] = (logits, targets)
        steps = f.create_group("steps")
        for name in ["step_10", "step_2", "step_1", "Step_3", "step_02"]:
            steps[name] = np.full((2,), len(name), dtype="i2")
        deep = f.create_group("a/b/c/d")
        deep["leaf"] = np.ones((1, 1), dtype="f8")
        # h5py makes a hard link when a group object is assigned: /a/b/up -> /a is a cycle.
        f["a/b/up"] = f["a"]
        f["a/b/root"] = f["/"]
        # A second hard link to a dataset is a second path to the same tensor.
        f["logits_alias"] = f["batch_0000/logits"]
        f["latest"] = h5py.SoftLink("/batch_0011")
        f["dangling"] = h5py.SoftLink("/nowhere")
        f["other"] = h5py.ExternalLink("links_target.h5", "/data")
    exp.group("/", [("epoch", 7), ("model", "resnet18")])
    exp.group("/a")
    exp.group("/a/b")
    exp.group("/a/b/c")
    exp.group("/a/b/c/d")
    exp.tensor("/a/b/c/d/leaf", np.ones((1, 1), dtype="f8"))
    for i in range(12):
        exp.group("/batch_%04d" % i, [("index", i)])
        exp.tensor("/batch_%04d/logits" % i, batches[i][0])
        exp.tensor("/batch_%04d/targets" % i, batches[i][1])
    exp.tensor("/logits_alias", batches[0][0])
    exp.group("/steps")
    for name in sorted(["step_10", "step_2", "step_1", "Step_3", "step_02"], key=natural_key):
        exp.tensor("/steps/" + name, np.full((2,), len(name), dtype="i2"))
    exp.notes = ["/other: external link to links_target.h5:/data not followed",
                 "/latest: soft link to /batch_0011 not followed",
                 "/dangling: soft link to /nowhere not followed",
                 "/a/b/up: same group as /a", "/a/b/root: same group as /"]
    return exp


def attributes_fixture(path):
    """Attributes of every kind on the root, a group and a dataset."""
    exp = Expectation()
    shown = [
        ("int", 42), ("negative", -(2**40)), ("float", 0.1), ("float32", np.float32(0.1)),
        ("float16", np.float16(0.1)), ("big_endian", np.array(1.5, dtype=">f8")),
        ("uint8", np.uint8(200)), ("flag", True), ("off", np.bool_(False)),
        ("text", "héllo wörld"), ("fixed", np.bytes_(b"fixed text")),
        ("array", np.array([1, 2, 3])), ("floats", np.array([0.5, 1e-05, 1e16, 123456789.0])),
        ("long_array", np.arange(20, dtype="i4")), ("matrix", np.arange(6, dtype="u2").reshape(2, 3)),
        ("names", np.array(["alpha", "beta"], dtype=h5py.string_dtype())),
        ("nan", np.float64("nan")), ("inf", -np.inf), ("empty", h5py.Empty("f4")),
        ("long_text", "x" * 1100), ("empty_array", np.zeros((0,), dtype="f8")),
        ("bool_array", np.array([True, False])),
    ]
    odd = [
        ("compound", np.array((1, 2.0), dtype=[("a", "i4"), ("b", "f8")]), "compound"),
        ("ragged", None, "variable-length sequence"),
        ("ref", None, "reference"),
    ]
    with h5py.File(path, "w") as f:
        write_attrs(f, shown)
        g = f.create_group("grp")
        write_attrs(g, shown[:5])
        d = f.create_dataset("data", data=np.arange(3, dtype="f4"))
        write_attrs(d, shown)
        for obj in (f, d):
            obj.attrs["compound"] = odd[0][1]
            obj.attrs.create("ragged", np.array([np.arange(2), np.arange(3)], dtype=object),
                             dtype=h5py.vlen_dtype(np.dtype("i4")))
            obj.attrs["ref"] = g.ref
    unsupported = [{"name": n, "type": "unsupported", "value": v} for n, _, v in odd]
    exp.group("/", shown)
    exp.groups[0]["attributes"] = sorted(exp.groups[0]["attributes"] + unsupported,
                                         key=lambda a: natural_key(a["name"]))
    entry = exp.tensor("/data", np.arange(3, dtype="f4"), attrs=shown)
    entry["attributes"] = sorted(entry["attributes"] + unsupported,
                                 key=lambda a: natural_key(a["name"]))
    exp.group("/grp", shown[:5])
    return exp


def storage_fixture(path, data_dir):
    """Contiguous, compact, chunked with filters, lzf, external storage and a virtual dataset."""
    exp = Expectation()
    rng = np.random.default_rng(11)
    chunked = rng.standard_normal((50, 20)).astype("f4")
    plain_chunks = np.arange(7 * 9, dtype="i8").reshape(7, 9)
    three = rng.integers(0, 100, (5, 6, 7)).astype("u2")
    compact = np.arange(12, dtype="i4").reshape(4, 3)
    external = np.arange(6, dtype="f8")
    lzf = np.arange(30, dtype="f4").reshape(3, 10)
    source = data_dir / OUT / "vds_source.h5"
    with h5py.File(source, "w") as f:
        f["data"] = np.arange(4, dtype="f4")
    cwd = os.getcwd()
    # External storage and virtual sources are written relative to the working directory.
    os.chdir(data_dir / OUT)
    try:
        with h5py.File(path.name, "w") as f:
            f["contiguous"] = np.arange(10, dtype="f8")
            space = h5py.h5s.create_simple(compact.shape)
            dcpl = untimed(h5py.h5p.DATASET_CREATE)
            dcpl.set_layout(h5py.h5d.COMPACT)
            dsid = h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_I32LE, space, dcpl=dcpl)
            dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, compact)
            f.create_dataset("chunked", data=chunked, chunks=(16, 8), compression="gzip",
                             compression_opts=4, shuffle=True, fletcher32=True)
            f.create_dataset("plain_chunks", data=plain_chunks, chunks=(3, 4))
            f.create_dataset("chunked_3d", data=three, chunks=(2, 4, 3), compression="gzip",
                             compression_opts=1)
            f.create_dataset("lzf", data=lzf, chunks=(2, 5), compression="lzf")
            f.create_dataset("external", data=external, external=[("storage_external.bin", 0, 48)])
            # Low level, as create_virtual_dataset would stamp the object with the time.
            dcpl = untimed(h5py.h5p.DATASET_CREATE)
            virtual_space = h5py.h5s.create_simple((2, 4))
            for row in range(2):
                virtual_space.select_hyperslab((row, 0), (1, 4))
                dcpl.set_virtual(virtual_space, b"vds_source.h5", b"data",
                                 h5py.h5s.create_simple((4,)))
            virtual_space.select_all()
            h5py.h5d.create(f.id, b"virtual", h5py.h5t.IEEE_F32LE, virtual_space, dcpl=dcpl)
    finally:
        os.chdir(cwd)
    exp.group("/")
    exp.tensor("/chunked", chunked, storage="chunked 16x8, gzip 4, shuffle, fletcher32",
               chunk=(16, 8))
    exp.tensor("/chunked_3d", three, storage="chunked 2x4x3, gzip 1", chunk=(2, 4, 3))
    exp.tensor("/compact", compact, storage="compact")
    exp.tensor("/contiguous", np.arange(10, dtype="f8"))
    exp.tensor("/external", external, storage="external storage (1 file)",
               unreadable="external storage is not followed")
    exp.tensor("/lzf", lzf, storage="chunked 2x5, lzf", chunk=(2, 5),
               unreadable="needs the LZF compression filter (id 32000), which this build of HDF5 "
                          "does not have")
    exp.tensor("/plain_chunks", plain_chunks, storage="chunked 3x4", chunk=(3, 4))
    exp.tensor("/virtual", shape=(2, 4), dtype="f4", storage="virtual (2 mappings)",
               unreadable="virtual dataset refers to other files; not followed")
    # The whole arrays, for slab tests beyond MAX_VALUES.
    exp.arrays = {"/chunked": chunked, "/chunked_3d": three}
    return exp


def notes_fixture(path):
    """Datasets that are not tensors: each becomes a note."""
    exp = Expectation()
    with h5py.File(path, "w") as f:
        f["names"] = np.array(["a", "bb"], dtype=h5py.string_dtype())
        f["fixed_names"] = np.array([b"a", b"bb"])
        f["records"] = np.array([(1, 2.0)], dtype=[("a", "i4"), ("b", "f8")])
        f["complex"] = np.array([1 + 2j], dtype="c8")
        f.create_dataset("ragged", (2,), dtype=h5py.vlen_dtype(np.dtype("i4")))
        f["opaque"] = np.array([b"\x01\x02"], dtype="V2")
        f.create_dataset("refs", (1,), dtype=h5py.ref_dtype)
        tid = h5py.h5t.array_create(h5py.h5t.IEEE_F32LE, (3,))
        h5py.h5d.create(f.id, b"array_type", tid, h5py.h5s.create_simple((2,)),
                        dcpl=untimed(h5py.h5p.DATASET_CREATE))
        f["empty"] = h5py.Empty("f4")
        f["named_type"] = np.dtype("f8")
        f["numbers"] = np.arange(3, dtype="i4")
    exp.group("/")
    exp.tensor("/numbers", np.arange(3, dtype="i4"))
    exp.notes = ["/names: string dataset skipped, not numeric",
                 "/fixed_names: string dataset skipped, not numeric",
                 "/records: compound dataset skipped, not numeric",
                 "/complex: complex (compound) dataset skipped",
                 "/ragged: variable-length sequence dataset skipped, not numeric",
                 "/opaque: opaque dataset skipped, not numeric",
                 "/refs: reference dataset skipped, not numeric",
                 "/array_type: array dataset skipped, not numeric",
                 "/empty: empty dataset (null dataspace) skipped",
                 "/named_type: named datatype skipped, not data"]
    return exp


def torch_fixture(path):
    """Tensors as PyTorch hands them to numpy: .numpy() of float, half, long and bool tensors."""
    exp = Expectation()
    torch.manual_seed(0)
    tensors = {
        "logits": torch.randn(6, 4),
        "half": torch.randn(3, 5).half(),
        "labels": torch.randint(0, 4, (6,)),
        "mask": torch.rand(2, 3) > 0.5,
        "double": torch.linspace(-1, 1, 7, dtype=torch.float64),
        "bytes": torch.arange(0, 250, 50, dtype=torch.uint8),
    }
    with h5py.File(path, "w") as f:
        g = f.create_group("model")
        for name, t in tensors.items():
            g[name] = t.numpy()
    exp.group("/")
    exp.group("/model")
    for name in sorted(tensors, key=natural_key):
        exp.tensor("/model/" + name, tensors[name].numpy())
    return exp


def deep_fixture(path):
    """Groups nested deeper than the reader walks (a hostile-file guard)."""
    exp = Expectation()
    depth = 70
    fapl = h5py.h5p.create(h5py.h5p.FILE_ACCESS)
    fapl.set_libver_bounds(h5py.h5f.LIBVER_LATEST, h5py.h5f.LIBVER_LATEST)
    fid = h5py.h5f.create(str(path).encode(), h5py.h5f.ACC_TRUNC, fapl=fapl,
                          fcpl=untimed(h5py.h5p.FILE_CREATE))
    with h5py.File(fid) as f:
        gid = f.id
        for level in range(depth):
            gid = h5py.h5g.create(gid, b"d%d" % level, gcpl=untimed(h5py.h5p.GROUP_CREATE))
        h5py.Group(gid)["bottom"] = np.zeros(1)
    exp.notes = ["groups nested deeper than 64 levels are not walked"]
    exp.group_count = 65  # the root and 64 levels
    return exp


def userblock_fixture(path):
    """A 512-byte user block before the superblock (h5py userblock_size)."""
    exp = Expectation()
    with h5py.File(path, "w", userblock_size=512) as f:
        f["x"] = np.arange(5, dtype="i2")
    with open(path, "r+b") as raw:
        raw.write(b"ShapeScope user block test\n")
    exp.group("/")
    exp.tensor("/x", np.arange(5, dtype="i2"))
    return exp


def corrupt_chunk_fixture(path):
    """A Fletcher32-checked chunk with one flipped byte: the metadata opens, that chunk fails."""
    exp = Expectation()
    data = np.arange(40, dtype="f4").reshape(8, 5)
    with h5py.File(path, "w") as f:
        f.create_dataset("data", data=data, chunks=(4, 5), fletcher32=True)
        offset = f["data"].id.get_chunk_info(0).byte_offset
    with open(path, "r+b") as raw:
        raw.seek(offset + 3)
        byte = raw.read(1)
        raw.seek(offset + 3)
        raw.write(bytes([byte[0] ^ 0xFF]))
    exp.group("/")
    entry = exp.tensor("/data", data, storage="chunked 4x5, fletcher32", chunk=(4, 5), values=False)
    entry["bad_rows"] = [0, 4]
    entry["good_rows"] = [4, 8]
    entry["good_values"] = [repr(float(v)) for v in data[4:].ravel()]
    entry["read_error"] = "Fletcher32"
    return exp


def damaged_fixtures(out, good):
    blob = good.read_bytes()
    (out / "truncated.h5").write_bytes(blob[: len(blob) // 2])
    flipped = bytearray(blob)
    for i in range(8, 16):
        flipped[i] ^= 0xFF
    (out / "flipped_superblock.h5").write_bytes(bytes(flipped))
    (out / "empty.h5").write_bytes(b"")
    rng = np.random.default_rng(5)
    garbage = b"\x89HDF\r\n\x1a\n" + rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    (out / "garbage.h5").write_bytes(garbage)
    shutil.copyfile(good, out / "renamed.dat")
    return {
        "truncated.h5": {"error": "truncated file"},
        "flipped_superblock.h5": {"error": "superblock"},
        "empty.h5": {"error": "the file is empty"},
        "garbage.h5": {"error": "superblock"},
    }


def generate(data_dir: pathlib.Path):
    out = data_dir / OUT
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    expected = {}
    arrays = {}

    def add(name, exp):
        expected[name] = exp.to_json(out / name)
        for attr in ("group_count",):
            if hasattr(exp, attr):
                expected[name][attr] = getattr(exp, attr)
        for tensor_path, arr in getattr(exp, "arrays", {}).items():
            arrays[name + ":" + tensor_path] = [repr(float(v)) for v in np.asarray(arr).ravel()]

    add("dtypes.h5", dtypes_fixture(out / "dtypes.h5"))
    add("groups.h5", groups_fixture(out / "groups.h5", data_dir))
    add("attributes.h5", attributes_fixture(out / "attributes.h5"))
    add("storage.h5", storage_fixture(out / "storage.h5", data_dir))
    add("notes.h5", notes_fixture(out / "notes.h5"))
    add("torch.h5", torch_fixture(out / "torch.h5"))
    add("userblock.h5", userblock_fixture(out / "userblock.h5"))
    add("corrupt_chunk.h5", corrupt_chunk_fixture(out / "corrupt_chunk.h5"))
    deep = deep_fixture(out / "deep.h5")
    expected["deep.h5"] = {"notes": deep.notes, "group_count": deep.group_count}
    expected["renamed.dat"] = {"same_as": "dtypes.h5"}
    expected.update(damaged_fixtures(out, out / "dtypes.h5"))
    document = {"fixtures": expected, "arrays": arrays}
    (out / "expected.json").write_text(compact_json(document) + "\n")
