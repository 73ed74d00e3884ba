"""Writes ridge_fixture.json for PairedRidgeTest: counts (cells x genes), x coordinates, a target
(cells x panel) and the expected cross-validated predictions of the paired ridge reference, computed
with scikit-learn's Ridge (fit_intercept=True: centred X and y, penalty alpha on the weights only).
Procedure: features log1p(counts / total * 1e4); cells sorted by x and cut into 5 stripes of equal
count; for each test stripe s the penalty is chosen on stripe (s+1) % 5 by the median over panel genes
of Pearson's r, fitting on the other three stripes, among alpha = r * n_train for r in RELATIVE; then
refitted on all four training stripes with that r. Run with Debian's python3 (python3-sklearn)."""
import json
import numpy as np
from sklearn.linear_model import Ridge

RELATIVE = [1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3]
FOLDS = 5
rng = np.random.default_rng(5)
n, g, p = 240, 30, 4
x = rng.permutation(n) * 3.0 + rng.random(n)         # distinct coordinates
lib = rng.integers(80, 200, n)
rate = rng.gamma(2.0, 1.0, (n, g)) * np.exp(rng.normal(0, 1, g))
counts = np.array([rng.multinomial(lib[i], rate[i] / rate[i].sum()) for i in range(n)])
F = np.log1p(counts / counts.sum(1, keepdims=True) * 1e4)
W = rng.normal(0, 0.3, (g, p)) * (rng.random((g, p)) < 0.3)
Y = F @ W + rng.normal(0, 0.5, (n, p)) + x[:, None] / 400.0  # a spatial trend the features cannot explain
Y = Y.astype(np.float32).astype(np.float64)                    # the Java side stores targets as float32

order = np.argsort(x, kind="stable")
stripe = np.empty(n, int)
stripe[order] = np.arange(n) * FOLDS // n


def median_r(pred, truth):
    return np.median([np.corrcoef(pred[:, j], truth[:, j])[0, 1] for j in range(truth.shape[1])])


out = np.zeros_like(Y)
chosen = []
for s in range(FOLDS):
    inner = (s + 1) % FOLDS
    tr = (stripe != s) & (stripe != inner)
    scores = [median_r(Ridge(alpha=r * tr.sum()).fit(F[tr], Y[tr]).predict(F[stripe == inner]), Y[stripe == inner]) for r in RELATIVE]
    r = RELATIVE[int(np.argmax(scores))]
    chosen.append(r)
    train = stripe != s
    out[stripe == s] = Ridge(alpha=r * train.sum()).fit(F[train], Y[train]).predict(F[stripe == s])

json.dump({"counts": counts.tolist(), "x": x.tolist(), "target": Y.tolist(), "expected": out.tolist(),
           "chosen_relative_alpha": chosen}, open("ridge_fixture.json", "w"))
print("chosen", chosen, "median r", median_r(out, Y))
