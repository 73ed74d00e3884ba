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

    public int size() {
        return cells.length;
    }
}
