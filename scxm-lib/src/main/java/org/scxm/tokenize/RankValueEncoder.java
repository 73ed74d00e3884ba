package org.scxm.tokenize;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.scxm.ScxmException;
import org.scxm.data.Modality;
import org.scxm.data.RowChunks;
import org.scxm.data.SparseMatrix;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Geneformer's rank value encoding (paper 4.3; DESIGN.md, the data's way, step 4). Per cell: counts / total counts x 10,000,
 * divided by the gene's non-zero median; non-zero genes sorted descending; truncated so that, for
 * vocabularies with special tokens (V2), {@code <cls>} + genes + {@code <eos>} fit {@code maxLength}
 * (4,094 genes for 4,096). Ties (equal normalised values) are ordered by ascending token id, so the
 * encoding is deterministic. Genes without a token or a median are dropped and listed by
 * {@link #missingGenes()}.
 */
public final class RankValueEncoder {
    private final GeneformerVocabulary vocab;
    private final int maxLength;
    private final Modality modality;
    private final int[] tokenOf; // per column of the modality, -1 when dropped
    private final double[] invMedian; // per column, 1 / median
    private final Table missing;

    /** Genes are looked up by Ensembl id, else by symbol through the vocabulary's name dictionary. */
    public RankValueEncoder(GeneformerVocabulary vocab, int maxLength, Modality modality) {
        this(vocab, maxLength, modality, lookUp(vocab, modality));
    }

    /**
     * Genes are looked up by the given keys only, e.g. the human Ensembl ids of mouse genes
     * ({@link org.scxm.data.Homology.HumanIds}), so no gene reaches the model by a chance symbol match.
     * @param keys one vocabulary key (Ensembl id) per gene column of the modality, null where the gene has none
     */
    public RankValueEncoder(GeneformerVocabulary vocab, int maxLength, Modality modality, String[] keys) {
        int specials = vocab.hasSpecialTokens() ? 2 : 0;
        if (maxLength <= specials)
            throw new ScxmException(
                    "max_length must exceed " + specials + " (the special tokens), got " + maxLength + ".");
        if (keys.length != modality.nGenes())
            throw new IllegalArgumentException(keys.length + " keys for " + modality.nGenes() + " genes");
        this.vocab = vocab;
        this.maxLength = maxLength;
        this.modality = modality;
        int g = modality.nGenes();
        tokenOf = new int[g];
        invMedian = new double[g];
        StringColumn gene = StringColumn.create("gene"),
                id = StringColumn.create("ensembl_id"),
                reason = StringColumn.create("reason");
        int kept = 0;
        for (int j = 0; j < g; j++) {
            String key = keys[j];
            int t = vocab.token(key);
            double med = vocab.median(key);
            if (t < 0 || !(med > 0)) {
                tokenOf[j] = -1;
                gene.append(modality.geneNames()[j]);
                id.append(key == null ? "" : key);
                reason.append(
                        key == null
                                ? "no key (Ensembl id) for the vocabulary"
                                : t < 0
                                        ? "not in the token dictionary"
                                        : "no non-zero median in the median dictionary");
            } else {
                tokenOf[j] = t;
                invMedian[j] = 1.0 / med;
                kept++;
            }
        }
        missing = Table.create("genes missing from the vocabulary", gene, id, reason);
        if (kept == 0)
            throw new ScxmException("none of the " + g + " genes of '" + modality.name()
                    + "' is in the model's vocabulary; give Ensembl ids "
                    + "(var gene_ids) or a gene name dictionary, or use a vocabulary built from the data.");
    }

    /** The vocabulary key of each gene: its Ensembl id, else the id of its symbol, else the symbol itself (data-built vocabularies). */
    private static String[] lookUp(GeneformerVocabulary vocab, Modality modality) {
        String[] keys = new String[modality.nGenes()];
        for (int j = 0; j < keys.length; j++) {
            String key = modality.geneIds()[j];
            if (key == null || vocab.token(key) < 0) {
                String byName = vocab.idForName(modality.geneNames()[j]);
                if (byName != null) key = byName;
                else if (vocab.token(modality.geneNames()[j]) >= 0) key = modality.geneNames()[j];
            }
            keys[j] = key;
        }
        return keys;
    }

    /** Genes of the modality that the encoding drops, with the reason. */
    public Table missingGenes() {
        return missing;
    }

    public int genesKept() {
        return modality.nGenes() - missing.rowCount();
    }

    public int maxLength() {
        return maxLength;
    }
    /** The vocabulary the cells are encoded with (ids and the medians they were ranked with). */
    public GeneformerVocabulary vocabulary() {
        return vocab;
    }
    /** The cells encoded. */
    public Modality modality() {
        return modality;
    }

    /** The token sequence of one cell, special tokens included, unpadded. */
    public int[] encode(int cell) {
        return new Window(1).encode(cell);
    }

    /**
     * Rows of the encoded cells: for an in-memory matrix the matrix itself; for a backed one the chunk holding the
     * last cell asked for, read again when a cell falls outside it, {@code span} rows from that cell on (a whole
     * chunk for passes in row order, one row for the random cells of a training batch).
     */
    private final class Window {
        final int span;
        SparseMatrix rows;
        int first, end;

        Window(int span) {
            this.span = span;
        }

        int[] encode(int cell) {
            RowChunks m = modality.matrix();
            if (m instanceof SparseMatrix s) return encodeRow(s, cell);
            if (rows == null || cell < first || cell >= end) {
                first = cell;
                end = Math.min(m.rows(), cell + span);
                rows = m.rows(first, end);
            }
            return encodeRow(rows, cell - first);
        }
    }

    /** The token sequence of row {@code cell} of m. */
    private int[] encodeRow(SparseMatrix m, int cell) {
        int s = m.rowStart(cell), e = m.rowEnd(cell);
        float[] v = m.rowValues(cell);
        int[] idx = m.rowIndices(cell);
        double total = 0;
        for (int k = s; k < e; k++) total += v[k];
        int n = 0;
        double[] val = new double[e - s];
        int[] tok = new int[e - s];
        for (int k = s; k < e; k++) {
            int t = tokenOf[idx[k]];
            if (t < 0 || v[k] <= 0) continue;
            val[n] = v[k] / total * 1e4 * invMedian[idx[k]];
            tok[n] = t;
            n++;
        }
        boolean special = vocab.hasSpecialTokens();
        int genes = Math.min(n, special ? maxLength - 2 : maxLength);
        if (genes < n) selectTop(val, tok, 0, n - 1, genes); // only the first `genes` need sorting
        sortDescending(val, tok, 0, genes - 1);
        int[] out = new int[genes + (special ? 2 : 0)];
        int p = 0;
        if (special) out[p++] = vocab.clsId();
        for (int k = 0; k < genes; k++) out[p++] = tok[k];
        if (special) out[p] = vocab.eosId();
        return out;
    }

    /** Sorts (val, tok) pairs by value descending, then token ascending; quicksort on primitives, no boxing. */
    static void sortDescending(double[] val, int[] tok, int lo, int hi) {
        while (hi - lo > 16) {
            long ij = partition(val, tok, lo, hi);
            int i = (int) (ij >> 32), j = (int) ij;
            if (j - lo < hi - i) {
                sortDescending(val, tok, lo, j);
                lo = i;
            } else {
                sortDescending(val, tok, i, hi);
                hi = j;
            }
        }
        for (int a = lo + 1; a <= hi; a++)
            for (int b = a; b > lo && before(val[b], tok[b], val[b - 1], tok[b - 1]); b--) swap(val, tok, b, b - 1);
    }

    /**
     * Reorders (val, tok)[lo..hi] so that its first k pairs are, in some order, the k that {@link #sortDescending}
     * would put first (quickselect with the same order, a total one: tokens are distinct within a cell).
     */
    static void selectTop(double[] val, int[] tok, int lo, int hi, int k) {
        int want = lo + k - 1; // the last position that must hold a top-k pair
        while (hi > lo) {
            long ij = partition(val, tok, lo, hi);
            int i = (int) (ij >> 32), j = (int) ij;
            if (want <= j) hi = j;
            else if (want >= i) lo = i;
            else return;
        }
    }

    /**
     * One Hoare partition of [lo..hi] around its middle pair: afterwards [lo..j] come before or tie the pivot, [i..hi]
     * after or tie it, and a position between them holds the pivot itself. Returns i in the high and j in the low 32 bits.
     */
    private static long partition(double[] val, int[] tok, int lo, int hi) {
        int mid = (lo + hi) >>> 1;
        double pv = val[mid];
        int pt = tok[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (before(val[i], tok[i], pv, pt)) i++;
            while (before(pv, pt, val[j], tok[j])) j--;
            if (i <= j) {
                swap(val, tok, i, j);
                i++;
                j--;
            }
        }
        return ((long) i << 32) | (j & 0xffffffffL);
    }

    private static boolean before(double va, int ta, double vb, int tb) {
        return va > vb || (va == vb && ta < tb);
    }

    private static void swap(double[] val, int[] tok, int a, int b) {
        double v = val[a];
        val[a] = val[b];
        val[b] = v;
        int t = tok[a];
        tok[a] = tok[b];
        tok[b] = t;
    }

    /** Padded batches over the given cells (all cells when null), padded to the longest sequence in each batch. */
    public Iterator<TokenBatch> batches(int[] cells, int batchSize) {
        int[] all = cells != null
                ? cells
                : java.util.stream.IntStream.range(0, modality.nCells()).toArray();
        int span = modality.matrix().chunkRows();
        return new Iterator<>() {
            int next = 0;
            final Window window = new Window(span);

            public boolean hasNext() {
                return next < all.length;
            }

            public TokenBatch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int b = Math.min(batchSize, all.length - next);
                int[] ids = Arrays.copyOfRange(all, next, next + b);
                next += b;
                return batch(ids, window);
            }
        };
    }

    /** One padded batch of the given cells. */
    public TokenBatch batch(int[] cells) {
        return batch(cells, new Window(1));
    }

    private TokenBatch batch(int[] cells, Window window) {
        int[][] seqs = new int[cells.length][];
        int len = 1;
        for (int k = 0; k < cells.length; k++) {
            seqs[k] = window.encode(cells[k]);
            len = Math.max(len, seqs[k].length);
        }
        int[] ids = new int[cells.length * len], mask = new int[cells.length * len];
        Arrays.fill(ids, vocab.padId());
        for (int k = 0; k < cells.length; k++) {
            System.arraycopy(seqs[k], 0, ids, k * len, seqs[k].length);
            Arrays.fill(mask, k * len, k * len + seqs[k].length, 1);
        }
        return new TokenBatch(cells, len, ids, mask);
    }
}
