package org.scxm.zeppelin.lang.commands;

import java.util.List;
import org.scxm.ScxmException;
import org.scxm.workbench.Options;
import org.scxm.zeppelin.lang.BaseCommand;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.CommandContext;
import org.scxm.zeppelin.lang.Usage;

/** `split NAME into=st,val gap=50`: one slide as a spatial training half and a validation half. */
public final class Split extends BaseCommand {
    public Split() {
        super(
                "split",
                "split NAME [into=st,val gap=" + Usage.num(Options.Bulk.DEFAULT_RADIUS) + "]",
                "split one loaded slide by spatial halves into a training slide (st) and a validation slide (val), leaving out the cells within gap µm of the cut",
                "into gap");
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        List<String> into = call.list("into", List.of("st", "val"));
        if (into.size() != 2)
            throw new ScxmException("into= takes two names, the training half and the validation half (into=st,val).");
        ctx.render(ctx.wb()
                .split(new Options.Split(
                        call.word(0, "the slide to split", null),
                        into.get(0),
                        into.get(1),
                        call.number("gap", Options.Bulk.DEFAULT_RADIUS))));
    }
}
