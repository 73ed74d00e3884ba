package org.scxm.zeppelin.lang;

import org.scxm.model.TrainConfig;
import org.scxm.workbench.TrainWords;

/** Option groups several commands read the same way (train and sweep share the training knobs). */
public final class Knobs {
    private Knobs() {}

    /** The training knobs of a paragraph, defaults from {@link TrainConfig#defaults()} and the session seed. */
    public static TrainConfig train(Call call, Settings settings) {
        return TrainWords.read(call.options(), TrainConfig.defaults().withSeed(settings.seed()));
    }
}
