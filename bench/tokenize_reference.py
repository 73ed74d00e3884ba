"""Reference for `./scxm bench tokenize`: Geneformer rank value encoding vectorised with numpy on the same
counts (CSR raw arrays written by the Java side in DIR). Per cell: counts / total x 10,000 / median, non-zero
genes sorted by value descending then token ascending, <cls> + first max_genes + <eos>.
Writes DIR/ref_tokens.i32 (all sequences concatenated) and DIR/ref_lengths.i32; prints 'seconds peak_rss_mib'."""
import sys, time, resource
import numpy as np

d, n, max_genes, cls, eos = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
indptr = np.fromfile(f"{d}/indptr.i32", dtype="<i4").astype(np.int64)
indices = np.fromfile(f"{d}/indices.i32", dtype="<i4")
counts = np.fromfile(f"{d}/counts.f32", dtype="<f4")
token_of = np.fromfile(f"{d}/token_of.i32", dtype="<i4")     # per gene, -1 when not in the vocabulary
inv_median = np.fromfile(f"{d}/inv_median.f64", dtype="<f8")  # per gene, 1 / non-zero median
t0 = time.perf_counter()
row = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
totals = np.add.reduceat(counts.astype(np.float64), indptr[:-1]) if len(counts) else np.zeros(n)
totals[np.diff(indptr) == 0] = 0
tok = token_of[indices]
keep = (tok >= 0) & (counts > 0)
row, tok = row[keep], tok[keep]
value = counts[keep].astype(np.float64) / totals[row] * 1e4 * inv_median[indices[keep]]
order = np.lexsort((tok, -value, row))        # by cell, then value descending, then token ascending
row, tok = row[order], tok[order]
starts = np.searchsorted(row, np.arange(n))
rank = np.arange(len(row)) - starts[row]
sel = rank < max_genes
row, tok = row[sel], tok[sel]
lengths = np.bincount(row, minlength=n).astype(np.int32) + 2
out = np.empty(lengths.sum(), dtype=np.int32)
seq_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
out[seq_start] = cls
out[seq_start + lengths - 1] = eos
pos_in_seq = 1 + (np.arange(len(row)) - np.searchsorted(row, row))
out[seq_start[row] + pos_in_seq] = tok
secs = time.perf_counter() - t0
out.tofile(f"{d}/ref_tokens.i32"); lengths.tofile(f"{d}/ref_lengths.i32")
print(secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
