package org.scxm.zeppelin;

import static org.junit.jupiter.api.Assertions.*;

import org.apache.zeppelin.interpreter.Interpreter;
import org.apache.zeppelin.interpreter.InterpreterResult;
import org.junit.jupiter.api.Test;

class ScxmInterpreterTest {

    @Test
    void helpListsTheCommandsAsText() throws Exception {
        ScxmInterpreter i = ZeppelinTestSupport.open();
        InterpreterResult r = i.interpret("help", ZeppelinTestSupport.context("n1", "p1"));
        assertEquals(InterpreterResult.Code.SUCCESS, r.code());
        assertEquals(InterpreterResult.Type.TEXT, r.message().get(0).getType());
        assertTrue(
                r.message().get(0).getData().contains("help [COMMAND]"),
                r.message().get(0).getData());
    }

    @Test
    void unknownCommandIsOneErrorSentenceWithSuggestion() throws Exception {
        ScxmInterpreter i = ZeppelinTestSupport.open();
        InterpreterResult r = i.interpret("hlep", ZeppelinTestSupport.context("n1", "p1"));
        assertEquals(InterpreterResult.Code.ERROR, r.code());
        String msg = r.message().get(r.message().size() - 1).getData();
        assertTrue(msg.contains("unknown command 'hlep'") && msg.contains("'help'"), msg);
    }

    @Test
    void completesCommandsAndKeys() throws Exception {
        ScxmInterpreter i = ZeppelinTestSupport.open();
        var ctx = ZeppelinTestSupport.context("n1", "p1");
        assertEquals(
                java.util.List.of("harmonise"),
                i.completion("load demo\nharm", 14, ctx).stream()
                        .map(c -> c.getName())
                        .toList());
        assertEquals(
                java.util.List.of("radius="),
                i.completion("bulk ra", 7, ctx).stream().map(c -> c.getValue()).toList());
    }

    @Test
    void formsAreZeppelinSimpleForms() throws Exception {
        assertEquals(Interpreter.FormType.SIMPLE, ZeppelinTestSupport.open().getFormType());
    }
}
