"""Mean and spread over seeds of each method's median per-gene Pearson on the held-out test half.

Reads the TSVs `./scxm run NOTE --out DIR` wrote: in every paragraph that evaluated with split=halves, the
first evaluation summary is the tuning half and the second the test half. With the note given too, a
paragraph's `# variant: NAME` comment names its SCXM row (e.g. the paper's objective and an extension
evaluated in separate paragraphs); a `# scxm only` line there drops its other rows (baselines and
references evaluated again beside a second variant would count twice). Without the note every SCXM row is
one method.
Usage: python3 bench/heldout_table.py DIR [NOTE.txt]
"""
import csv, glob, os, re, statistics, sys
from collections import defaultdict

out = sys.argv[1]
variants, scxm_only = {}, set()
if len(sys.argv) > 2:
    paragraphs = re.split(r"^%scxm\s*$", open(sys.argv[2]).read(), flags=re.M)[1:]
    for i, text in enumerate(paragraphs, start=1):
        m = re.search(r"#\s*variant:\s*(.+)$", text, flags=re.M)
        if m:
            variants[f"{i:02d}"] = m.group(1).strip()
        if re.search(r"^#\s*scxm only\s*$", text, flags=re.M):
            scxm_only.add(f"{i:02d}")
by_par = defaultdict(list)
for f in sorted(glob.glob(os.path.join(out, "*.tsv"))):
    with open(f) as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if rows and rows[0][:2] == ["method", "median_pearson"]:
        par = re.match(r"(\d+)-", os.path.basename(f)).group(1)
        k = int(re.search(r"-(\d+)\.tsv$", f).group(1))
        by_par[par].append((k, rows))
for part, idx in (("tuning", 0), ("test", 1)):
    vals = defaultdict(lambda: defaultdict(list))
    for par, tables in sorted(by_par.items()):
        tables.sort()
        if len(tables) < 2:
            continue
        rows = tables[idx][1]
        head = rows[0]
        for r in rows[1:]:
            d = dict(zip(head, r))
            method = d["method"]
            if par in scxm_only and method.lower() != "scxm":
                continue
            if method.lower() == "scxm" and par in variants:
                method = "SCXM, " + variants[par]
            for col in ("median_pearson", "median_spatial", "spread"):
                if col in d and d[col] not in ("", "NaN"):
                    vals[method][col].append(float(d[col]))
    print(f"\n{part} half, {len(by_par)} evaluations")
    print("| method | median Pearson, mean ± sd | per seed | median, spatial genes | spread |")
    print("| --- | --- | --- | --- | --- |")
    for m, cols in vals.items():
        v = cols["median_pearson"]
        sd = statistics.stdev(v) if len(v) > 1 else float("nan")
        sp = cols.get("median_spatial", [])
        spm = f"{statistics.mean(sp):.3f} ± {statistics.stdev(sp) if len(sp) > 1 else float('nan'):.3f}" if sp else ""
        print(f"| {m} | {statistics.mean(v):.3f} ± {sd:.3f} | {' '.join(f'{x:.3f}' for x in v)} | "
              f"{spm} | {statistics.mean(cols['spread']):.2f} |")
