package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A benchmark that runs our code and a reference on the same input in one run and reports the
 * ratio. Run with {@code ./scxm bench NAME}; listed in {@link Benchmarks}. Reference scripts live
 * in the repository's {@code bench/} folder, found under {@code root}.
 */
public interface Benchmark {
    String name();

    String description();

    void run(Path root, String[] args, PrintStream out) throws Exception;
}
