"""Spatial-slide ridge and tuning-half scoring for exported slides (bench/tuning-runs.md).

The spatial-slide ridge: fitted on the training slide's cells (features: binarised panel + log1p CP10k of the panel
genes, standardised on the training slide; target: the cell's own bulked target), penalty chosen by cross-validation
over 5 stripes of equal cell count along x on the training slide, applied to the validation cells. Scores are the
median per-gene Pearson over genes with a defined correlation, on the tuning half of the validation slide as
`evaluate split=halves` cuts it (workbench/HeldOut.java: longer axis, cut at the median, one radius left out).

usage: python3 spatial_ridge.py ST.h5ad VAL.h5ad RADIUS [PRED.h5ad ...]   (PRED: exported val with a prediction layer;
       several are also scored as their mean, as `predict val model=a,b,c` averages)
"""
import sys
import anndata as ad
import numpy as np
import scipy.sparse as sp

ALPHAS = [1e-2, 1e-1, 1, 10, 100, 1e3, 1e4]


def dense(m):
    return m.toarray() if sp.issparse(m) else np.asarray(m)


def features(a):
    counts = dense(a.X).astype(np.float64)
    tot = counts.sum(1, keepdims=True)
    tot[tot == 0] = 1
    return np.hstack([dense(a.layers["binarised"]), np.log1p(counts / tot * 1e4)])


def tuning_half(xy, radius):
    x, y = xy[:, 0], xy[:, 1]
    c = x if np.ptp(x) >= np.ptp(y) else y
    cut = np.sort(c)[len(c) // 2]
    return np.where(c < cut - radius)[0]


def median_pearson(pred, truth):
    rs = []
    for j in range(truth.shape[1]):
        a, b = pred[:, j], truth[:, j]
        if a.std() == 0 or b.std() == 0:
            continue
        rs.append(np.corrcoef(a, b)[0, 1])
    return float(np.median(rs)) if rs else float("nan")


def ridge_fit(X, Y, alpha):
    mx, my = X.mean(0), Y.mean(0)
    Xc = X - mx
    W = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ (Y - my))
    return lambda Z: (Z - mx) @ W + my


def stripes(x, folds=5):
    order = np.argsort(x, kind="stable")
    s = np.empty(len(x), int)
    s[order] = (np.arange(len(x)) * folds) // len(x)
    return s


def spatial_ridge(st, val):
    Xs, Ys = features(st), dense(st.layers["target"])
    mu, sd = Xs.mean(0), Xs.std(0)
    sd[sd == 0] = 1
    Xs = (Xs - mu) / sd
    s = stripes(st.obsm["spatial"][:, 0])
    best = None
    for a in ALPHAS:
        score = np.mean([median_pearson(ridge_fit(Xs[s != k], Ys[s != k], a)(Xs[s == k]), Ys[s == k]) for k in range(5)])
        if best is None or score > best[0]:
            best = (score, a)
    f = ridge_fit(Xs, Ys, best[1])
    return f((features(val) - mu) / sd), best[1]


def main():
    st, val, radius = ad.read_h5ad(sys.argv[1]), ad.read_h5ad(sys.argv[2]), float(sys.argv[3])
    assert list(st.var_names) == list(val.var_names), "panels differ"
    t = tuning_half(np.asarray(val.obsm["spatial"]), radius)
    truth = dense(val.layers["target"])[t]
    pred, alpha = spatial_ridge(st, val)
    print(f"tuning cells {len(t)}; spatial-slide ridge (alpha {alpha:g}): {median_pearson(pred[t], truth):.4f}")
    own = dense(val.layers["binarised"])[t]
    print(f"own binarised: {median_pearson(own, truth):.4f}")
    preds = []
    for p in sys.argv[4:]:
        q = dense(ad.read_h5ad(p).layers["prediction"])
        preds.append(q)
        print(f"{p}: {median_pearson(q[t], truth):.4f}")
    if len(preds) > 1:
        print(f"mean of {len(preds)}: {median_pearson(np.mean(preds, 0)[t], truth):.4f}")


if __name__ == "__main__":
    main()
