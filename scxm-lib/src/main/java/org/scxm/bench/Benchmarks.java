package org.scxm.bench;

import java.util.List;
import java.util.ServiceLoader;

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
}
