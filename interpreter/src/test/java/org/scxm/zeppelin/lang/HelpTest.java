package org.scxm.zeppelin.lang;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.scxm.model.TrainConfig;
import org.scxm.workbench.Options;

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

    /** The usage line's key=value pairs whose value is a number. */
    private static Map<String, Double> numbers(String command) {
        Command c = new Engine(Settings.defaults()).commands().get(command);
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+)=([-0-9.e]+)(?=[ \\]|])").matcher(c.usage());
        while (m.find()) out.put(m.group(1), Double.parseDouble(m.group(2)));
        return out;
    }

    @Test
    void theDefaultsInTheUsageAreTheCodesDefaults() {
        TrainConfig t = TrainConfig.defaults();
        Map<String, Double> train = numbers("train");
        assertEquals((double) t.epochs(), train.get("epochs"));
        assertEquals((double) t.steps(), train.get("steps"));
        assertEquals((double) t.batch(), train.get("batch"));
        assertEquals(t.lr(), train.get("lr"), 1e-12);
        assertEquals((double) t.criticSteps(), train.get("critic"));
        assertEquals((double) t.lambdaGp(), train.get("lambda_gp"));
        assertEquals((double) t.lambdaSt(), train.get("lambda_st"));
        assertEquals((double) t.lambdaSc(), train.get("lambda_sc"));
        assertEquals((double) t.lambdaAdv(), train.get("lambda_adv"));
        assertEquals((double) t.lambdaPair(), train.get("lambda_pair"));
        assertEquals((double) t.ema(), train.get("ema"));
        assertEquals((double) t.decoderWarmup(), train.get("warmup"));
        assertEquals((double) Settings.defaults().seed(), train.get("seed"));
        assertEquals(1e-4, train.get("lr"), 1e-12, "the paper's learning rate");
        assertEquals(25.0, numbers("bulk").get("radius"), "the paper's radius, 25 µm");
        assertEquals(Options.Bulk.defaults().radius(), numbers("bulk").get("radius"));
        assertEquals(Options.Bulk.DEFAULT_RADIUS, numbers("autocorrelation").get("radius"));
        assertEquals(Options.Bulk.DEFAULT_RADIUS, numbers("split").get("gap"));
        Options.Model m = Options.Model.small("m", 0);
        Map<String, Double> model = numbers("model");
        assertEquals((double) m.trainable(), model.get("trainable"));
        assertEquals((double) m.width(), model.get("width"));
        assertEquals((double) m.layers(), model.get("layers"));
        assertEquals((double) m.hidden(), model.get("hidden"));
        assertEquals(
                (double) Options.Predict.of("val").batch(), numbers("predict").get("batch"));
        assertEquals(
                (double) Options.Harmonise.defaults().minCounts(),
                numbers("harmonise").get("min_counts"));
        assertEquals(
                (double) Options.Harmonise.defaults().minGenes(),
                numbers("harmonise").get("min_genes"));
        assertEquals(
                org.scxm.eval.Evaluation.SPATIAL_MORANS_I, numbers("evaluate").get("spatial_i"));
        org.scxm.model.Pretrainer.Options p = org.scxm.model.Pretrainer.Options.small(1000, 0);
        Map<String, Double> pretrain = numbers("pretrain");
        assertEquals((double) p.layers(), pretrain.get("layers"));
        assertEquals((double) p.hidden(), pretrain.get("hidden"));
        assertEquals((double) p.heads(), pretrain.get("heads"));
        assertEquals((double) p.batch(), pretrain.get("batch"));
        assertEquals(p.lr(), pretrain.get("lr"), 1e-12);
        assertEquals((double) p.warmup(), pretrain.get("warmup"));
        assertEquals(p.heldOut(), pretrain.get("held_out"), 1e-12);
        assertEquals(1000.0, pretrain.get("steps"));
        Map<String, Double> baseline = numbers("baseline");
        org.scxm.baseline.Tangram.Config tangram = org.scxm.baseline.TangramMethod.defaults();
        assertEquals((double) tangram.epochs(), baseline.get("epochs"));
        assertEquals(tangram.lr(), baseline.get("lr"), 1e-12, "tangram's lr, the last one in the usage");
        assertEquals(tangram.lambdaD(), baseline.get("lambda_d"));
        assertEquals(tangram.lambdaR(), baseline.get("lambda_r"));
        assertEquals((double) tangram.maxEntries(), baseline.get("max_entries"));
        assertEquals((double) org.scxm.baseline.ScAct.Config.defaults().aeSteps(), baseline.get("ae_steps"));
        assertEquals(org.scxm.baseline.ScConfluence.Config.defaults().otWeight(), baseline.get("ot_weight"));
        assertEquals((double) Settings.defaults().seed(), baseline.get("seed"));
    }
}
