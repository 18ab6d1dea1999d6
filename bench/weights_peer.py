#!/usr/bin/env python3
"""The Python peer of `sftatlas weights` for the benchmark: the same CSV (full checkpoints only, no LoRA),
computed as fast as this script knows how with NumPy, or with PyTorch.

    python3 bench/weights_peer.py BASE_DIR TUNED_DIR OUT_CSV [--torch] [--run NAME] [--threads N]

Prints only the elapsed seconds (wall clock, from start to the CSV written). --run sets the `run` field
(default: TUNED_DIR's folder name); --threads the worker threads of the NumPy path (default: the number of
CPUs). The CSV: `run,layer,position,module,params,delta_fro,base_fro,relative`, the semantics of
scripts/check_weights.py (which documents them and checks this CSV), rows in the same order: layers in
increasing order, each layer's modules by name then `all`, then the tensors outside layers by name.

Method (NumPy, the default): each safetensors file is memory-mapped (mmap, read-only) and its header parsed
by hand; tensors are taken one at a time, in the order of their bytes in the base's files, and cut into
blocks of 4M elements that a pool of threads works on (NumPy releases the GIL in its loops). A block is
converted 1M elements at a time into preallocated float64 buffers, exactly (BF16 through ml_dtypes'
bfloat16 when importable, else by the uint16 -> uint32 << 16 -> float32 shift; F16 and F32 by NumPy's
casts), the difference is taken in float64 and the squares summed by np.dot (BLAS) in float64. Nothing
larger than a few MB per thread is ever allocated, so memory stays flat whatever the checkpoint's size
(the mapped pages are the kernel's page cache).

Method (--torch): the same files memory-mapped copy-on-write and wrapped by torch.frombuffer, each tensor
converted to float64 in blocks of 4M elements, the sums by torch.dot; PyTorch's own intra-op threads."""
import time
T0 = time.perf_counter()  # the elapsed time printed covers imports (NumPy and ml_dtypes) too
import csv, json, math, mmap, os, re, sys, threading
# The NumPy path runs its own threads; OpenBLAS's threads inside each np.dot only compete with them.
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
from concurrent.futures import ThreadPoolExecutor
import numpy as np

BLOCK = 1 << 22  # elements per task
SUB = 1 << 20  # elements converted at a time inside a task (2 float64 buffers of 8 MB per thread)
HEADER = ['run', 'layer', 'position', 'module', 'params', 'delta_fro', 'base_fro', 'relative']

try:
    import ml_dtypes
    BF16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:
    BF16 = None
NP_DTYPES = {'BF16': np.dtype('<u2'), 'F16': np.dtype('<f2'), 'F32': np.dtype('<f4')}


def read_header(path):
    with open(path, 'rb') as f:
        n = int.from_bytes(f.read(8), 'little')
        header = json.loads(f.read(n))
    header.pop('__metadata__', None)
    for name, info in header.items():
        if info['dtype'] not in NP_DTYPES:
            sys.exit(f'{path}: {name}: dtype {info["dtype"]} is not BF16, F16 or F32')
    return 8 + n, header


def checkpoint(folder):
    """{normalized name: (file path, absolute offset, dtype, shape)}."""
    single = os.path.join(folder, 'model.safetensors')
    if os.path.isfile(single):
        files = {single: None}
    elif not os.path.isfile(os.path.join(folder, 'model.safetensors.index.json')):
        sys.exit(f'{folder}: neither model.safetensors nor model.safetensors.index.json')
    else:
        with open(os.path.join(folder, 'model.safetensors.index.json')) as f:
            weight_map = json.load(f)['weight_map']
        files = {}
        for name, file in weight_map.items():
            files.setdefault(os.path.join(folder, file), set()).add(name)
    out = {}
    for path, names in files.items():
        start, header = read_header(path)
        for name, info in header.items():
            if names is not None and name not in names:
                continue
            key = name[len('model.'):] if name.startswith('model.') else name
            out[key] = (path, start + info['data_offsets'][0], info['dtype'], tuple(info['shape']))
    return out


LAYER = re.compile(r'layers\.(\d+)\.(.+)$', re.S)


def classify(name):
    m = LAYER.match(name)
    if m:
        rest = m.group(2)
        first, dot, tail = rest.partition('.')
        if first in ('self_attn', 'mlp') and dot:
            rest = tail
        return int(m.group(1)), rest[:-len('.weight')] if rest.endswith('.weight') else rest
    return None, name[:-len('.weight')] if name.endswith('.weight') else name


# ---------------------------------------------------------------------------------------------------
# NumPy

class Buffers:
    """One thread's scratch: float64 base, tuned and difference, and a uint32 for the BF16 shift."""
    def __init__(self):
        self.b, self.t = np.empty(SUB, np.float64), np.empty(SUB, np.float64)
        self.u = np.empty(SUB, np.uint32)


def to_f64(raw, dtype, out, bufs):
    """Exact conversion of a raw little-endian block into out (float64)."""
    if dtype == 'BF16':
        if BF16 is not None:
            np.copyto(out, raw.view(BF16), casting='unsafe')
        else:
            u = bufs.u[:raw.size]
            np.copyto(u, raw, casting='unsafe')
            np.left_shift(u, 16, out=u)
            np.copyto(out, u.view(np.float32))
    else:
        np.copyto(out, raw)


