package org.scxm.zeppelin;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scxm.zeppelin.lang.Settings;

/** Relative path= values resolve against the workspace (scxm.workdir) the same way in the runner and in Zeppelin. */
class WorkspaceTest {
    static final String EXPORT = "load demo cells=200 seed=0\nharmonise\nbulk\nexport val path=runs/%s.h5ad";
    static final String MISSING = "load sc x path=nowhere/x.h5ad";

    @Test
    void runnerAndInterpreterWriteIntoTheSameWorkspace(@TempDir Path ws) throws Exception {
        Properties p = new Properties();
        p.setProperty("scxm.workdir", ws.toString());
        NoteRunner runner = new NoteRunner(Settings.from(p), new PrintStream(new ByteArrayOutputStream()));
        Path txt = Files.writeString(
                ws.resolve("note.txt"), "%scxm\n" + EXPORT.formatted("runner") + "\n%scxm\n" + MISSING + "\n");
        NoteRunner.Outcome o = runner.run(NoteRunner.read(txt), null);
        assertEquals(2, o.failedParagraph(), o.error());

        ScxmInterpreter zeppelin = new ScxmInterpreter(p);
        zeppelin.open();
        assertEquals(
                InterpreterResult.Code.SUCCESS,
                zeppelin.interpret(EXPORT.formatted("zeppelin"), ZeppelinTestSupport.context("n", "p1"))
                        .code());
        InterpreterResult missing = zeppelin.interpret(MISSING, ZeppelinTestSupport.context("n", "p2"));

        assertTrue(
                Files.isRegularFile(ws.resolve("runs/runner.h5ad"))
                        && Files.isRegularFile(ws.resolve("runs/zeppelin.h5ad")),
                "both exports land in the workspace's runs/");
        String error = missing.message().get(missing.message().size() - 1).getData();
        assertTrue(
                error.contains(ws.resolve("nowhere/x.h5ad").toString()),
                "the error names the absolute path it looked at: " + error);
        assertTrue(o.error().endsWith(error), "the runner says the same: " + o.error());
    }

    @Test
    void theDefaultWorkspaceIsTheUsersHome() {
        Settings s = Settings.defaults();
        assertEquals(Path.of(System.getProperty("user.home")).toAbsolutePath().normalize(), s.workdir());
        assertEquals(s.workdir().resolve("runs/x.h5ad"), s.data("runs/x.h5ad"));
        Properties p = new Properties();
        p.setProperty("scxm.workdir", "/ws");
        p.setProperty("scxm.data.root", "data");
        assertEquals(
                Path.of("/ws/data/a.h5ad"),
                Settings.from(p).data("a.h5ad"),
                "a relative data root sits in the workspace");
        assertEquals(Path.of("/abs/a.h5ad"), Settings.from(p).data("/abs/a.h5ad"));
    }
}
