package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The reference a user reads is complete: every key a command accepts appears in its usage line. */
class HelpTest {
    @Test
    void everyAcceptedKeyIsInTheUsage() {
        Engine engine = new Engine(Settings.defaults());
        for (Command c : engine.commands().values())
            for (String key : c.keys())
                assertTrue(
                        c.usage().matches("(?s).*\\b" + key + "=.*"),
                        () -> "`help " + c.name() + "` hides " + key + "=: " + c.usage());
    }
}
