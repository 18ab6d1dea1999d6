#!/usr/bin/env python3
"""Recomputes the paper's analyses from the released CSV with NumPy/SciPy, independently of SFT Atlas,
and compares them with the documents stored in a database made by `sftatlas ingest`.

    python3 scripts/check_analyses.py evaluation_result.csv atlas.sqlite

Checks (relative tolerance 1e-6): the gain matrices (2a mean and scaled, 2b per base), the base correlation
matrix and its average-linkage merge heights (2c), PCA explained-variance ratios (2d), the similarity
t-test (3d), LoRA vs full, 1k vs 20k and the cross-lingual correlations (the ablation is not checked here);
and, where the audit flagged the duplicated Mistral base rows, the similarity t and p with both Mistral
bases left out against the claims document's figure statistics.
Prints one line per check and exits 1 if any fails."""
import csv, json, sqlite3, sys
import numpy as np
from scipy import stats
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform

csv_path, db_path = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(csv_path, newline='')))
MAIN = ['math-0shot', 'gsm8k-0shot', 'humaneval-0shot', 'mbpp-0shot', 'BoolQ-0shot', 'nq-0shot',
        'Truthful_QA-0shot', 'mmlu-0shot', 'cmmlu-0shot', 'jmmlu-0shot', 'mtbench-total', 'alpaca_eval_v2-total']
BASES = ['Meta-Llama-3-8B', 'Llama-3-Swallow-8B-v0.1', 'llama-3-chinese-8b', 'Mistral-7B-v0.1', 'Chinese-Mistral-7B-v0.1',
         'Qwen2.5-7B', 'Yi-1.5-9B', 'OLMo-7B-hf', 'LLM-jp-3-7B', 'Sarashina2-7B']  # registry order, Gemma2-9B excluded
DATASETS = ['alpaca_cleaned', 'lima', 'ultrachat', 'code_alpaca', 'magicoder', 'openmath', 'math',
            'flan_knowledge', 'flan_reasoning', 'flan_comprehension']
num = lambda s: float(s) if s not in ('', 'nan', 'NaN', 'None') else np.nan
base_row = {r['model_name']: r for r in rows if r['data_name'] == 'pretrain'}

def run(base, data, lora, size='1000.0', sched='cosine', epoch='10'):
    for r in rows:
        if (r['model_name'], r['data_name'], r['lora'], r['data_size'], r['lr_strategy'], r['epoch']) == (base, data, lora, size, sched, epoch):
            return r
    return None

def gains(method, bases=BASES):
    lora = 'true' if method == 'lora' else 'false'
    g = np.full((len(bases), len(DATASETS), len(MAIN)), np.nan)
    for b, base in enumerate(bases):
        for d, data in enumerate(DATASETS):
            r = run(base, data, lora)
            if r:
                g[b, d] = [num(r[c]) - num(base_row[base][c]) for c in MAIN]
    return g

def pearson(x, y):
    m = ~np.isnan(x) & ~np.isnan(y)
    return stats.pearsonr(x[m], y[m])[0] if m.sum() >= 2 and np.std(x[m]) > 0 and np.std(y[m]) > 0 else np.nan

def corr(series):
    n = len(series)
    return np.array([[pearson(series[i], series[j]) for j in range(n)] for i in range(n)])

db = sqlite3.connect(db_path)
doc = lambda name, method='': json.loads(db.execute('select json from analyses where name=? and method=?', (name, method)).fetchone()[0])
as_array = lambda m: np.array([[np.nan if v is None else v for v in row] for row in m], dtype=float)
failures = 0
def check(label, expected, actual):
    global failures
    e, a = np.asarray(expected, float), np.asarray(actual, float)
    ok = e.shape == a.shape and np.array_equal(np.isnan(e), np.isnan(a)) and np.allclose(e[~np.isnan(e)], a[~np.isnan(a)], rtol=1e-6, atol=1e-12)
    worst = np.nanmax(np.abs(e - a) / np.maximum(np.abs(e), 1e-12)) if e.shape == a.shape and e.size else float('nan')
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {e.size} values, worst relative difference {worst:.2e}")
    failures += not ok

def similarity_test(g):
    # Per base: benchmark x benchmark and dataset x dataset correlations of gains; the bases' similarity is the
    # Pearson r of those matrices' lower triangles; paired t-test of benchmark against dataset similarity.
    bench = [corr(g[b].T) for b in range(len(g))]
    data = [corr(g[b]) for b in range(len(g))]
    tri = lambda x: x[np.tril_indices(len(x), -1)]
    bs, ds = corr([tri(x) for x in bench]), corr([tri(x) for x in data])
    x, y = tri(bs), tri(ds)
    keep = ~np.isnan(x) & ~np.isnan(y)
    return stats.ttest_rel(x[keep], y[keep])

