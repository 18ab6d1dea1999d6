#!/usr/bin/env python3
"""Recomputes `sftatlas weights` (layer-wise weight change between a base and a fine-tuned checkpoint) with
NumPy, independently of the Swift code, and compares it with the CSV the Swift tool wrote.

    python3 scripts/check_weights.py BASE_DIR TUNED_DIR CSV [RUN]     compare CSV with a recomputation
    python3 scripts/check_weights.py --make DIR                       write a small test pair into DIR

Depends on NumPy only: safetensors files are read by a minimal parser of its own (8-byte little-endian
header length, a JSON header of that many bytes, each tensor's `data_offsets` relative to the first byte
after the header; `__metadata__` ignored). BF16 is decoded by hand ((uint16 as uint32) << 16, viewed as
float32), F16 through numpy's float16, and every value is converted exactly to float64 before any
arithmetic; tensors are read in chunks of 4M elements, so memory stays small on any checkpoint.

Checkpoints: a folder holding `model.safetensors` (taken first when present), or a sharded folder with
`model.safetensors.index.json` ({"weight_map": {tensor: file}}), or a .safetensors file itself.
TUNED_DIR may also be a PEFT LoRA adapter folder (`adapter_config.json` + `adapter_model.safetensors`):
each `base_model.model.<path>.lora_A.weight` (r x in) / `.lora_B.weight` (out x r) pair gives
dW = B @ A * s for the base tensor `<path>.weight`, s = alpha/r (alpha/sqrt(r) with `use_rslora`), where r
and alpha come from `rank_pattern` / `alpha_pattern` for a module whose name `<path>` matches a key as
PEFT matches it (re.match(rf"(.*\\.)?{key}$", name), first matching key in the file's order), else from
`r` / `lora_alpha`. Base tensors without an adapter have dW = 0.

Rows (the semantics the Swift tool must have): names lose a leading `base_model.model.` (adapters only)
and then a leading `model.`. A tensor `layers.<i>.<rest>` is layer i's, module = <rest> without a leading
`self_attn.` / `mlp.` and without a trailing `.weight`; any other tensor is a row with empty layer and
position and module = its name without `.weight`. Each layer also has a row `all` over its 2-D tensors
only: params summed, delta_fro = sqrt(sum of squared deltas), base_fro = sqrt(sum of squared base values).
position = layer/(L-1) with L = 1 + the largest layer index (0 when L = 1); relative = delta_fro/base_fro,
empty when base_fro is 0. All sums in float64.

Comparison: the same set of (layer, module) rows, no duplicates, params equal, position / delta_fro /
base_fro / relative within relative tolerance 1e-6 (empty exactly where expected), the header exact, and
with RUN given every row's run equal to RUN. Prints `rows N, worst relative difference X`, then
`weights check passed`, or the mismatches and exits 1 (exit 2 when the checkpoints cannot be read).

--make DIR writes, deterministically (numpy default_rng(7)): DIR/base/model.safetensors (BF16, Llama-shaped:
3 layers, hidden 16, intermediate 24, vocab 32; q/k/v/o, gate/up/down, input/post_attention layernorms,
plus Qwen2-style q/k/v biases that are zero in the base so their `relative` is empty; embed_tokens, norm
with the `model.` prefix, lm_head without it as in Hugging Face's Llama); DIR/tuned/ (F32, no `model.`
prefix, sharded into 2 files with an index) = base + N(0, 1e-3) noise, except
layers.2.post_attention_layernorm which is left unchanged (delta 0); DIR/lora/ a PEFT adapter (F32, r=4,
lora_alpha=8, use_rslora false, rank_pattern {"v_proj": 2}, alpha_pattern {"layers.1.self_attn.q_proj": 16})
on q_proj and v_proj of every layer. Files are written by a minimal writer (header padded with spaces to a
multiple of 8 bytes).

(Hidden, for testing this script: BASE_DIR TUNED_DIR --write OUT_CSV [RUN] writes the recomputation as the
CSV instead of comparing. Its rows: layers in increasing order, each layer's modules by name then `all`,
then the tensors outside layers by name.)"""
import csv, json, math, os, re, sys
import numpy as np

