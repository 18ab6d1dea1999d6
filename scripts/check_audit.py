#!/usr/bin/env python3
"""Recomputes the audit's duplicate and collapse findings with NumPy, from a database's runs, columns and
scores tables, independently of the Swift rules, and compares them with its stored `quality` document.

    python3 scripts/check_audit.py atlas.sqlite

Duplicates: every pair of runs (not only the candidates the Swift code draws from rare values): equal in at
least 5 columns and in at least half the columns both have, and the product over the equal columns of each
column's share of equal pairs, times the number of pairs, below 0.01. Collapsed: a fine-tuned value below
half its base row's and half the median of its (base, method) group, and 10% of the scale under both.
Prints the counts and exits 1 if either set differs."""
import itertools, json, sqlite3, sys
import numpy as np

db = sqlite3.connect(sys.argv[1])
runs = db.execute('select position, id, base_id, method, is_base from runs order by position').fetchall()
cols = db.execute('select position, id, scale_min, scale_max from columns order by position').fetchall()
n, m = len(runs), len(cols)
v = np.full((n, m), np.nan)
for col, run, value in db.execute('select col, run, value from scores'):
    if value is not None: v[run, col] = value
quality = json.loads(db.execute("select json from analyses where name='quality' and method=''").fetchone()[0])

# Duplicates, over all pairs.
present = ~np.isnan(v)
logp = np.zeros(m)
for c in range(m):
    vals = v[present[:, c], c]
    k = len(vals)
    _, counts = np.unique(vals, return_counts=True)
    logp[c] = np.log10(max((counts * (counts - 1) / 2).sum() / (k * (k - 1) / 2), 1e-12)) if k >= 2 else 0
equal = np.zeros((n, n), int); shared = np.zeros((n, n), int); logchance = np.zeros((n, n))
for c in range(m):
    both = present[:, c][:, None] & present[:, c][None, :]
    eq = both & (v[:, c][:, None] == v[:, c][None, :])
    shared += both; equal += eq; logchance += eq * logp[c]
pairs = n * (n - 1) / 2
iu = np.triu_indices(n, 1)
flag = (equal[iu] >= 5) & (2 * equal[iu] >= shared[iu]) & (np.minimum(1, 10 ** logchance[iu] * pairs) < 0.01)
expected_dups = {frozenset((runs[i][1], runs[j][1])) for i, j in zip(iu[0][flag], iu[1][flag])}
found_dups = set()
for f in quality['findings']:
    if f['kind'] == 'duplicate':
        found_dups |= {frozenset(p) for p in itertools.combinations(f['runs'], 2)}

# Collapsed cells.
base_row = {}
for pos, rid, base, method, is_base in runs:
    if is_base and base not in base_row: base_row[base] = pos
groups = {}
for pos, rid, base, method, is_base in runs:
    if not is_base: groups.setdefault((base, method), []).append(pos)
expected_col = set()
for c, cid, lo, hi in cols:
    if lo is None or hi is None or hi <= lo: continue
    for (base, method), members in groups.items():
        vals = v[members, c]; vals = vals[~np.isnan(vals)]
        if len(vals) < 5 or base not in base_row: continue
        med, b = np.median(vals), v[base_row[base], c]
        if np.isnan(b): continue
        for pos in members:
            x = v[pos, c]
            if not np.isnan(x) and x < 0.5 * b and x < 0.5 * med and min(b, med) - x >= 0.1 * (hi - lo):
                expected_col.add((runs[pos][1], cid))
found_col = {(f['runs'][0], f['columns'][0]) for f in quality['findings'] if f['kind'] == 'collapsed'}

ok = expected_dups == found_dups and expected_col == found_col
print(f"duplicate pairs: NumPy {len(expected_dups)}, stored {len(found_dups)}" + ("" if expected_dups == found_dups else f"; differ: {sorted(map(sorted, expected_dups ^ found_dups))[:5]}"))
print(f"collapsed cells: NumPy {len(expected_col)}, stored {len(found_col)}" + ("" if expected_col == found_col else f"; differ: {sorted(expected_col ^ found_col)[:5]}"))
print("audit checks passed" if ok else "audit checks FAILED")
sys.exit(0 if ok else 1)