for m in ['full', 'lora']:
    g = gains(m)
    mean = np.array([[np.nanmean(g[:, d, k]) if (~np.isnan(g[:, d, k])).any() else np.nan for k in range(len(MAIN))] for d in range(len(DATASETS))])
    lo, hi = np.nanmin(mean, 0), np.nanmax(mean, 0)
    scaled = 2 * (mean - lo) / (hi - lo) - 1
    gm = doc('gain-matrix', m)
    check(f'{m} 2a mean gain', mean, as_array(gm['mean']))
    check(f'{m} 2a scaled gain', scaled, as_array(gm['scaled']))
    check(f'{m} 2b per-base gains', g, np.array([as_array(x) for x in gm['perBase']]))
    r = corr([g[b].ravel() for b in range(len(BASES))])
    mc = doc('model-correlation', m)
    check(f'{m} 2c base correlation', r, as_array(mc['matrix']))
    z = linkage(squareform(1 - r, checks=False), 'average')
    check(f'{m} 2c merge heights', z[:, 2], [x['height'] for x in mc['merges']])
    complete = g.reshape(-1, len(MAIN))
    complete = complete[~np.isnan(complete).any(1)]
    c = complete - complete.mean(0)
    s = np.linalg.svd(c, compute_uv=False) ** 2
    check(f'{m} 2d explained variance ratio', s / s.sum(), doc('pca', m)['explained_variance_ratio'])
    t = similarity_test(g)
    st = doc('similarity-test', m)
    check(f'{m} 3d similarity t and p', [t.statistic, t.pvalue], [st['t'], st['p']])

full, lora = gains('full'), gains('lora')
lvf = {c['group']: c for c in doc('lora-vs-full')['by_benchmark']}
diff = lora - full
check('LoRA - full mean difference per benchmark', [np.nanmean(diff[:, :, k]) for k in range(len(MAIN))],
      [lvf[c]['mean_difference'] for c in [x['id'] for x in doc('gain-matrix', 'full')['benchmarks']]])
# Per category: each pair's gain is the mean over the category's benchmarks of gains put on 0-100 (fractions x100,
# ratings x10); categories and units are the registry's, read from the database's columns table.
meta = {sn: (cat, unit) for sn, cat, unit in db.execute('select source_name, category, unit from columns')}
to_hundred = {'percent': 1.0, 'unknown': 1.0, 'fraction': 100.0, 'rating': 10.0}
categories = list(dict.fromkeys(meta[c][0] for c in MAIN))
def category_means(g, ks):
    # nanmean over the category's scaled gains; all-missing pairs stay NaN (and are dropped below)
    scaled = np.stack([g[:, :, k] * to_hundred[meta[MAIN[k]][1]] for k in ks], axis=-1)
    present = (~np.isnan(scaled)).sum(-1)
    return np.where(present > 0, np.nansum(scaled, -1) / np.maximum(present, 1), np.nan)
expected = []
for cat in categories:
    ks = [k for k, c in enumerate(MAIN) if meta[c][0] == cat]
    expected.append(np.nanmean(category_means(lora, ks) - category_means(full, ks)))
check('LoRA - full mean difference per category, on 0-100', expected, [c['mean_difference'] for c in doc('lora-vs-full')['by_category']])

pairs = []
for r in rows:
    if r['data_size'] == '1000.0' and r['lr_strategy'] == 'constant' and r['lora'] == 'false':
        other = run(r['model_name'], r['data_name'], 'false', '20000.0', 'constant', r['epoch'])
        if other: pairs.append((r, other))
ss = doc('sample-size')['comparisons']
check('20k - 1k mean difference per benchmark', [np.nanmean([num(b[c]) - num(a[c]) for a, b in pairs]) for c in MAIN],
      [x['mean_difference'] for x in ss])

cl = doc('cross-lingual')['pairs']
tuned = [r for r in rows if r['model_name'] in BASES and r['data_name'] != 'pretrain' and r['data_size'] == '1000.0' and r['lr_strategy'] == 'cosine']
gain = lambda r, c: num(r[c]) - num(base_row[r['model_name']][c])
all_pairs = [x for x in cl if x['group'] == 'all']
check('cross-lingual pairs over all runs', [len(all_pairs)], [3])  # MMLU–JMMLU, MMLU–CMMLU, JMMLU–CMMLU
for p in all_pairs:
    check(f"cross-lingual r({p['first']}, {p['second']})", pearson(np.array([gain(r, p['first']) for r in tuned]),
                                                               np.array([gain(r, p['second']) for r in tuned])), p['r'])

