#!/usr/bin/env python3
"""Recomputes the audit's duplicate and collapse findings with NumPy, from a database's runs, columns and
scores tables, independently of the Swift rules, and compares them with its stored `quality` document.

    python3 scripts/check_audit.py atlas.sqlite

Duplicates: every pair of runs (not only the candidates the Swift code draws from rare values): equal in at
least 5 columns and in at least half the columns both have, and the product over the equal columns of each
column's share of equal pairs, times the number of pairs, below 0.01. Collapsed: a fine-tuned value below
half its base row's and half the median of its (base, method) group, and 10% of the scale under both.
A user's runs (runs.source set) are judged against the release: the column shares, the number of pairs and
the group medians come from the release's runs alone (from every run when there are only a user's).
Then one sensitivity variant: the cross-lingual correlations with the collapsed cells left out, against the
claims document's. Prints the counts and exits 1 if anything differs."""
import itertools, json, sqlite3, sys
import numpy as np

db = sqlite3.connect(sys.argv[1])
runs = db.execute('select position, id, base_id, method, is_base from runs order by position').fetchall()
user = np.array([s is not None for (s,) in db.execute('select source from runs order by position')], bool)
ref = ~user if (~user).any() else np.ones(len(runs), bool)
cols = db.execute('select position, id, scale_min, scale_max from columns order by position').fetchall()
n, m = len(runs), len(cols)
v = np.full((n, m), np.nan)
for col, run, value in db.execute('select col, run, value from scores'):
    if value is not None: v[run, col] = value
quality = json.loads(db.execute("select json from analyses where name='quality' and method=''").fetchone()[0])

# Duplicates, over all pairs; each column's share of equal pairs among the reference runs.
present = ~np.isnan(v)
logp = np.zeros(m)
for c in range(m):
    vals = v[present[:, c] & ref, c]
    k = len(vals)
    _, counts = np.unique(vals, return_counts=True)
    logp[c] = np.log10(max((counts * (counts - 1) / 2).sum() / (k * (k - 1) / 2), 1e-12)) if k >= 2 else 0
equal = np.zeros((n, n), int); shared = np.zeros((n, n), int); logchance = np.zeros((n, n))
for c in range(m):
    both = present[:, c][:, None] & present[:, c][None, :]
    eq = both & (v[:, c][:, None] == v[:, c][None, :])
    shared += both; equal += eq; logchance += eq * logp[c]
k_ref = int(ref.sum())
pairs = k_ref * max(k_ref - 1, 1) / 2
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
        reference = [p for p in members if ref[p]] or members
        vals = v[reference, c]; vals = vals[~np.isnan(vals)]
        if len(vals) < 5 or base not in base_row: continue
        med, b = np.median(vals), v[base_row[base], c]
        if np.isnan(b): continue
        for pos in members:
            x = v[pos, c]
            if not np.isnan(x) and x < 0.5 * b and x < 0.5 * med and min(b, med) - x >= 0.1 * (hi - lo):
                expected_col.add((runs[pos][1], cid))
found_col = {(f['runs'][0], f['columns'][0]) for f in quality['findings'] if f['kind'] == 'collapsed'}

# One sensitivity variant: the cross-lingual correlation with the collapsed cells left out. Runs: fine-tuned,
# 1k samples, cosine schedule, main-grid bases; gains over each base's own row; Pearson r over runs with both.
meta = {pos: (base, ds, samples, sched, is_base) for pos, base, ds, samples, sched, is_base in
        db.execute('select position, base_id, dataset_id, samples, schedule, is_base from runs')}
main_bases = {b for (b,) in db.execute('select id from bases where in_main_grid = 1')}
col_at = {cid: c for c, cid, lo, hi in cols}
w = v.copy()
for rid, cid in found_col:
    w[[p for p, r in enumerate(runs) if r[1] == rid][0], col_at[cid]] = np.nan
base_pos = {meta[p][0]: p for p in meta if meta[p][4]}
tuned = [p for p in meta if not meta[p][4] and meta[p][2] == 1000 and meta[p][3] == 'cosine' and meta[p][0] in main_bases]
def r_of(a, b):
    x = np.array([w[p, col_at[a]] - w[base_pos[meta[p][0]], col_at[a]] for p in tuned])
    y = np.array([w[p, col_at[b]] - w[base_pos[meta[p][0]], col_at[b]] for p in tuned])
    keep = ~np.isnan(x) & ~np.isnan(y)
    return np.corrcoef(x[keep], y[keep])[0, 1], int(keep.sum())
claims = json.loads(db.execute("select json from analyses where name='claims' and method=''").fetchone()[0])['claims']
variant = next((x for c in claims if c['id'] == 'cross-lingual' for x in (c.get('sensitivity') or []) if 'collapsed' in x['variant']), None)
sens_ok = True
if variant:
    import re
    stated = {(a, b): (float(r), int(k)) for a, b, r, k in re.findall(r'r\((\S+), (\S+)\) = (-?[\d.]+) over (\d+) runs', variant['statistic'])}
    for (a, b), (r, k) in stated.items():
        mine, count = r_of(a, b)
        good = abs(mine - r) < 0.0006 and count == k
        sens_ok &= good
        print(f"cross-lingual without collapsed cells, r({a}, {b}): NumPy {mine:.4f} over {count} runs, stored {r} over {k}" + ("" if good else "  MISMATCH"))
else:
    print("no sensitivity variant stored (nothing flagged)")

ok = expected_dups == found_dups and expected_col == found_col and sens_ok
print(f"duplicate pairs: NumPy {len(expected_dups)}, stored {len(found_dups)}" + ("" if expected_dups == found_dups else f"; differ: {sorted(map(sorted, expected_dups ^ found_dups))[:5]}"))
print(f"collapsed cells: NumPy {len(expected_col)}, stored {len(found_col)}" + ("" if expected_col == found_col else f"; differ: {sorted(expected_col ^ found_col)[:5]}"))
print("audit checks passed" if ok else "audit checks FAILED")
sys.exit(0 if ok else 1)
