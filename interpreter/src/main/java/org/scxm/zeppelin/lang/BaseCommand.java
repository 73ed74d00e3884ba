package org.scxm.zeppelin.lang;

import java.util.List;

/** A command whose word, usage line, summary and keys are fixed: a subclass states them once and writes {@link #run}. */
public abstract class BaseCommand implements Command {
    private final String name, usage, summary;
    private final List<String> keys;

    protected BaseCommand(String name, String usage, String summary, String... keys) {
        this.name = name;
        this.usage = usage;
        this.summary = summary;
        this.keys = List.of(keys);
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