# The similarity test without the duplicated base rows: both Mistral bases (their gains rest on rows that
# duplicate each other) left out of the grid, recomputed here and compared with the stored variant.
stats_doc = doc('claims').get('figure_statistics') or []
for m in ['full', 'lora']:
    stored = {s['statistic'].split(' ')[0]: next((v['value'] for v in s['variants'] if 'duplicated base rows' in v['variant']), 'absent')
              for s in stats_doc if s['analysis'] == 'similarity-test' and s['method'] == m and s['statistic'].split(' ')[0] in ('t', 'p')}
    if not stored or 'absent' in stored.values():
        print(f'no {m} similarity variant without the duplicated base rows stored (nothing flagged)')
        continue
    t = similarity_test(gains(m, [b for b in BASES if 'Mistral' not in b]))
    check(f'{m} 3d similarity t and p without the duplicated Mistral bases', [t.statistic, t.pvalue], [stored['t'], stored['p']])

# Fig. 4b from the release: Table 2's mean lengths (words), read from paper-tables.md beside the CSV, against
# the mean gain per (base, dataset) cell over its 1k-sample cosine runs of both methods; a run's gain is the
# mean over the 12 main columns of (score - base score) on 0-100, and a run missing any of them is left out.
import os, re
tables = os.path.join(os.path.dirname(os.path.abspath(csv_path)), 'paper-tables.md')
if os.path.exists(tables):
    repo_of = {'alpaca_cleaned': 'yahma/alpaca-cleaned', 'lima': 'GAIR/lima', 'ultrachat': 'HuggingFaceH4/ultrachat_200k',
               'code_alpaca': 'sahil2801/CodeAlpaca-20k', 'magicoder': 'ise-uiuc/Magicoder-Evol-Instruct-110K', 'openmath': 'nvidia/OpenMathInstruct-1',
               'math': 'TIGER-Lab/MathInstruct', 'flan_knowledge': 'FLAN Knowledge', 'flan_reasoning': 'FLAN Reasoning', 'flan_comprehension': 'FLAN Comprehension'}
    words = {}
    for line in open(tables):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 5 and re.fullmatch(r'[\d.]+', cells[4]):
            for d, key in repo_of.items():
                if key in (cells[1], cells[2]) and (key.startswith('FLAN') or d not in words):
                    words[d] = float(cells[4])
    check('Table 2 lengths read', [len(words)], [10])
    scale = {c: to_hundred[meta[c][1]] for c in MAIN}
    def run_gain(r):
        g = [(num(r[c]) - num(base_row[r['model_name']][c])) * scale[c] for c in MAIN]
        return None if any(np.isnan(g)) else float(np.mean(g))
    cells = []
    for base in BASES:
        for d in DATASETS:
            gs = [run_gain(r) for r in rows if r['model_name'] == base and r['data_name'] == d and r['data_size'] == '1000.0' and r['lr_strategy'] == 'cosine']
            gs = [g for g in gs if g is not None]
            if gs: cells.append((base, d, words[d], np.mean(gs)))
    dl = doc('dataset-length')
    x, y = np.array([c[2] for c in cells]), np.array([c[3] for c in cells])
    by_group = {c['group']: c for c in dl['correlations']}
    check('4b cells (count, then r over all)', [len(cells), stats.pearsonr(x, y)[0]], [by_group['all']['n'], by_group['all']['r']])
    check('4b mean gain per cell', sorted(y), sorted(c['gain'] for c in dl['cells']))
    ids = [b['id'] for b in doc('gain-matrix', 'full')['bases']]
    check('4b r per base', [stats.pearsonr([c[2] for c in cells if c[0] == b], [c[3] for c in cells if c[0] == b])[0] for b in BASES],
          [by_group[i]['r'] for i in ids])
    means = [(words[d], np.mean([c[3] for c in cells if c[1] == d])) for d in DATASETS if any(c[1] == d for c in cells)]
    check('4b r over the datasets\' mean gains', stats.pearsonr([m[0] for m in means], [m[1] for m in means])[0], dl['across_datasets']['r'])
    print(f"    4b: r = {stats.pearsonr(x, y)[0]:.4f} over {len(cells)} cells; over dataset means {stats.pearsonr([m[0] for m in means], [m[1] for m in means])[0]:.4f}")
else:
    print('paper-tables.md not beside the CSV: Fig. 4b not checked')

print('all checks passed' if not failures else f'{failures} checks failed')
sys.exit(1 if failures else 0)
