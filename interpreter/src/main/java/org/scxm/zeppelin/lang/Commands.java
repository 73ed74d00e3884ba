package org.scxm.zeppelin.lang;

import java.util.List;
import org.scxm.zeppelin.lang.commands.*;

/** The command table of the paragraph language, in the order `help` shows them (the data's way). */
public final class Commands {
    private Commands() {}

    static List<Command> all(Engine engine) {
        return List.of(
                new Help(engine),
                new Load(),
                new Split(),
                new Harmonise(),
                new Bulk(),
                new Tokenize(),
                new Pretrain(),
                new Model(),
                new Train(),
                new Predict(),
                new Baseline(),
                new Evaluate(),
                new Sweep(),
                new Compare(),
                new Plot(),
                new Autocorrelation(),
                new Annotate(),
                new Niche(),
                new De(),
                new SparkCommand(),
                new GseaCommand(),
                new Export(),
                new Save(),
                new ListCommand(),
                new Show(),
                new Drop());
    }
}
