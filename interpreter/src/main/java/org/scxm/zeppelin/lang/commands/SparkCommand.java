package org.scxm.zeppelin.lang.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.spark.Stages;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;

/**
 * `spark STAGE path=... out=...` (or `STAGE engine=spark ...`): tokenize, predict, bulk or de of .h5ad files on the
 * Spark session of `scxm.spark.master`, written as Parquet for `%spark` to read. File in, file out: the session's
 * in-memory datasets are not touched. Needs Spark 4.x on the interpreter's class path (see docs/spark.md).
 */
public final class SparkCommand implements Command {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String usage() {
        return "spark tokenize|predict|bulk|de path=FILE.h5ad|FOLDER out=FOLDER [cells_per_task=20000 layer=NAME raw=false overwrite=false; "
                + "tokenize: vocab=FOLDER max_length=the model's; predict: vocab=FOLDER checkpoint=DIR device=auto threads=1 batch=64 max_length=; "
                + "bulk: panel=G1,G2,...|all radius=25 kernel=gaussian|uniform sigma=radius/2 target=binarised|log tile=20*radius; "
                + "de: groups=OBS_COLUMN group1=A group2=rest|B tie_correct=true top=20] (or: tokenize|predict|bulk|de engine=spark ...)";
    }

    @Override
    public String summary() {
        return "runs a stage over .h5ad files on Spark (scxm.spark.master, default local[N]): rank value tokens, predictions of a saved checkpoint, "
                + "tiled spatial bulk or Wilcoxon DE, equal to the single-machine results, written atomically as Parquet for %spark";
    }

    @Override
    public List<String> keys() {
        List<String> k = new ArrayList<>(Stages.COMMON);
        for (String s : Stages.STAGES) for (String key : Stages.KEYS.get(s)) if (!k.contains(key)) k.add(key);
        return k;
    }

    @Override
    public void run(Call call, CommandContext ctx) {
        call.maxWords(1);
        String stage = call.word(0, "a stage (" + String.join(", ", Stages.STAGES) + ")", null);
        if (!Stages.STAGES.contains(stage))
            throw new ScxmException(
                    "unknown stage '" + stage + "'; the Spark stages are " + String.join(", ", Stages.STAGES) + ".");
        if (!Stages.sparkAvailable())
            throw new ScxmException(
                    "`spark` needs Apache Spark 4.2 on the %scxm interpreter's class path: add the dependency "
                            + "org.apache.spark:spark-sql_2.13:4.2.0 to the scxm interpreter setting (or its jars to the interpreter folder), see docs/spark.md.");
        Map<String, String> keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : call.statement().options().entrySet()) {
            String v = e.getValue();
            keys.put(
                    e.getKey(),
                    switch (e.getKey()) {
                        case "path", "out" -> ctx.settings().data(v).toString();
                        case "vocab", "checkpoint" -> ctx.settings().model(v).toString();
                        case "panel" -> v.equalsIgnoreCase("all") ? "" : v;
                        default -> v;
                    });
        }
        ctx.progress().update(0.01, "spark " + stage + " on " + ctx.settings().sparkMaster());
        for (tech.tablesaw.api.Table t : Stages.run(ctx.settings().sparkMaster(), stage, keys)) ctx.table(t);
        ctx.text("wrote " + keys.get("out") + " (Parquet); in %spark: spark.read.parquet(\"" + keys.get("out") + "\")");
    }
}
