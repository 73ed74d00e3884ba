package org.scxm.workbench.verbs;

import org.scxm.Names;
import org.scxm.model.ActivationMemory;
import org.scxm.model.BertConfig;
import org.scxm.plot.LossPlots;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.Step;
import tech.tablesaw.api.Table;

/** The pretrain verb: a BERT pretrained Geneformer's way on the scRNA cells, written as a Hugging Face folder. */
public final class Pretrain {
    private Pretrain() {}

    /**
     * Pretrains our own foundation model, Geneformer's way: a BERT on the scRNA cells' rank-value tokens with
     * the masked-gene objective, written as a Hugging Face folder with the dictionaries it ranked with, so
     * that `tokenize vocab=FOLDER` and `model NAME path=FOLDER trainable=k` fine-tune it.
     */
    public static Report run(Step ctx, Options.Pretrain o) {
        ctx.threadReady();
        DatasetState sc = ctx.harmonisedDataset(Role.SC);
        RankValueEncoder enc = ctx.encoder(sc);
        org.scxm.model.Pretrainer.Options po = o.options();
        if (!ai.djl.engine.Engine.getInstance().defaultDevice().isGpu()) // the Pretrainer's device
        ActivationMemory.check(
                    "pretrain batch=" + po.batch(),
                    new BertConfig(
                            enc.vocabulary().size(),
                            po.hidden(),
                            po.layers(),
                            po.heads(),
                            po.intermediate(),
                            enc.maxLength(),
                            2,
                            1e-12,
                            "relu",
                            0),
                    po.batch(),
                    ActivationMemory.longestTokens(enc),
                    true,
                    "max_length (tokenize), hidden or layers");
        try (org.scxm.model.Pretrainer p = new org.scxm.model.Pretrainer(enc, o.options())) {
            Table losses = p.train(ctx.progress());
            org.scxm.model.Pretrainer.Evaluation e = p.evaluate();
            p.save(o.folder());
            Report r = new Report();
            r.figure(LossPlots.pretraining(
                    losses, "pretraining '" + o.folder().getFileName() + "' on '" + sc.name() + "'"));
            r.text(e.summary());
            r.text("wrote " + o.folder().toAbsolutePath()
                    + " (config.json BertForMaskedLM, model.safetensors, token and median dictionaries); fine-tune it with "
                    + "`tokenize vocab=" + Names.asValue(o.folder().toString()) + "` and `model NAME path="
                    + Names.asValue(o.folder().toString()) + " trainable=k`.");
            int every = Math.max(1, losses.rowCount() / 20);
            Table shown = losses.where(losses.intColumn("step").remainder(every).isEqualTo(0));
            shown.setName("pretraining losses (every " + every + " steps)");
            return r.table(shown);
        }
    }
}
