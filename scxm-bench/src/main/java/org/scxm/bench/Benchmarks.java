package org.scxm.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.scxm.Names;
import org.scxm.ScxmException;

/**
 * The registry of benchmarks: each is a {@link Benchmark} listed in
 * META-INF/services/org.scxm.bench.Benchmark, so each stage adds its own without touching this file.
 */
public final class Benchmarks {
    private Benchmarks() {}

    public static List<Benchmark> all() {
        return ServiceLoader.load(Benchmark.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public static Benchmark byName(String name) {
        return all().stream().filter(b -> b.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * {@code ./scxm bench [NAME [ARGS]]}: lists the benchmarks, or runs one with the repository root of
     * {@code -Dscxm.root} (where its reference scripts live).
     */
    public static void main(String[] args) throws Exception {
        List<Benchmark> all = all();
        if (args.length == 0) {
            if (all.isEmpty()) System.out.println("no benchmarks registered in this build");
            for (Benchmark b : all) System.out.printf("%-12s %s%n", b.name(), b.description());
            return;
        }
        Benchmark b = byName(args[0]);
        if (b == null)
            throw new ScxmException("no benchmark '" + args[0] + "'"
                    + Names.didYouMean(
                            args[0], all.stream().map(Benchmark::name).toList())
                    + "; ./scxm bench lists them.");
        b.run(Path.of(System.getProperty("scxm.root", ".")), Arrays.copyOfRange(args, 1, args.length), System.out);
    }
}
