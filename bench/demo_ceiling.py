"""How far above the cell's own binarised panel can any one-cell predictor get on the demo's held-out test half?

Supervised models that see the bulked truth (which SCXM never does for these cells): ridge regression and a small MLP
from a cell's own binarised panel, its log1p CP10k panel expression, its cell-type label and (an oracle no method
has) its niche label, trained on (a) the training slide st, (b) the validation slide's tuning half, or (c) the test
half itself by 5 stripes along x (each stripe predicted by a model fitted on the other four). Median per-gene Pearson
on the test half, as `evaluate val split=halves` computes it (same cut: median of the longer axis, 25 um gap).
Usage: ./scxm run bench/demo-ceiling.txt --out DIR; python3 bench/demo_ceiling.py [/tmp/scxm-ceiling]
"""
import sys
import anndata as ad
import numpy as np
import scipy.sparse as sp
import torch

d = sys.argv[1] if len(sys.argv) > 1 else "/tmp/scxm-ceiling"
val, st = ad.read_h5ad(f"{d}/val.h5ad"), ad.read_h5ad(f"{d}/st.h5ad")
TYPES = sorted(set(val.obs["cell_type"]) | set(st.obs["cell_type"]))
NICHES = ["alveolar", "lymphoid aggregate", "airway", "vessel"]


def halves(xy, r=25.0):
    c = xy[:, 0] if np.ptp(xy[:, 0]) >= np.ptp(xy[:, 1]) else xy[:, 1]
    cut = np.sort(c)[len(c) // 2]
    return np.where(c < cut - r)[0], np.where(c > cut + r)[0]


def median_pearson(p, t):
    r = []
    for j in range(t.shape[1]):
        a, b = p[:, j] - p[:, j].mean(), t[:, j] - t[:, j].mean()
        n = np.sqrt((a * a).sum() * (b * b).sum())
        r.append(np.nan if n == 0 else (a * b).sum() / n)
    return np.nanmedian(r)


def features(a, kind):
    bits = np.asarray(a.layers["binarised"], dtype=np.float64)
    x = a.X.toarray() if sp.issparse(a.X) else np.asarray(a.X, dtype=np.float64)
    f = [bits]
    if kind >= 1:
        f.append(np.log1p(x / np.maximum(x.sum(1, keepdims=True), 1) * 1e4))
    if kind >= 2:
        f.append(np.eye(len(TYPES))[[TYPES.index(t) for t in a.obs["cell_type"]]])
    if kind >= 3:
        f.append(np.eye(len(NICHES))[[NICHES.index(n) for n in a.obs["niche"]]])
    return np.hstack(f)


def ridge(ftr, ttr, fte, alpha):
    mu, sd = ftr.mean(0), ftr.std(0) + 1e-9
    z, tm = (ftr - mu) / sd, ttr.mean(0)
    w = np.linalg.solve(z.T @ z + alpha * len(z) * np.eye(z.shape[1]), z.T @ (ttr - tm))
    return ((fte - mu) / sd) @ w + tm


def mlp(ftr, ttr, fte, seed, epochs=60):
    torch.manual_seed(seed)
    mu, sd = ftr.mean(0), ftr.std(0) + 1e-9
    x, y = torch.tensor((ftr - mu) / sd, dtype=torch.float32), torch.tensor(ttr, dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(), torch.nn.Linear(128, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, y.shape[1]))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    for _ in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            ((net(x[b]) - y[b]) ** 2).mean().backward()
            opt.step()
    with torch.no_grad():
        return net(torch.tensor((fte - mu) / sd, dtype=torch.float32)).numpy()


truth, st_truth = np.asarray(val.layers["target"], np.float64), np.asarray(st.layers["target"], np.float64)
tu, te = halves(val.obsm["spatial"])
for name, part in (("tuning", tu), ("test", te)):
    counts = {n: int((val.obs["niche"].values[part] == n).sum()) for n in NICHES}
    print(f"{name} half: {len(part)} cells, niches {counts}")
bits = np.asarray(val.layers["binarised"])
print(f"own binarised: tuning {median_pearson(bits[tu], truth[tu]):.3f}, test {median_pearson(bits[te], truth[te]):.3f}")
x = val.obsm["spatial"][te, 0]
stripe = np.searchsorted(np.quantile(x, [0.2, 0.4, 0.6, 0.8]), x)
names = ["own bits", "+ log1p panel", "+ cell-type label", "+ niche label (oracle)"]
print("\nridge, test half (alpha 0.001 / 0.01 / 0.1)    trained on st | on the tuning half | test half by stripes")
for kind in range(4):
    f, fs = features(val, kind), features(st, kind)
    cells = []
    for source in ("st", "tuning", "stripes"):
        r = []
        for alpha in (1e-3, 1e-2, 1e-1):
            if source == "st":
                p = ridge(fs, st_truth, f[te], alpha)
            elif source == "tuning":
                p = ridge(f[tu], truth[tu], f[te], alpha)
            else:
                p = np.zeros((len(te), truth.shape[1]))
                for k in range(5):
                    tr, ho = np.where(stripe != k)[0], np.where(stripe == k)[0]
                    p[ho] = ridge(f[te][tr], truth[te][tr], f[te][ho], alpha)
            r.append(median_pearson(p, truth[te]))
        cells.append(" / ".join(f"{v:.3f}" for v in r))
    print(f"  {names[kind]:<24} " + " | ".join(cells))
print("\nMLP (2 x 128, 60 epochs) trained on st, 3 seeds: tuning half | test half")
for kind in (0, 1, 3):
    f, fs = features(val, kind), features(st, kind)
    res = np.array([[median_pearson(mlp(fs, st_truth, f[part], s), truth[part]) for part in (tu, te)] for s in range(3)])
    print(f"  {names[kind]:<24} {res[:, 0].mean():.3f} +- {res[:, 0].std(ddof=1):.3f} | "
          f"{res[:, 1].mean():.3f} +- {res[:, 1].std(ddof=1):.3f}")
