package org.scxm.zeppelin;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./scxm run with odd arguments: one sentence on stderr and a non-zero exit, the user's files as they were. */
class CliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr, oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setProperty("scxm.cwd", dir.toString()); // as the launcher passes the user's folder
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
        System.clearProperty("scxm.cwd");
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** One line: "scxm: " and one sentence, no stack trace. */
    private void assertOneSentence(String mustContain) {
        String e = stderr().strip();
        assertTrue(e.startsWith("scxm: ") && e.contains(mustContain), e);
        assertFalse(e.contains("\n") || e.contains("\tat ") || e.contains("Exception"), e);
    }

    @Test
    void missingEmptyAndScxmLessNotesRunNothingAndFail() throws Exception {
        assertEquals(1, Cli.run(new String[] {"run", "nope.txt"}));
        assertOneSentence("no note at " + dir.resolve("nope.txt"));

        err.reset();
        Files.writeString(dir.resolve("empty.txt"), "\n\n");
        assertEquals(1, Cli.run(new String[] {"run", "empty.txt"}));
        assertOneSentence("empty.txt is empty");

        err.reset();
        Files.writeString(dir.resolve("plain.txt"), "load demo\nharmonise\n");
        assertEquals(1, Cli.run(new String[] {"run", "plain.txt"}));
        assertOneSentence("has no %scxm paragraph with a command");

        err.reset();
        Files.writeString(dir.resolve("md.txt"), "%md\n# only prose\n%scxm\n");
        assertEquals(1, Cli.run(new String[] {"run", "md.txt"}));
        assertOneSentence("has no %scxm paragraph with a command");
    }

    @Test
    void outThatIsAFileIsRefusedAndLeftAlone() throws Exception {
        Files.writeString(dir.resolve("note.txt"), "%scxm\nlist\n");
        Path file = Files.writeString(dir.resolve("results"), "a user's file\n");
        assertEquals(1, Cli.run(new String[] {"run", "note.txt", "--out", "results"}));
        assertOneSentence("results is an existing file, not a folder");
        assertEquals("a user's file\n", Files.readString(file));

        err.reset();
        assertEquals(1, Cli.run(new String[] {"run", "note.txt", "--out", "results/sub"}));
        assertOneSentence("results is a file, not a folder");
    }

    @Test
    void anOptionWhereAValueBelongsIsRefused() throws Exception {
        Files.writeString(dir.resolve("note.txt"), "%scxm\nlist\n");
        assertEquals(1, Cli.run(new String[] {"run", "note.txt", "--out", "-Dscxm.workdir=/tmp/x"}));
        assertOneSentence(
                "--out needs a folder for the results right after it, not the option '-Dscxm.workdir=/tmp/x'");
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no folder named after the option was made");
        }
        err.reset();
        assertEquals(1, Cli.run(new String[] {"run", "note.txt", "--out"}));
        assertOneSentence("--out needs a folder for the results right after it");
    }

    @Test
    void relativeNoteAndOutResolveAgainstTheCallersFolder() throws Exception {
        Files.writeString(dir.resolve("note.txt"), "%scxm\nlist\n");
        assertEquals(0, Cli.run(new String[] {"run", "note.txt", "--out", "res"}), stderr());
        assertTrue(Files.isDirectory(dir.resolve("res")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("files to " + dir.resolve("res")));
    }
}
