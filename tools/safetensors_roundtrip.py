#!/usr/bin/env python3
"""Cross-check of mediswift4j's safetensors reader and writer against an independent Python implementation.

The `safetensors` Python package is not available on this machine (no Debian package), so the format is written
and read here with plain struct/json/numpy, following the published layout: an 8-byte little-endian header length,
a UTF-8 JSON header (name -> dtype, shape, data_offsets; optional __metadata__), then the byte buffer.

  python3 tools/safetensors_roundtrip.py write DIR   writes DIR/python-written.safetensors and
                                                     DIR/python-written.expected.json (raw values, exact)
  python3 tools/safetensors_roundtrip.py check FILE  reads a file written by our Java writer (the fixture
                                                     java-written.safetensors) and checks its layout and values

Both fixtures live in src/test/resources/safetensors/; SafeTensorsFixtureTest reads them from Java.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": np.float64, "F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}
NAMES = {np.dtype(v).str: k for k, v in DTYPES.items()}


def write(path, tensors, metadata):
    """Writes tensors in the order the reference writer uses: by dtype size (largest first), then by name."""
    order = sorted(tensors, key=lambda n: (-tensors[n].dtype.itemsize, n))
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name in order:
        a = tensors[name] if tensors[name].flags.c_contiguous else tensors[name].copy()  # keeps 0-d shapes
        blob = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": NAMES[a.dtype.str],
                        "shape": list(a.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0, "header length %d not a multiple of 8" % n
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buf = data[8 + n:]
    meta = header.pop("__metadata__", {})
    spans = sorted((v["data_offsets"][0], v["data_offsets"][1], k) for k, v in header.items())
    pos = 0
    for b, e, k in spans:
        assert b == pos, "tensor %s starts at %d, expected %d" % (k, b, pos)
        pos = e
    assert pos == len(buf), "buffer not fully covered"
    out = {}
    for k, v in header.items():
        b, e = v["data_offsets"]
        dt = np.dtype(DTYPES[v["dtype"]]).newbyteorder("<")
        out[k] = np.frombuffer(buf[b:e], dtype=dt).reshape(v["shape"])
    return out, meta, list(header.keys())


def python_fixture():
    rng = np.random.default_rng(20240601)
    w = rng.standard_normal((3, 5)).astype(np.float32)
    w[0, 0] = -0.0
    w[1, 2] = np.float32(np.inf)
    w[2, 4] = np.float32(1e-42)   # a subnormal
    return {
        "h.0.attn.c_attn.weight": w,
        "h.0.attn.c_attn.weight.mask": (rng.random((3, 5)) < 0.5).astype(np.uint8),
        "flags": np.array([True, False, True]),
        "steps": np.array([[-3, 2147483647]], dtype=np.int32),
        "count": np.array(1 << 40, dtype=np.int64),
        "half": np.array([1.0, -2.5, 65504.0], dtype=np.float16),
        "empty": np.zeros((0, 2), dtype=np.float32),
    }


def expected_json(tensors):
    """Exact expected values: floats as their raw bit patterns (so -0.0, inf and subnormals compare exactly)."""
    out = {}
    for k, a in tensors.items():
        flat = a.reshape(-1)
        if a.dtype == np.float32:
            vals = [int(x) for x in flat.view(np.uint32)]
        elif a.dtype == np.float16:
            vals = [int(x) for x in flat.view(np.uint16)]
        else:
            vals = [int(x) for x in flat]
        out[k] = {"dtype": NAMES[a.dtype.str], "shape": list(a.shape), "values": vals}
    return out


def java_fixture_values():
    """What SafeTensorsFixtureTest.javaFixture() writes; recomputed here independently."""
    w = ((np.arange(12, dtype=np.float32) - 5) * np.float32(0.375)).reshape(3, 4)
    m = (np.arange(12) % 3 != 0).astype(np.uint8).reshape(3, 4)
    return {"weight": w, "weight.mask": m, "flags": np.array([True, False])}, {"writer": "mediswift4j"}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("write", "check"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "write":
        d = sys.argv[2]
        t = python_fixture()
        write(d + "/python-written.safetensors", t, {"format": "pt", "written_by": "tools/safetensors_roundtrip.py"})
        with open(d + "/python-written.expected.json", "w") as f:
            json.dump(expected_json(t), f, indent=1, sort_keys=True)
            f.write("\n")
        back, _, _ = read(d + "/python-written.safetensors")
        for k in t:
            assert t[k].tobytes() == back[k].tobytes(), k
        print("wrote", d + "/python-written.safetensors")
    else:
        got, meta, order = read(sys.argv[2])
        want, want_meta = java_fixture_values()
        assert meta == want_meta, meta
        assert order == list(want), order   # our writer keeps map order
        for k, a in want.items():
            assert got[k].dtype == a.dtype and got[k].shape == a.shape, (k, got[k].dtype, got[k].shape)
            assert got[k].tobytes() == a.tobytes(), k
        print("ok: %s matches the values the Java writer was given (%d tensors)" % (sys.argv[2], len(want)))


if __name__ == "__main__":
    main()
