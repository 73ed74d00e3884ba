"""Writes a synthetic cells x genes sparse count matrix as .h5ad with anndata, for `./scxm bench read`.

usage: /usr/bin/python3 bench/make_sparse_h5ad.py OUT.h5ad [--cells 200000] [--genes 5000] [--density 0.04]
                                                            [--compression gzip] [--seed 0]
Counts are Poisson(2)+1 at random positions (float32, CSR), cell ids cell0.., gene symbols G0.., a
categorical obs column and obsm['spatial'], written in row blocks so the script itself stays small.
"""
import argparse

import anndata as ad
import numpy as np
import pandas as pd
import scipy.sparse as sp

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--cells", type=int, default=200_000)
p.add_argument("--genes", type=int, default=5_000)
p.add_argument("--density", type=float, default=0.04)
p.add_argument("--compression", default=None)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()

rng = np.random.default_rng(a.seed)
blocks = []
for start in range(0, a.cells, 10_000):
    n = min(10_000, a.cells - start)
    mask = rng.random((n, a.genes), dtype=np.float32) < a.density
    rows, cols = np.nonzero(mask)
    vals = (rng.poisson(2.0, size=rows.size) + 1).astype(np.float32)
    blocks.append(sp.csr_matrix((vals, (rows, cols)), shape=(n, a.genes)))
X = sp.vstack(blocks, format="csr")
obs = pd.DataFrame({"cell_type": pd.Categorical(rng.choice(["T", "B", "NK", "Mono"], size=a.cells))},
                   index=[f"cell{i}" for i in range(a.cells)])
var = pd.DataFrame(index=[f"G{j}" for j in range(a.genes)])
adata = ad.AnnData(X=X, obs=obs, var=var, obsm={"spatial": rng.random((a.cells, 2)) * 10_000}, dtype=np.float32)
adata.write_h5ad(a.out, compression=a.compression)
print(f"wrote {a.out}: {a.cells} x {a.genes}, {X.nnz} non-zeros")
