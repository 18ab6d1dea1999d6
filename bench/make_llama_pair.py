#!/usr/bin/env python3
"""Writes a synthetic (base, fine-tuned) pair of Llama-shaped BF16 checkpoints for benchmarking
`sftatlas weights` against its Python peer (bench/weights_peer.py).

    python3 bench/make_llama_pair.py OUT_DIR [--gb 2] [--hidden H] [--shard-gb 1] [--seed 0]

Writes OUT_DIR/base/ and OUT_DIR/tuned/, each about --gb GB (10^9 bytes) of BF16 tensors named as Hugging
Face's Llama names them (`model.embed_tokens.weight`, `model.layers.<i>.self_attn.{q,k,v,o}_proj.weight`,
`model.layers.<i>.mlp.{gate,up,down}_proj.weight`, `model.layers.<i>.{input,post_attention}_layernorm.weight`,
`model.norm.weight`, `lm_head.weight`), sharded into `model-0000k-of-0000n.safetensors` files of at most
--shard-gb GB each, with `model.safetensors.index.json` and a small `config.json`. Both checkpoints are
sharded the same way.

Shapes: a scaled-down Llama (full-size k/v, intermediate = 2.6875 x hidden as in Llama 7B, vocab 32000).
The hidden size is the largest of 2048, 1024, 512, 256 whose embed_tokens + lm_head take at most half of
the size asked for (or --hidden), and the number of layers is whatever brings the total nearest to it.
For --gb 2: hidden 2048, intermediate 5504, vocab 32000, 17 layers, 1.98 GB per checkpoint in 2 shards
(0.997 + 0.986 GB).

Values: random BF16 bit patterns restricted to sane finite values, made straight from random bits (no
float arithmetic): matrices have a random sign, a random 7-bit mantissa and an exponent giving magnitudes
in [2^-12, 2^-4); norm weights are positive in [0.5, 2). The tuned value is the base value moved by one
BF16 step up or down at random (a relative change of 2^-8 to 2^-7 in every element). One tensor at a time,
in blocks of 4M elements written to both files as soon as made, so peak memory is about 100 MB whatever the
size; the random generator is numpy's default_rng(--seed), so a given command writes the same bytes."""
import argparse, json, os, sys, time
import numpy as np

VOCAB = 32000
BLOCK = 1 << 22  # elements made and written at a time


def shapes_for(hidden, layers):
    inter = hidden * 43 // 16  # 2.6875 x hidden: 5504 for 2048
    out = [('model.embed_tokens.weight', (VOCAB, hidden))]
    for i in range(layers):
        p = f'model.layers.{i}.'
        out += [(p + f'self_attn.{m}_proj.weight', (hidden, hidden)) for m in 'qkvo']
        out += [(p + 'mlp.gate_proj.weight', (inter, hidden)), (p + 'mlp.up_proj.weight', (inter, hidden)),
                (p + 'mlp.down_proj.weight', (hidden, inter)),
                (p + 'input_layernorm.weight', (hidden,)), (p + 'post_attention_layernorm.weight', (hidden,))]
    out += [('model.norm.weight', (hidden,)), ('lm_head.weight', (VOCAB, hidden))]
    return out


def nbytes(shape):
    return 2 * int(np.prod(shape))


def choose(target, hidden=None):
    """(hidden, layers) whose total size is nearest target bytes."""
    if hidden is None:
        hidden = next((h for h in (2048, 1024, 512) if 2 * VOCAB * h * 2 <= target / 2), 256)
    fixed = sum(nbytes(s) for _, s in shapes_for(hidden, 0))
    per_layer = sum(nbytes(s) for _, s in shapes_for(hidden, 1)) - fixed
    return hidden, max(1, round((target - fixed) / per_layer))


