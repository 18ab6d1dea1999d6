#!/usr/bin/env python3
"""Writes an input N times larger than the released CSV: copy k renames every base to '<name>-r<k>',
so run keys stay unique (the copies are ingested as unregistered bases, with a warning each)."""
import csv, sys

src, dst, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, newline='') as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
m = header.index('model_name')
with open(dst, 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(header)
    n = 0
    for k in range(times):
        for r in body:
            r = list(r)
            r[0] = str(n)
            if k:
                r[m] = f'{r[m]}-r{k}'
            w.writerow(r)
            n += 1
