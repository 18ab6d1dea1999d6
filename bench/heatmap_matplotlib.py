#!/usr/bin/env python3
"""Draws the same heatmap as SFT Atlas with matplotlib, for bench/figures.sh.

   python3 bench/heatmap_matplotlib.py CHART.csv [DRAWS]

CHART.csv is the data that atlas-bench wrote for its heatmap (rows of datasets, columns of benchmarks,
empty cells missing). The figure matches what SFT Atlas draws: a diverging colour map centred at 0, a value
in every cell, row and column labels, a colour bar and a title, at the same pixel size, saved as PNG to
memory. Prints the median time per draw, import and first-draw costs excluded (reported separately).
"""
import csv
import io
import statistics
import sys
import time

started = time.perf_counter()
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
imported = time.perf_counter() - started

path, draws = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
columns = rows[0][1:]
labels = [r[0] for r in rows[1:]]
values = np.array([[float(c) if c else np.nan for c in r[1:]] for r in rows[1:]])
png = open(path + ".png", "rb").read()
width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def draw():
    dpi = 100
    fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi)
    limit = np.nanmax(np.abs(values))
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            if not np.isnan(values[i, j]):
                ax.text(j, i, f"{values[i, j]:.1f}", ha="center", va="center", fontsize=6)
    ax.set_xticks(range(len(columns)), columns, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_title("Gain over the base", loc="left", fontweight="bold")
    fig.colorbar(image, ax=ax, label="score − base score")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    plt.close(fig)
    return out.getbuffer().nbytes


first = time.perf_counter()
size = draw()
first = time.perf_counter() - first
times = []
for _ in range(draws):
    t = time.perf_counter()
    draw()
    times.append(time.perf_counter() - t)
print(f"matplotlib {matplotlib.__version__}: {values.shape[0]}x{values.shape[1]} heatmap at {width}x{height} px ({size} bytes of PNG), "
      f"median of {draws} draws {statistics.median(times) * 1000:.1f} ms (first {first * 1000:.1f} ms; import {imported * 1000:.0f} ms)")
print(f"MEDIAN_MS {statistics.median(times) * 1000:.3f}")
