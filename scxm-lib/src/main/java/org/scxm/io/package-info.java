/**
 * Readers and writers: files and folders in, {@link org.scxm.data.Modality} out, results back to .h5ad.
 *
 * <p>Entry points: {@link org.scxm.io.Readers#load} (format detected, or forced with
 * {@link org.scxm.io.LoadOptions#format}) and {@link org.scxm.io.H5adWriter#write}.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li>AnnData .h5ad: X dense, CSR or CSC (float32/float64/integer), layers/NAME, raw; obs/var in the
 *       current encoding, the 0.7 one (obs/__categories) and the legacy compound one (uns/NAME_categories);
 *       coordinates from obsm['spatial'] or obsm['X_spatial'], taken to be microns.</li>
 *   <li>10x HDF5 (v3 matrix/features, v2 genome group): only Gene Expression features are kept.</li>
 *   <li>Xenium folder: cell_feature_matrix.h5 + cells.csv.gz; control probes and codewords dropped;
 *       x/y from x_centroid/y_centroid. cells.parquet is not read (no Parquet dependency).</li>
 *   <li>Visium folder: filtered_feature_bc_matrix.h5 + spatial/tissue_positions(_list).csv; pixels to
 *       microns with 55 µm / spot_diameter_fullres.</li>
 *   <li>MERSCOPE folder: *cell_by_gene.csv (Blank-* dropped) + *cell_metadata.csv (center_x/center_y, µm).</li>
 * </ul>
 *
 * <h2>Which h5ad matrix is "counts"</h2>
 * An explicit layer ({@code layer="X"} for X itself) or {@code useRaw} is obeyed; NaN or negative values
 * in it stop the load, non-integer values give a warning. Otherwise the first of layers['counts'], X,
 * raw/X whose first 65,536 stored values are non-negative integers is used. If none is, the first
 * non-negative one is loaded with a warning (scanpy's pbmc68k_reduced: scaled X, log-normalised raw, so
 * raw is used: rank-value encoding only needs each cell's order). Only negative/NaN data everywhere is
 * refused, with a sentence saying to save counts in layers['counts'].
 *
 * <h2>Memory</h2>
 * Sparse matrices are read in slices of {@link org.scxm.io.LoadOptions#chunkEntries} stored entries
 * straight into the row-blocked {@link org.scxm.data.SparseMatrix}, so peak memory is about the result
 * (8 bytes per non-zero) plus one slice; CSC is converted to rows in row ranges whose entries fit
 * 16 slices, streaming over the file once per range. Chunked datasets are decoded chunk by chunk
 * (jhdf 0.9.4's own slicing returns zeros past the first chunk).
 */
package org.scxm.io;
