package org.scxm.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A benchmark that runs our code and a reference on the same input in one run and reports the
 * ratio. Run with {@code ./scxm bench NAME [ARGS]}; listed in {@link Benchmarks}. Reference scripts live
 * in the repository's {@code bench/} folder, found under {@code root}. Each states its name and one line, and
 * reads its command line through {@link Args}.
 */
public abstract class Benchmark {
    private final String name, description;

    protected Benchmark(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public final String name() {
        return name;
    }

    public final String description() {
        return description;
    }

    public final void run(Path root, String[] args, PrintStream out) throws Exception {
        run(root, new Args(name, args), out);
    }

    protected abstract void run(Path root, Args args, PrintStream out) throws Exception;
}
