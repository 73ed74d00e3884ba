"""Writes a large cells x genes sparse .h5ad for `./scxm bench stream`, in row blocks, so that memory stays at one
block whatever the size: anndata writes obs (cell ids, a categorical cell_type), var and obsm['spatial'] with an
empty X, then h5py appends X as anndata's CSR group (encoding csr_matrix 0.1.0) block by block.

usage: /usr/bin/python3 bench/make_stream_h5ad.py OUT.h5ad GENES.tsv [--cells 1000000] [--genes 5000]
                                                  [--nnz 200] [--panel-density 0.3] [--seed 0]
GENES.tsv (symbol TAB Ensembl id) names genes that must be present (the demo tissue's, so that harmonise finds a
shared panel and the data vocabulary knows them by id); they come
first, expressed at panel-density, and the other genes fill the row up to about nnz non-zeros per cell.
"""
import argparse

import anndata as ad
import h5py
import numpy as np
import pandas as pd

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("genes")
p.add_argument("--cells", type=int, default=1_000_000)
p.add_argument("--genes-total", dest="genes_total", type=int, default=5_000)
p.add_argument("--nnz", type=int, default=200)
p.add_argument("--panel-density", dest="panel_density", type=float, default=0.3)
p.add_argument("--seed", type=int, default=0)
a = p.parse_args()

rows = [line.rstrip("\n").split("\t") for line in open(a.genes) if line.strip()]
named = [r[0] for r in rows]
names = named + [f"FILL{j}" for j in range(a.genes_total - len(named))]
ids = [r[1] if len(r) > 1 and r[1] else n for r, n in zip(rows, named)] + [f"ENSG9{j:010d}" for j in range(len(names) - len(named))]
g, k = len(names), len(named)
rng = np.random.default_rng(a.seed)
obs = pd.DataFrame({"cell_type": pd.Categorical(rng.choice(["T cell", "B cell", "Macrophage", "AT2"], size=a.cells))},
                   index=[f"cell{i}" for i in range(a.cells)])
side = np.sqrt(a.cells) * 10.0  # ~10 microns between cells
adata = ad.AnnData(obs=obs, var=pd.DataFrame({"gene_ids": ids}, index=names), obsm={"spatial": rng.random((a.cells, 2)) * side})
adata.write_h5ad(a.out)

fill_density = max(0.0, (a.nnz - k * a.panel_density) / max(1, g - k))
block = 20_000
with h5py.File(a.out, "r+") as f:
    if "X" in f:
        del f["X"]
    x = f.create_group("X")
    x.attrs["encoding-type"] = "csr_matrix"
    x.attrs["encoding-version"] = "0.1.0"
    x.attrs["shape"] = np.array([a.cells, g], dtype=np.int64)
    data = x.create_dataset("data", shape=(0,), maxshape=(None,), dtype=np.float32, chunks=(1 << 16,))
    indices = x.create_dataset("indices", shape=(0,), maxshape=(None,), dtype=np.int32, chunks=(1 << 16,))
    indptr = np.zeros(a.cells + 1, dtype=np.int64)
    for start in range(0, a.cells, block):
        n = min(block, a.cells - start)
        dens = np.where(np.arange(g) < k, a.panel_density, fill_density).astype(np.float32)
        mask = rng.random((n, g), dtype=np.float32) < dens
        rows, cols = np.nonzero(mask)
        vals = (rng.poisson(2.0, size=rows.size) + 1).astype(np.float32)
        m = data.shape[0]
        data.resize((m + rows.size,))
        indices.resize((m + rows.size,))
        data[m:] = vals
        indices[m:] = cols.astype(np.int32)
        indptr[start + 1:start + n + 1] = m + np.cumsum(np.bincount(rows, minlength=n))
    x.create_dataset("indptr", data=indptr, chunks=(min(1 << 16, indptr.size),))
print(f"wrote {a.out}: {a.cells} x {g}, {int(indptr[-1])} non-zeros")
