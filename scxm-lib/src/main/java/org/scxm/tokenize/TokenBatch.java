package org.scxm.tokenize;

/**
 * One padded batch of rank-value-encoded cells, ready for the encoder.
 *
 * @param cells  the row index of each cell in its modality, in batch order
 * @param length the padded sequence length (same for every cell in the batch)
 * @param ids    token ids, row-major batch x length, padded with the vocabulary's pad id
 * @param mask   1 for real tokens, 0 for padding, row-major batch x length
 */
public record TokenBatch(int[] cells, int length, int[] ids, int[] mask) {
    public TokenBatch {
        if (ids.length != cells.length * length || mask.length != ids.length)
            throw new IllegalArgumentException("ids/mask must hold " + cells.length + " x " + length + " entries");
    }

    /**
     * Batches cut from whole sequences held in memory (one row per cell, all of one length, every position a real
     * token): what a test or benchmark feeds training without a tokeniser.
     */
    public static java.util.function.Function<int[], TokenBatch> fromRows(int[][] rows) {
        int len = rows.length == 0 ? 0 : rows[0].length;
        return cells -> {
            int[] ids = new int[cells.length * len], mask = new int[ids.length];
            for (int k = 0; k < cells.length; k++) System.arraycopy(rows[cells[k]], 0, ids, k * len, len);
            java.util.Arrays.fill(mask, 1);
            return new TokenBatch(cells, len, ids, mask);
        };
    }

    public int size() {
        return cells.length;
    }
}