HEADER = ['run', 'layer', 'position', 'module', 'params', 'delta_fro', 'base_fro', 'relative']
RTOL = 1e-6
CHUNK = 1 << 22  # elements read and converted at a time
DTYPES = {'BF16': np.dtype('<u2'), 'F16': np.dtype('<f2'), 'F32': np.dtype('<f4')}


class Fail(Exception):
    """A checkpoint that cannot be read or paired (exit 2)."""


# ---------------------------------------------------------------------------------------------------
# Reading safetensors

class Tensor:
    def __init__(self, path, name, dtype, shape, offset, nbytes):
        self.path, self.name, self.dtype, self.shape, self.offset = path, name, dtype, tuple(shape), offset
        self.numel = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        if nbytes != self.numel * DTYPES[dtype].itemsize:
            raise Fail(f'{path}: {name}: data_offsets span {nbytes} bytes, shape {list(shape)} of {dtype} needs '
                       f'{self.numel * DTYPES[dtype].itemsize}')

    def read(self, start, count):
        """Elements [start, start + count) of the flattened tensor, exactly as float64."""
        raw = np.fromfile(self.path, dtype=DTYPES[self.dtype], count=count,
                          offset=self.offset + start * DTYPES[self.dtype].itemsize)
        if raw.size != count:
            raise Fail(f'{self.path}: {self.name}: file ends inside the tensor')
        if self.dtype == 'BF16':
            return (raw.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
        return raw.astype(np.float64)

    def read_all(self):
        return self.read(0, self.numel).reshape(self.shape)


def read_safetensors(path):
    """{name: Tensor} from one file's header."""
    size = os.path.getsize(path)
    with open(path, 'rb') as f:
        head = f.read(8)
        if len(head) != 8:
            raise Fail(f'{path}: shorter than 8 bytes')
        n = int.from_bytes(head, 'little')
        if n > size - 8:
            raise Fail(f'{path}: header length {n} exceeds the file')
        header = json.loads(f.read(n))
    start = 8 + n
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        dtype = info['dtype']
        if dtype not in DTYPES:
            raise Fail(f'{path}: {name}: dtype {dtype} (only BF16, F16, F32 are supported)')
        begin, end = info['data_offsets']
        if not 0 <= begin <= end <= size - start:
            raise Fail(f'{path}: {name}: data_offsets {begin}..{end} outside the data')
        tensors[name] = Tensor(path, name, dtype, info['shape'], start + begin, end - begin)
    return tensors


def normalize(name, adapter=False):
    if adapter and name.startswith('base_model.model.'):
        name = name[len('base_model.model.'):]
    if name.startswith('model.'):
        name = name[len('model.'):]
    return name


def load_checkpoint(path):
    """{normalized name: Tensor} of a single-file or sharded checkpoint."""
    if os.path.isfile(path):
        raw = read_safetensors(path)
    elif os.path.isfile(os.path.join(path, 'model.safetensors')):
        raw = read_safetensors(os.path.join(path, 'model.safetensors'))
    elif os.path.isfile(os.path.join(path, 'model.safetensors.index.json')):
        with open(os.path.join(path, 'model.safetensors.index.json')) as f:
            weight_map = json.load(f)['weight_map']
        files, raw = {}, {}
        for name, file in weight_map.items():
            if file not in files:
                files[file] = read_safetensors(os.path.join(path, file))
            if name not in files[file]:
                raise Fail(f'{path}: the index puts {name} in {file}, which does not hold it')
            raw[name] = files[file][name]
    else:
        raise Fail(f'{path}: neither model.safetensors nor model.safetensors.index.json')
    out = {}
    for name, t in raw.items():
        key = normalize(name)
        if key in out:
            raise Fail(f'{path}: {out[key].name} and {name} are the same tensor once normalized')
        out[key] = t
    return out


# ---------------------------------------------------------------------------------------------------
# The recomputation

LAYER = re.compile(r'layers\.(\d+)\.(.+)$', re.S)


def classify(name):
    """(layer or None, module) of a normalized tensor name."""
    m = LAYER.match(name)
    if m:
        layer, rest = int(m.group(1)), m.group(2)
        first, dot, tail = rest.partition('.')
        if first in ('self_attn', 'mlp') and dot:
            rest = tail
        if rest.endswith('.weight'):
            rest = rest[:-len('.weight')]
        return layer, rest
    return None, name[:-len('.weight')] if name.endswith('.weight') else name


def sumsq(x):
    x = x.ravel()
    return float(np.dot(x, x))


def pair_sums(base, tuned):
    """(sum of squared deltas, sum of squared base values) of two tensors of one shape."""
    sd = sb = 0.0
    for start in range(0, base.numel, CHUNK):
        count = min(CHUNK, base.numel - start)
        b = base.read(start, count)
        sb += sumsq(b)
        sd += sumsq(tuned.read(start, count) - b)
    return sd, sb


def base_sums(base):
    sb = 0.0
    for start in range(0, base.numel, CHUNK):
        sb += sumsq(base.read(start, min(CHUNK, base.numel - start)))
    return sb


def pattern_value(pattern, name, default):
    """PEFT's rank_pattern / alpha_pattern lookup: the first key with re.match(rf"(.*\\.)?{key}$", name)."""
    for key, value in (pattern or {}).items():
        if re.match(rf'(.*\.)?{key}$', name):
            return value
    return default


def lora_deltas(folder, base):
    """{normalized base tensor name: (A, B, s)} of a PEFT adapter folder."""
    with open(os.path.join(folder, 'adapter_config.json')) as f:
        config = json.load(f)
    adapter = read_safetensors(os.path.join(folder, 'adapter_model.safetensors'))
    pairs = {}
    for key, t in adapter.items():
        m = re.match(r'(.+)\.lora_([AB])\.weight$', key, re.S)
        if not m:
            raise Fail(f'{folder}: adapter tensor {key} is not a lora_A / lora_B weight')
        path = m.group(1)
        if path.startswith('base_model.model.'):
            path = path[len('base_model.model.'):]
        pairs.setdefault(path, {})[m.group(2)] = t
    out = {}
    for path, ab in pairs.items():
        if set(ab) != {'A', 'B'}:
            raise Fail(f'{folder}: {path} has lora_{"".join(ab)} only')
        target = normalize(path + '.weight')
        if target not in base:
            raise Fail(f'{folder}: {path} adapts {target}, which the base does not have')
        r = pattern_value(config.get('rank_pattern'), path, config['r'])
        alpha = pattern_value(config.get('alpha_pattern'), path, config['lora_alpha'])
        s = alpha / math.sqrt(r) if config.get('use_rslora', False) else alpha / r
        a, b, w = ab['A'], ab['B'], base[target]
        if len(a.shape) != 2 or len(b.shape) != 2 or len(w.shape) != 2 or a.shape[0] != b.shape[1] \
                or (b.shape[0], a.shape[1]) != w.shape:
            raise Fail(f'{folder}: {path}: B {list(b.shape)} @ A {list(a.shape)} does not give {list(w.shape)}')
        if a.shape[0] != r:
            print(f'note: {path}: lora_A has rank {a.shape[0]}, the config says r = {r} (used for the scale)')
        if target in out:
            raise Fail(f'{folder}: two adapters for {target}')
        out[target] = (a, b, s)
    return out


def lora_sumsq(a, b, s):
    """Sum of squares of B @ A * s, computed in float64 a block of rows at a time."""
    a64, b64 = a.read_all(), b.read_all()
    rows = max(1, CHUNK // max(1, a64.shape[1]))
    total = 0.0
    for i in range(0, b64.shape[0], rows):
        total += sumsq((b64[i:i + rows] @ a64) * s)
    return total


def recompute(base_dir, tuned_dir):
    """The expected rows: {(layer or None, module): (position or None, params, delta_fro, base_fro)}."""
    base = load_checkpoint(base_dir)
    per_tensor = []  # (layer, module, shape, params, sum sq delta, sum sq base)
    if os.path.isfile(os.path.join(tuned_dir, 'adapter_config.json')):
        deltas = lora_deltas(tuned_dir, base)
        for name, w in base.items():
            sb = base_sums(w)
            sd = lora_sumsq(*deltas[name]) if name in deltas else 0.0
            per_tensor.append((*classify(name), w.shape, w.numel, sd, sb))
    else:
        tuned = load_checkpoint(tuned_dir)
        only_base, only_tuned = sorted(set(base) - set(tuned)), sorted(set(tuned) - set(base))
        if only_base or only_tuned:
            raise Fail(f'tensors only in the base: {only_base[:10]}; only in the tuned: {only_tuned[:10]}')
        for name, w in base.items():
            if tuned[name].shape != w.shape:
                raise Fail(f'{name}: base shape {list(w.shape)}, tuned {list(tuned[name].shape)}')
            per_tensor.append((*classify(name), w.shape, w.numel, *pair_sums(w, tuned[name])))

    layers = [t[0] for t in per_tensor if t[0] is not None]
    count = max(layers) + 1 if layers else 0

    def position(layer):
        return None if layer is None else (layer / (count - 1) if count > 1 else 0.0)

    rows, dup = {}, []
    totals = {}
    for layer, module, shape, params, sd, sb in per_tensor:
        if (layer, module) in rows:
            dup.append((layer, module))
        rows[(layer, module)] = (position(layer), params, math.sqrt(sd), math.sqrt(sb))
        if layer is not None:
            acc = totals.setdefault(layer, [0, 0.0, 0.0])
            if len(shape) == 2:
                acc[0] += params
                acc[1] += sd
                acc[2] += sb
    if dup:
        raise Fail(f'several tensors give the same (layer, module) row: {dup[:10]}')
    for layer, (params, sd, sb) in totals.items():
        if (layer, 'all') in rows:
            raise Fail(f'layer {layer} has a tensor whose module is "all"')
        rows[(layer, 'all')] = (position(layer), params, math.sqrt(sd), math.sqrt(sb))
    return rows


def row_order(key):
    layer, module = key
    return (1, 0, '', module) if layer is None else (0, layer, module == 'all', module)


def write_csv(path, rows, run):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(HEADER)
        for key in sorted(rows, key=row_order):
            position, params, d, b = rows[key]
            w.writerow([run, '' if key[0] is None else key[0], '' if position is None else repr(position),
                        key[1], params, repr(d), repr(b), repr(d / b) if b else ''])


# ---------------------------------------------------------------------------------------------------
# The comparison

def compare(rows, csv_path, run):
    problems, worst = [], 0.0

    def close(what, expected, field):
        nonlocal worst
        if expected is None:
            if field != '':
                problems.append(f'{what}: expected empty, CSV has {field!r}')
            return
        try:
            got = float(field)
        except ValueError:
            problems.append(f'{what}: expected {expected!r}, CSV has {field!r}')
            return
        scale = max(abs(expected), abs(got))
        diff = abs(got - expected) / scale if scale else 0.0
        if not diff <= RTOL:  # also catches nan
            problems.append(f'{what}: expected {expected!r}, CSV has {field} (relative difference {diff:.3g})')
        if diff > worst:
            worst = diff

    with open(csv_path, newline='') as f:
        table = list(csv.reader(f))
    if not table or table[0] != HEADER:
        problems.append(f'header: expected {",".join(HEADER)}, CSV has {",".join(table[0]) if table else "nothing"}')
        return problems, worst
    seen, wrong_runs = set(), {}
    for number, fields in enumerate(table[1:], start=2):
        if len(fields) != len(HEADER):
            problems.append(f'line {number}: {len(fields)} fields')
            continue
        r, layer_field, position, module, params, d, b, rel = fields
        try:
            layer = int(layer_field) if layer_field != '' else None
        except ValueError:
            problems.append(f'line {number}: layer {layer_field!r}')
            continue
        key = (layer, module)
        what = f'line {number} (layer {layer_field or "-"}, {module})'
        if run is not None and r != run:
            wrong_runs[r] = wrong_runs.get(r, 0) + 1
        if key in seen:
            problems.append(f'{what}: a second row for it')
            continue
        seen.add(key)
        if key not in rows:
            problems.append(f'{what}: not expected')
            continue
        e_position, e_params, e_d, e_b = rows[key]
        if params != str(e_params):
            problems.append(f'{what}: params {params}, expected {e_params}')
        close(f'{what} position', e_position, position)
        close(f'{what} delta_fro', e_d, d)
        close(f'{what} base_fro', e_b, b)
        close(f'{what} relative', e_d / e_b if e_b else None, rel)
    for r, n in wrong_runs.items():
        problems.append(f'{n} rows have run {r!r}, expected {run!r}')
    for key in sorted(set(rows) - seen, key=row_order):
        problems.append(f'missing row: layer {"-" if key[0] is None else key[0]}, {key[1]}')
    return problems, worst


# ---------------------------------------------------------------------------------------------------
# --make: a small deterministic test pair

def to_bf16_bits(x):
    """float32 -> BF16 bit patterns, round to nearest even (finite inputs)."""
    u = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype('<u2')


def from_bf16_bits(u):
    return (u.astype(np.uint32) << 16).view(np.float32)


def write_safetensors(path, tensors):
    """tensors: list of (name, dtype name, little-endian array) written in that order."""
    header, offset = {'__metadata__': {'format': 'pt'}}, 0
    for name, dtype, array in tensors:
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + array.nbytes]}
        offset += array.nbytes
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(len(text).to_bytes(8, 'little'))
        f.write(text)
        for _, _, array in tensors:
            f.write(np.ascontiguousarray(array).tobytes())


