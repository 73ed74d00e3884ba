package org.scxm.session;

import org.scxm.ScxmException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The named objects of one notebook session: datasets (with everything computed for them) and other
 * values (models, loss tables, comparison tables). Thread-safe. Work happens in a {@link Transaction}
 * that sees its own changes first and the session beneath; {@link Transaction#commit()} publishes all
 * of them at once, so a paragraph that fails or is cancelled leaves the session as it was.
 * Values are replaced, never edited in place (datasets are immutable records).
 */
public final class Session {
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, DatasetState> datasets = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Transaction begin() { return new Transaction(); }

    public DatasetState dataset(String name) {
        lock.readLock().lock();
        try { return datasets.get(name); } finally { lock.readLock().unlock(); }
    }

    public List<DatasetState> datasets() {
        lock.readLock().lock();
        try { return List.copyOf(datasets.values()); } finally { lock.readLock().unlock(); }
    }

    public Object value(String key) {
        lock.readLock().lock();
        try { return values.get(key); } finally { lock.readLock().unlock(); }
    }

    public Map<String, Object> values() {
        lock.readLock().lock();
        try { return Collections.unmodifiableMap(new LinkedHashMap<>(values)); } finally { lock.readLock().unlock(); }
    }

    /** Staged changes over the session; nothing is visible to others until {@link #commit()}. */
    public final class Transaction {
        private final Map<String, DatasetState> stagedData = new LinkedHashMap<>();
        private final Map<String, Object> stagedValues = new LinkedHashMap<>();

        private Transaction() { }

        public Session session() { return Session.this; }

        public DatasetState dataset(String name) {
            DatasetState d = stagedData.get(name);
            return d != null ? d : Session.this.dataset(name);
        }

        /** The dataset or a user-facing error naming the ones that exist. */
        public DatasetState require(String name) {
            DatasetState d = dataset(name);
            if (d != null) return d;
            List<String> known = datasetNames();
            if (known.isEmpty()) throw new ScxmException("no dataset '" + name + "' yet: load data first (e.g. `load demo`).");
            throw new ScxmException("no dataset '" + name + "'" + Names.didYouMean(name, known)
                    + "; loaded: " + String.join(", ", known) + ".");
        }

        /** Datasets in load order, staged versions replacing committed ones. */
        public List<DatasetState> datasets() {
            Map<String, DatasetState> all = new LinkedHashMap<>();
            for (DatasetState d : Session.this.datasets()) all.put(d.name(), d);
            all.putAll(stagedData);
            return List.copyOf(all.values());
        }

        public List<String> datasetNames() { return datasets().stream().map(DatasetState::name).toList(); }

        /** The dataset with the given role, the first of them when there are several, or null. */
        public DatasetState byRole(String role) {
            for (DatasetState d : datasets()) if (d.role().equals(role)) return d;
            return null;
        }

        public void put(DatasetState d) { stagedData.put(d.name(), d); }

        public Object value(String key) {
            return stagedValues.containsKey(key) ? stagedValues.get(key) : Session.this.value(key);
        }

        @SuppressWarnings("unchecked")
        public <T> T value(String key, Class<T> type) {
            Object v = value(key);
            return type.isInstance(v) ? (T) v : null;
        }

        public void putValue(String key, Object v) { stagedValues.put(key, v); }

        /** Publishes every staged change at once. */
        public void commit() {
            lock.writeLock().lock();
            try {
                datasets.putAll(stagedData);
                values.putAll(stagedValues);
            } finally { lock.writeLock().unlock(); }
        }
    }
}
