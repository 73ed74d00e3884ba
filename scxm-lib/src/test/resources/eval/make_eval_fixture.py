"""Reference values for the per-gene evaluation, computed with scipy / numpy / pandas.
Run with Debian's python3:  /usr/bin/python3 make_eval_fixture.py   -> eval_expected.json
Prediction and truth are 40 cells x 4 genes with ties (binarised-like values) and one constant
truth gene (its correlation is undefined: NaN)."""
import json
import numpy as np
import pandas as pd
from scipy import stats

rng = np.random.default_rng(3)
n, g = 40, 4
truth = rng.random((n, g)).round(1).astype(np.float32)        # ties from rounding
truth[:, 3] = 0.5                                              # constant gene
pred = (0.6 * truth + 0.4 * rng.random((n, g))).astype(np.float32)
pred[:, 1] = (pred[:, 1] > 0.5).astype(np.float32)             # a binary predictor: heavy ties
pearson = [float(stats.pearsonr(pred[:, j], truth[:, j])[0]) if j < 3 else None for j in range(g)]
spearman = [float(stats.spearmanr(pred[:, j], truth[:, j])[0]) if j < 3 else None for j in range(g)]
types = [["alpha", "beta", "gamma"][i % 3] for i in range(n)]
apply_types = ["gamma", "alpha", "delta"]                      # delta is unseen: overall mean
means = pd.DataFrame(truth).groupby(pd.Series(types)).mean()
ctm = [means.loc[t].tolist() if t in means.index else truth.mean(axis=0).tolist() for t in apply_types]
q = np.array([0.9, -0.2, 0.35, 0.1, 0.5])
json.dump(dict(pred=pred.tolist(), truth=truth.tolist(), pearson=pearson, spearman=spearman,
               types=types, apply_types=apply_types, cell_type_mean=ctm,
               quantile_values=q.tolist(), quantiles={str(p): float(np.quantile(q, p)) for p in (0.25, 0.5, 0.75)}),
          open("eval_expected.json", "w"))