def bits(rng, n, norm):
    """n base and n tuned BF16 bit patterns (uint16) from one draw of random 32-bit words."""
    r = rng.integers(0, 1 << 32, size=n, dtype=np.uint32)
    if norm:  # sign 0, exponent 126 or 127, random mantissa: [0.5, 2)
        base = (r & 0x7F) | ((126 + ((r >> 7) & 1)) << 7)
    else:  # random sign and mantissa, exponent 115..122: magnitudes in [2^-12, 2^-4)
        base = (r & 0x807F) | ((115 + ((r >> 7) & 7)) << 7)
    step = (r >> 15) & 2  # 0 or 2: base - 1 or base + 1 after the + 0xFFFF below, modulo 2^16
    step += base
    step += 0xFFFF
    return base.astype('<u2'), step.astype('<u2')


def header_bytes(tensors):
    header, offset = {'__metadata__': {'format': 'pt'}}, 0
    for name, shape in tensors:
        header[name] = {'dtype': 'BF16', 'shape': list(shape), 'data_offsets': [offset, offset + nbytes(shape)]}
        offset += nbytes(shape)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    return len(text).to_bytes(8, 'little') + text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('out_dir')
    ap.add_argument('--gb', type=float, default=2.0, help='size of each checkpoint in GB (10^9 bytes)')
    ap.add_argument('--hidden', type=int, choices=(256, 512, 1024, 2048), help='hidden size (default: by --gb)')
    ap.add_argument('--shard-gb', type=float, default=1.0, help='largest shard in GB')
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    start = time.perf_counter()
    hidden, layers = choose(a.gb * 1e9, a.hidden)
    tensors = shapes_for(hidden, layers)

    shards, size = [[]], 0
    for name, shape in tensors:
        if shards[-1] and size + nbytes(shape) > a.shard_gb * 1e9:
            shards.append([])
            size = 0
        shards[-1].append((name, shape))
        size += nbytes(shape)
    files = [f'model-{k + 1:05d}-of-{len(shards):05d}.safetensors' for k in range(len(shards))]
    total = sum(nbytes(s) for _, s in tensors)
    config = {'architectures': ['LlamaForCausalLM'], 'model_type': 'llama', 'torch_dtype': 'bfloat16',
              'hidden_size': hidden, 'intermediate_size': hidden * 43 // 16, 'num_hidden_layers': layers,
              'num_attention_heads': hidden // 128, 'num_key_value_heads': hidden // 128, 'vocab_size': VOCAB,
              'tie_word_embeddings': False}
    for side in ('base', 'tuned'):
        os.makedirs(os.path.join(a.out_dir, side), exist_ok=True)
        with open(os.path.join(a.out_dir, side, 'model.safetensors.index.json'), 'w') as f:
            json.dump({'metadata': {'total_size': total},
                       'weight_map': {n: files[k] for k, shard in enumerate(shards) for n, _ in shard}}, f, indent=2)
        with open(os.path.join(a.out_dir, side, 'config.json'), 'w') as f:
            json.dump(config, f, indent=2)

    rng = np.random.default_rng(a.seed)
    written = {'base': 0, 'tuned': 0}
    for file, shard in zip(files, shards):
        paths = [os.path.join(a.out_dir, side, file) for side in ('base', 'tuned')]
        with open(paths[0], 'wb') as fb, open(paths[1], 'wb') as ft:
            head = header_bytes(shard)
            fb.write(head)
            ft.write(head)
            for name, shape in shard:
                n = int(np.prod(shape))
                for s in range(0, n, BLOCK):
                    b, t = bits(rng, min(BLOCK, n - s), name.endswith('norm.weight'))
                    b.tofile(fb)
                    t.tofile(ft)
        written['base'] += os.path.getsize(paths[0])
        written['tuned'] += os.path.getsize(paths[1])
        print(f'  {file}: {len(shard)} tensors, {os.path.getsize(paths[0]) / 1e9:.3f} GB each side', flush=True)
    print(f'hidden {hidden}, intermediate {hidden * 43 // 16}, vocab {VOCAB}, {layers} layers, '
          f'{len(tensors)} tensors, {total / 2:.0f} parameters')
    print(f'wrote {a.out_dir}/base {written["base"] / 1e9:.3f} GB and {a.out_dir}/tuned '
          f'{written["tuned"] / 1e9:.3f} GB in {len(files)} shard(s) each, {time.perf_counter() - start:.1f} s')


if __name__ == '__main__':
    sys.exit(main())
