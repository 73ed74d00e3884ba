package org.scxm.io;

import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * How to load a data set.
 *
 * @param layer        AnnData layer to use as counts (e.g. "counts"; "X" for X itself), or null for the automatic choice
 * @param useRaw       take counts from AnnData's {@code raw} (raw/X with raw/var's genes)
 * @param format       force a format ("h5ad", "10x", "xenium", "visium", "merscope"), or null to detect it
 * @param chunkEntries how many matrix entries to read from the file at a time (bounds read buffers)
 * @param warnings     receives one sentence per thing the user should know (e.g. counts taken from raw)
 * @param backed       keep the matrix on disk and read it in row chunks of about chunkEntries entries whenever a step
 *                     passes over the cells (an .h5ad with a CSR matrix; obs, var and coordinates are read as usual)
 */
public record LoadOptions(
        String layer, boolean useRaw, String format, int chunkEntries, Consumer<String> warnings, boolean backed) {

    public static final int DEFAULT_CHUNK_ENTRIES = 1 << 22;

    public LoadOptions {
        if (chunkEntries < 1) throw new IllegalArgumentException("chunkEntries must be positive");
        if (layer != null && useRaw) throw new IllegalArgumentException("give a layer or useRaw, not both");
        if (warnings == null) warnings = LoggerFactory.getLogger(Readers.class)::warn;
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, false, null, DEFAULT_CHUNK_ENTRIES, null, false);
    }

    public LoadOptions withLayer(String l) {
        return new LoadOptions(l, false, format, chunkEntries, warnings, backed);
    }

    public LoadOptions withRaw() {
        return new LoadOptions(null, true, format, chunkEntries, warnings, backed);
    }

    public LoadOptions withFormat(String f) {
        return new LoadOptions(layer, useRaw, f, chunkEntries, warnings, backed);
    }

    public LoadOptions withChunkEntries(int n) {
        return new LoadOptions(layer, useRaw, format, n, warnings, backed);
    }

    public LoadOptions withWarnings(Consumer<String> w) {
        return new LoadOptions(layer, useRaw, format, chunkEntries, w, backed);
    }

    /** The matrix stays on disk and is read in row chunks (see {@link #backed}). */
    public LoadOptions withBacked(boolean b) {
        return new LoadOptions(layer, useRaw, format, chunkEntries, warnings, b);
    }
}
