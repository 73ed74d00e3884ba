"""Reference for `./scxm bench bulk`: the same radius graph (cKDTree), Gaussian weights normalised per cell,
and a sparse matrix product with the binarised panel. Reads the raw little-endian arrays the Java side wrote
in DIR; writes DIR/ref_z.f32 and prints 'seconds peak_rss_mib edges'."""
import sys, time, resource
import numpy as np
from scipy.spatial import cKDTree
import scipy.sparse as sp

d, radius, sigma, n, g = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
x = np.fromfile(f"{d}/x.f64", dtype="<f8"); y = np.fromfile(f"{d}/y.f64", dtype="<f8")
indptr = np.fromfile(f"{d}/indptr.i32", dtype="<i4"); indices = np.fromfile(f"{d}/indices.i32", dtype="<i4")
panel = sp.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(n, g))
t0 = time.perf_counter()
tree = cKDTree(np.column_stack([x, y]))
dist = tree.sparse_distance_matrix(tree, radius, output_type="coo_matrix")
w = sp.coo_matrix((np.exp(-dist.data ** 2 / (2 * sigma * sigma)), (dist.row, dist.col)), shape=(n, n)).tocsr()
missing_self = (w.diagonal() == 0).astype(np.float64)  # in case a scipy version leaves out zero self-distances
w = w + sp.diags(missing_self)
w = sp.diags(1.0 / np.asarray(w.sum(axis=1)).ravel()) @ w
z = (w @ panel).toarray().astype(np.float32)
secs = time.perf_counter() - t0
z.tofile(f"{d}/ref_z.f32")
print(secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, w.nnz)