def make(folder):
    rng = np.random.default_rng(7)
    hidden, inter, vocab, n_layers = 16, 24, 32, 3
    shapes = [('model.embed_tokens.weight', (vocab, hidden))]
    for i in range(n_layers):
        p = f'model.layers.{i}.'
        shapes += [(p + f'self_attn.{m}_proj.weight', (hidden, hidden)) for m in 'qkvo']
        shapes += [(p + f'self_attn.{m}_proj.bias', (hidden,)) for m in 'qkv']
        shapes += [(p + 'mlp.gate_proj.weight', (inter, hidden)), (p + 'mlp.up_proj.weight', (inter, hidden)),
                   (p + 'mlp.down_proj.weight', (hidden, inter)),
                   (p + 'input_layernorm.weight', (hidden,)), (p + 'post_attention_layernorm.weight', (hidden,))]
    shapes += [('model.norm.weight', (hidden,)), ('lm_head.weight', (vocab, hidden))]

    base = []
    for name, shape in shapes:
        if name.endswith('.bias'):
            x = np.zeros(shape, np.float32)
        elif name.endswith('norm.weight'):
            x = 1 + rng.normal(0, 0.05, shape)
        else:
            x = rng.normal(0, 0.05, shape)
        base.append((name, 'BF16', to_bf16_bits(x)))
    os.makedirs(os.path.join(folder, 'base'), exist_ok=True)
    write_safetensors(os.path.join(folder, 'base', 'model.safetensors'), base)

    tuned = []
    for name, _, bits in base:
        x = from_bf16_bits(bits)
        if name != 'model.layers.2.post_attention_layernorm.weight':
            x = (x + rng.normal(0, 1e-3, x.shape)).astype(np.float32)
        tuned.append((normalize(name), 'F32', x.astype('<f4')))
    os.makedirs(os.path.join(folder, 'tuned'), exist_ok=True)
    half = len(tuned) // 2
    weight_map = {}
    for k, part in enumerate((tuned[:half], tuned[half:]), start=1):
        file = f'model-{k:05d}-of-00002.safetensors'
        write_safetensors(os.path.join(folder, 'tuned', file), part)
        weight_map.update({name: file for name, _, _ in part})
    with open(os.path.join(folder, 'tuned', 'model.safetensors.index.json'), 'w') as f:
        json.dump({'metadata': {'total_size': sum(a.nbytes for _, _, a in tuned)}, 'weight_map': weight_map}, f, indent=2)

    config = {'peft_type': 'LORA', 'task_type': 'CAUSAL_LM', 'base_model_name_or_path': '../base',
              'r': 4, 'lora_alpha': 8, 'lora_dropout': 0.0, 'use_rslora': False, 'bias': 'none',
              'fan_in_fan_out': False, 'target_modules': ['q_proj', 'v_proj'],
              'rank_pattern': {'v_proj': 2}, 'alpha_pattern': {'layers.1.self_attn.q_proj': 16}}
    adapter = []
    for i in range(n_layers):
        for m in ('q_proj', 'v_proj'):
            path = f'model.layers.{i}.self_attn.{m}'
            r = pattern_value(config['rank_pattern'], path, config['r'])
            adapter.append((f'base_model.model.{path}.lora_A.weight', 'F32',
                            rng.normal(0, 0.1, (r, hidden)).astype('<f4')))
            adapter.append((f'base_model.model.{path}.lora_B.weight', 'F32',
                            rng.normal(0, 0.1, (hidden, r)).astype('<f4')))
    os.makedirs(os.path.join(folder, 'lora'), exist_ok=True)
    write_safetensors(os.path.join(folder, 'lora', 'adapter_model.safetensors'), adapter)
    with open(os.path.join(folder, 'lora', 'adapter_config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    print(f'wrote {folder}/base (1 file, {len(base)} BF16 tensors), {folder}/tuned (2 shards, F32), '
          f'{folder}/lora (PEFT adapter, {len(adapter)} F32 tensors)')


# ---------------------------------------------------------------------------------------------------

def main(argv):
    if len(argv) == 2 and argv[0] == '--make':
        make(argv[1])
        return 0
    out = None
    if '--write' in argv:
        i = argv.index('--write')
        if i + 1 >= len(argv):
            raise SystemExit(__doc__)
        out = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
        if len(argv) not in (2, 3):
            raise SystemExit(__doc__)
        base_dir, tuned_dir = argv[:2]
        run = argv[2] if len(argv) == 3 else os.path.basename(os.path.normpath(tuned_dir))
    else:
        if len(argv) not in (3, 4) or any(a.startswith('--') for a in argv):
            raise SystemExit(__doc__)
        base_dir, tuned_dir, csv_path = argv[:3]
        run = argv[3] if len(argv) == 4 else None
    try:
        rows = recompute(base_dir, tuned_dir)
    except (Fail, OSError, KeyError, ValueError) as e:
        print(f'weights check: cannot recompute: {e if isinstance(e, Fail) else f"{type(e).__name__}: {e}"}',
              file=sys.stderr)
        return 2
    if out is not None:
        write_csv(out, rows, run)
        print(f'wrote {out}: {len(rows)} rows')
        return 0
    problems, worst = compare(rows, csv_path, run)
    print(f'rows {len(rows)}, worst relative difference {worst:.3g}')
    if problems:
        for p in problems[:50]:
            print(p)
        if len(problems) > 50:
            print(f'... and {len(problems) - 50} more')
        print(f'weights check FAILED: {len(problems)} mismatches')
        return 1
    print('weights check passed')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
