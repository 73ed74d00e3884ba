package org.scxm.zeppelin.lang;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.scxm.ScxmException;

/** A statement bound to its command, with typed access to words and options and one-sentence errors. */
public final class Call {
    private final Statement st;
    private final Command cmd;

    public Call(Statement st, Command cmd) {
        this.st = st;
        this.cmd = cmd;
    }

    public Statement statement() {
        return st;
    }

    /** This call without the given option keys (e.g. a sweep's multi-valued axes, read separately). */
    public Call without(java.util.Collection<String> keys) {
        java.util.LinkedHashMap<String, String> o = new java.util.LinkedHashMap<>(st.options());
        o.keySet().removeAll(keys);
        return new Call(new Statement(st.line(), st.command(), st.words(), o, st.text()), cmd);
    }

    public List<String> words() {
        return st.words();
    }

    /** Positional word i, or the fallback when absent (fallback null = required). */
    public String word(int i, String what, String fallback) {
        if (i < st.words().size()) return st.words().get(i);
        if (fallback != null) return fallback;
        throw new ScxmException("`" + cmd.name() + "` needs " + what + ": " + cmd.usage());
    }

    public void maxWords(int n) {
        if (st.words().size() > n)
            throw new ScxmException("`" + cmd.name() + "` takes at most " + n + " plain word" + (n == 1 ? "" : "s")
                    + " but got '" + String.join(" ", st.words()) + "'; usage: " + cmd.usage());
    }

    /** Every key=value option of the paragraph's command. */
    public java.util.Map<String, String> options() {
        return java.util.Collections.unmodifiableMap(st.options());
    }

    public boolean has(String key) {
        return st.options().containsKey(key);
    }

    public String string(String key, String fallback) {
        String v = st.options().get(key);
        return v == null ? fallback : v;
    }

    public String required(String key) {
        String v = st.options().get(key);
        if (v == null || v.isEmpty())
            throw new ScxmException("`" + cmd.name() + "` needs " + key + "=...; usage: " + cmd.usage());
        return v;
    }

    public String choice(String key, String fallback, String... allowed) {
        String v = string(key, fallback).toLowerCase(Locale.ROOT);
        if (Arrays.asList(allowed).contains(v)) return v;
        throw new ScxmException(key + "=" + v + " is not one of " + String.join(", ", allowed) + "; pick one.");
    }

    public int integer(String key, int fallback) {
        return org.scxm.workbench.TrainWords.integer(st.options(), key, fallback);
    }

    /**
     * A whole number of at least 1 when the key is given, else {@code absent} (which may be a sentinel such as 0 for
     * "the default"); {@code example} is what the refusal suggests.
     */
    public int positive(String key, int absent, int example) {
        if (!has(key)) return absent;
        int v = integer(key, example);
        if (v < 1)
            throw new ScxmException(key + "=" + v + " must be at least 1; write e.g. " + key + "=" + example
                    + ", or leave it out for the default.");
        return v;
    }

    public long longValue(String key, long fallback) {
        return org.scxm.workbench.TrainWords.longValue(st.options(), key, fallback);
    }

    public double number(String key, double fallback) {
        return org.scxm.workbench.TrainWords.number(st.options(), key, fallback);
    }

    public boolean bool(String key, boolean fallback) {
        String v = st.options().get(key);
        if (v == null) return fallback;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default ->
                throw new ScxmException(
                        key + "=" + v + " is not true or false; write " + key + "=true or " + key + "=false.");
        };
    }

    /** A comma-separated list, or the fallback. */
    public List<String> list(String key, List<String> fallback) {
        String v = st.options().get(key);
        if (v == null) return fallback;
        return Arrays.stream(v.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
