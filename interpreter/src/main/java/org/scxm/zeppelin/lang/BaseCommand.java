package org.scxm.zeppelin.lang;

import java.util.List;

/** A command whose word, usage line, summary and keys are fixed: a subclass states them once and writes {@link #run}. */
public abstract class BaseCommand implements Command {
    private final String name, usage, summary;
    private final List<String> keys;

    protected BaseCommand(String name, String usage, String summary) {
        this(name, usage, summary, List.of());
    }

    /** {@code keys}: the paragraph keys the command takes, separated by spaces ("" for none). */
    protected BaseCommand(String name, String usage, String summary, String keys) {
        this(
                name,
                usage,
                summary,
                keys.isBlank() ? List.of() : List.of(keys.trim().split(" +")));
    }

    /** For a command whose keys are gathered from elsewhere (the train keys a sweep shares, each baseline's own). */
    protected BaseCommand(String name, String usage, String summary, List<String> keys) {
        this.name = name;
        this.usage = usage;
        this.summary = summary;
        this.keys = List.copyOf(keys);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String usage() {
        return usage;
    }

    @Override
    public final String summary() {
        return summary;
    }

    @Override
    public final List<String> keys() {
        return keys;
    }
}
