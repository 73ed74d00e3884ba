package org.scxm;

/**
 * A problem the user can fix: the message is one sentence naming what is wrong and what to do.
 * Everything that reaches a notebook user as an error is one of these; anything else is a bug.
 */
public class ScxmException extends RuntimeException {
    public ScxmException(String message) {
        super(message);
    }

    public ScxmException(String message, Throwable cause) {
        super(message, cause);
    }
}
