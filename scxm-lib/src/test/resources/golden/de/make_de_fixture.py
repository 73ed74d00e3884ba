"""Writes de_X.tsv (cells x genes, log1p CP10k-like values with heavy ties, one all-zero gene, one gene
constant in both groups), de_groups.tsv (group per cell: a, b or - for neither) and de_expected.tsv: for
group a vs group b, scipy.stats.mannwhitneyu (two-sided, asymptotic, use_continuity=False, i.e. the
tie-corrected normal approximation), Welch's t-test (scipy.stats.ttest_ind equal_var=False),
statsmodels multipletests fdr_bh on the Wilcoxon p (NaN as 1), log2 fold change of CP10k means
(expm1 of the values) with 1e-9, and the fraction of cells expressing in each group.
Run with Debian's python3 (python3-scipy, python3-statsmodels)."""
import numpy as np
from scipy.stats import mannwhitneyu, ttest_ind
from statsmodels.stats.multitest import multipletests

rng = np.random.default_rng(11)
n, g = 70, 9
groups = np.array(["a"] * 25 + ["b"] * 35 + ["-"] * 10)
X = np.zeros((n, g))
for j in range(g - 2):
    p = 0.2 + 0.08 * j
    shift = 1 if j % 3 == 0 else 0
    for i in range(n):
        if rng.random() < p + (0.25 if groups[i] == "a" and shift else 0):
            X[i, j] = np.log1p(rng.integers(1, 4 + 2 * shift * (groups[i] == "a")))  # few distinct values: heavy ties
X[:, g - 2] = 0                     # all-zero gene
X[:, g - 1] = np.log1p(2.0)         # constant, expressed everywhere
names = [f"g{j}" for j in range(g)]
np.savetxt("de_X.tsv", X, delimiter="\t", fmt="%.17g")
with open("de_groups.tsv", "w") as f:
    f.write("\n".join(groups) + "\n")
a, b = X[groups == "a"], X[groups == "b"]
rows = []
p = np.empty(g)
for j in range(g):
    res = mannwhitneyu(a[:, j], b[:, j], use_continuity=False, alternative="two-sided", method="asymptotic")
    p[j] = res.pvalue
padj = multipletests(np.nan_to_num(p, nan=1.0), method="fdr_bh")[1]
with open("de_expected.tsv", "w") as f:
    f.write("gene\twilcoxon_p\tpadj_bh\twelch_t\twelch_p\tlog2fc\tfrac_a\tfrac_b\n")
    for j in range(g):
        t = ttest_ind(a[:, j], b[:, j], equal_var=False)
        lfc = np.log2((np.expm1(a[:, j]).mean() + 1e-9) / (np.expm1(b[:, j]).mean() + 1e-9))
        f.write("\t".join([names[j]] + ["%.17g" % v for v in (p[j], padj[j], t.statistic, t.pvalue, lfc,
                                                             (a[:, j] > 0).mean(), (b[:, j] > 0).mean())]) + "\n")
