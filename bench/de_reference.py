"""Reference for `./scxm bench de`: scipy.stats.mannwhitneyu (two-sided, asymptotic, no continuity
correction: tie-corrected normal approximation, as scanpy's test asserts) for every gene, group vs rest,
over chunks of dense columns, then BH. Reads the CSR arrays the Java side wrote in DIR; writes
DIR/ref_p.f32 and prints 'seconds peak_rss_mib'."""
import sys, time, resource
import numpy as np
import scipy.sparse as sp
from scipy.stats import mannwhitneyu

d, n, g = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
indptr = np.fromfile(f"{d}/indptr.i32", dtype="<i4"); indices = np.fromfile(f"{d}/indices.i32", dtype="<i4")
data = np.fromfile(f"{d}/data.f32", dtype="<f4"); group = np.fromfile(f"{d}/group.i32", dtype="<i4").astype(bool)
x = sp.csr_matrix((data, indices, indptr), shape=(n, g))
t0 = time.perf_counter()
xc = x.tocsc()
p = np.empty(g)
chunk = 250
for s in range(0, g, chunk):
    block = xc[:, s:s + chunk].toarray()
    p[s:s + chunk] = mannwhitneyu(block[group], block[~group], use_continuity=False, alternative="two-sided", method="asymptotic", axis=0).pvalue
p = np.nan_to_num(p, nan=1.0)
order = np.argsort(p)  # Benjamini-Hochberg
adj = np.minimum.accumulate((p[order] * g / np.arange(1, g + 1))[::-1])[::-1]
padj = np.empty(g); padj[order] = np.minimum(adj, 1)
secs = time.perf_counter() - t0
p.astype("<f4").tofile(f"{d}/ref_p.f32")
print(secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
