package org.scxm.zeppelin;

import java.util.HashMap;
import java.util.Properties;
import org.apache.zeppelin.interpreter.InterpreterContext;
import org.apache.zeppelin.interpreter.InterpreterOutput;
import org.apache.zeppelin.resource.LocalResourcePool;
import org.apache.zeppelin.user.AuthenticationInfo;

/** Builds interpreter contexts and interpreters the way Zeppelin does, with no server. */
final class ZeppelinTestSupport {
    private ZeppelinTestSupport() {}

    static InterpreterContext context(String note, String paragraph) {
        return InterpreterContext.builder()
                .setNoteId(note)
                .setParagraphId(paragraph)
                .setReplName("scxm")
                .setAuthenticationInfo(new AuthenticationInfo("alice"))
                .setResourcePool(new LocalResourcePool("test-pool"))
                .setInterpreterOut(new InterpreterOutput())
                .setLocalProperties(new HashMap<>())
                .build();
    }

    static ScxmInterpreter open() {
        Properties p = new Properties();
        p.setProperty("scxm.seed", "0");
        ScxmInterpreter i = new ScxmInterpreter(p);
        i.open();
        return i;
    }
}
