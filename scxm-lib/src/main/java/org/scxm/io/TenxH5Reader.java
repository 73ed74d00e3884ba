package org.scxm.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.function.BiPredicate;
import org.scxm.Progress;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.SparseMatrix;

/**
 * 10x Genomics HDF5 feature-barcode matrices (Cell Ranger, Space Ranger, Xenium's cell_feature_matrix.h5).
 * v3: {@code matrix/} with features/{id,name,feature_type}; v2: one group per genome with genes and
 * gene_names. 10x stores genes x cells as CSC, which is cells x genes CSR: read row by row as is.
 */
final class TenxH5Reader {
    private TenxH5Reader() {}

    /** The matrix with only the kept features. */
    record Matrix(SparseMatrix counts, String[] barcodes, String[] names, String[] ids) {}

    /** Keeps Gene Expression features (drops antibody capture, CRISPR guides, peaks...). */
    static final BiPredicate<String, String> GENE_EXPRESSION =
            (featureName, type) -> type == null || type.equals("Gene Expression");

    static Modality read(Path file, String name, LoadOptions o, Progress p) {
        Matrix m = readMatrix(file, o, p, GENE_EXPRESSION);
        return new Modality(name, m.counts, m.barcodes, m.names, m.ids, null, null, null);
    }

    /** @param keep (feature name, feature type or null) -> whether to keep the feature */
    static Matrix readMatrix(Path file, LoadOptions o, Progress p, BiPredicate<String, String> keep) {
        String fileName = file.getFileName().toString();
        try (HdfFile h = new HdfFile(file)) {
            Group g = H5.group(h, "matrix");
            String[] ids, names, types = null;
            if (g != null && H5.group(g, "features") != null) {
                ids = H5.strings(H5.dataset(g, "features/id"));
                names = H5.strings(H5.dataset(g, "features/name"));
                Dataset t = H5.dataset(g, "features/feature_type");
                if (t != null) types = H5.strings(t);
            } else {
                g = null;
                for (Node n : h)
                    if (n instanceof Group c && c.getChildren().containsKey("genes")) {
                        g = c;
                        break;
                    }
                if (g == null)
                    throw new ScxmException(fileName
                            + " is an HDF5 file but neither a 10x matrix (no matrix/features or genome group with genes) "
                            + "nor an AnnData file: give a filtered_feature_bc_matrix.h5 or an .h5ad.");
                ids = H5.strings(H5.dataset(g, "genes"));
                Dataset gn = H5.dataset(g, "gene_names");
                names = gn == null ? ids : H5.strings(gn);
            }
            String[] barcodes = H5.strings(H5.dataset(g, "barcodes"));
            long[] shape = H5.toLongs(H5.dataset(g, "shape").getData());
            long[] indptr = H5.toLongs(H5.dataset(g, "indptr").getData());
            if (shape[0] != ids.length || shape[1] != barcodes.length || indptr.length != barcodes.length + 1)
                throw new ScxmException(fileName + " has shape " + shape[0] + " x " + shape[1] + " but " + ids.length
                        + " features and " + barcodes.length
                        + " barcodes: the file is inconsistent, export it again from Cell Ranger/Space Ranger.");
            int[] colMap = new int[ids.length];
            int kept = 0;
            for (int j = 0; j < ids.length; j++)
                colMap[j] = keep.test(names[j], types == null ? null : types[j]) ? kept++ : -1;
            String[] keptNames = new String[kept], keptIds = new String[kept];
            for (int j = 0; j < ids.length; j++)
                if (colMap[j] >= 0) {
                    keptNames[colMap[j]] = names[j];
                    keptIds[colMap[j]] = GeneIdentifiers.isEnsembl(ids[j]) ? ids[j] : null;
                }
            CountsCheck check = new CountsCheck("matrix/data of " + fileName, i -> barcodes[i]);
            SparseMatrix counts = MatrixReader.csrRows(
                    H5.dataset(g, "data"),
                    H5.dataset(g, "indices"),
                    indptr,
                    0,
                    indptr.length - 1,
                    ids.length,
                    colMap,
                    kept,
                    check,
                    o.chunkEntries(),
                    p);
            return new Matrix(counts, barcodes, keptNames, keptIds);
        } catch (ScxmException | Progress.Cancelled e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScxmException(
                    fileName + " could not be read as a 10x HDF5 matrix (" + e.getMessage()
                            + "): check that it is a complete filtered_feature_bc_matrix.h5.",
                    e);
        }
    }
}
