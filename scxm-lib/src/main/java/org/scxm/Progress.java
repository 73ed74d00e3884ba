package org.scxm;

/**
 * Progress reporting and cooperative cancellation for long work.
 * Long loops call {@link #update} between units of work; it throws {@link Cancelled}
 * when the user has asked to stop, so state is only ever left between whole steps.
 */
public interface Progress {
    /** Reports the fraction done in [0, 1] and a short message; throws Cancelled if cancelled. */
    void update(double fraction, String message);

    /** True once cancellation was requested. */
    default boolean cancelled() {
        return false;
    }

    Progress NONE = (f, m) -> {};

    /** Thrown from {@link #update} when the user cancelled; carries no error. */
    final class Cancelled extends RuntimeException {
        public Cancelled() {
            super("cancelled by the user", null, false, false);
        }
    }

    /** A view of this progress that maps [0,1] of a sub-task onto [from, to] of the whole. */
    default Progress sub(double from, double to) {
        Progress parent = this;
        return new Progress() {
            @Override
            public void update(double f, String m) {
                parent.update(from + (to - from) * f, m);
            }

            @Override
            public boolean cancelled() {
                return parent.cancelled();
            }
        };
    }
}