def numpy_sums(base, tuned, threads):
    maps = {}

    def view(entry, start, count):
        path, offset, dtype, _ = entry
        if path not in maps:
            with open(path, 'rb') as f:
                maps[path] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        dt = NP_DTYPES[dtype]
        return np.frombuffer(maps[path], dtype=dt, count=count, offset=offset + start * dt.itemsize)

    local = threading.local()

    def task(name, start, count):
        bufs = getattr(local, 'bufs', None)
        if bufs is None:
            bufs = local.bufs = Buffers()
        be, te = base[name], tuned[name]
        rb, rt = view(be, start, count), view(te, start, count)
        sd = sb = 0.0
        for s in range(0, count, SUB):
            k = min(SUB, count - s)
            b, t = bufs.b[:k], bufs.t[:k]
            to_f64(rb[s:s + k], be[2], b, bufs)
            to_f64(rt[s:s + k], te[2], t, bufs)
            sb += float(np.dot(b, b))
            np.subtract(t, b, out=t)
            sd += float(np.dot(t, t))
        return name, sd, sb

    # the maps are opened before the threads start, so that the dict is only read by them
    for entry in list(base.values()) + list(tuned.values()):
        view(entry, 0, 0)
    order = sorted(base, key=lambda n: (base[n][0], base[n][1]))
    jobs = []
    for name in order:
        n = math.prod(base[name][3])
        jobs += [(name, s, min(BLOCK, n - s)) for s in range(0, n, BLOCK)] or [(name, 0, 0)]
    sums = {name: [0.0, 0.0] for name in order}
    with ThreadPoolExecutor(threads) as pool:
        for name, sd, sb in pool.map(lambda j: task(*j), jobs):
            sums[name][0] += sd
            sums[name][1] += sb
    return sums


# ---------------------------------------------------------------------------------------------------
# PyTorch

def torch_sums(base, tuned):
    try:
        import torch
    except ImportError:
        sys.exit('--torch: PyTorch is not installed')
    dtypes = {'BF16': torch.bfloat16, 'F16': torch.float16, 'F32': torch.float32}
    sizes = {'BF16': 2, 'F16': 2, 'F32': 4}
    maps = {}

    def tensor(entry):
        path, offset, dtype, shape = entry
        if path not in maps:
            with open(path, 'rb') as f:  # copy-on-write: writable for torch.frombuffer, never written
                maps[path] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        n = math.prod(shape)
        if n == 0:
            return torch.empty(0, dtype=dtypes[dtype])
        return torch.frombuffer(maps[path], dtype=dtypes[dtype], count=n, offset=offset)

    sums = {}
    with torch.inference_mode():
        for name in sorted(base, key=lambda n: (base[n][0], base[n][1])):
            b, t = tensor(base[name]), tensor(tuned[name])
            sd = sb = 0.0
            for s in range(0, b.numel(), BLOCK):
                b64 = b[s:s + BLOCK].to(torch.float64)
                d64 = t[s:s + BLOCK].to(torch.float64) - b64
                sb += torch.dot(b64, b64).item()
                sd += torch.dot(d64, d64).item()
            sums[name] = [sd, sb]
    return sums


# ---------------------------------------------------------------------------------------------------

def main(argv):
    use_torch = '--torch' in argv
    argv = [a for a in argv if a != '--torch']
    run = threads = None
    for flag in ('--run', '--threads'):
        if flag in argv:
            i = argv.index(flag)
            if i + 1 >= len(argv):
                sys.exit(__doc__)
            value = argv[i + 1]
            argv = argv[:i] + argv[i + 2:]
            if flag == '--run':
                run = value
            else:
                threads = int(value)
    if len(argv) != 3 or any(a.startswith('--') for a in argv):
        sys.exit(__doc__)
    base_dir, tuned_dir, out = argv
    if run is None:
        run = os.path.basename(os.path.normpath(tuned_dir))
    base, tuned = checkpoint(base_dir), checkpoint(tuned_dir)
    if set(base) != set(tuned):
        sys.exit(f'the checkpoints hold different tensors: {sorted(set(base) ^ set(tuned))[:10]}')
    for name in base:
        if base[name][3] != tuned[name][3]:
            sys.exit(f'{name}: shapes {list(base[name][3])} and {list(tuned[name][3])}')

    sums = torch_sums(base, tuned) if use_torch else numpy_sums(base, tuned, threads or os.cpu_count() or 1)

    rows, totals = {}, {}
    for name, (sd, sb) in sums.items():
        layer, module = classify(name)
        shape = base[name][3]
        rows[(layer, module)] = (math.prod(shape), sd, sb)
        if layer is not None:
            acc = totals.setdefault(layer, [0, 0.0, 0.0])
            if len(shape) == 2:
                acc[0] += math.prod(shape)
                acc[1] += sd
                acc[2] += sb
    for layer, acc in totals.items():
        rows[(layer, 'all')] = tuple(acc)
    count = max(totals) + 1 if totals else 0

    def order(key):
        layer, module = key
        return (1, 0, '', module) if layer is None else (0, layer, module == 'all', module)

    with open(out, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(HEADER)
        for key in sorted(rows, key=order):
            layer, module = key
            params, sd, sb = rows[key]
            d, b = math.sqrt(sd), math.sqrt(sb)
            position = '' if layer is None else repr(layer / (count - 1) if count > 1 else 0.0)
            w.writerow([run, '' if layer is None else layer, position, module, params, repr(d), repr(b),
                        repr(d / b) if b else ''])
    print(f'{time.perf_counter() - T0:.3f}')


if __name__ == '__main__':
    main(sys.argv[1:])
