package org.scxm.baseline;

import ai.djl.Device;
import java.util.List;
import org.scxm.Progress;

/** scConfluence as a {@link Method}: OT-aligned autoencoders, with the panels for the OT cost. */
public record ScConfluenceMethod(ScConfluence.Config config) implements Method {
    @Override
    public String name() {
        return "scconfluence";
    }

    @Override
    public Fit fit(Data d, Device device, Progress progress) {
        ScConfluence m = new ScConfluence(d.scExpression().cols(), d.stTarget().cols(), config, device);
        try {
            var losses = m.train(d.scExpression(), d.scPanel(), d.stTarget(), d.stPanel(), progress);
            return new Fit(m::translate, losses, config.steps(), List.of(), m);
        } catch (RuntimeException | Error e) {
            m.close();
            throw e;
        }
    }
}
