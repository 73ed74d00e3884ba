package org.scxm.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxm.ScxmException;
import tech.tablesaw.api.Table;

/**
 * The spark-submit entry point: {@code Job STAGE --key value ...} with the stages and keys of the {@code %scxm spark}
 * command ({@code --cells-per-task} is {@code cells_per_task=}; {@code --raw} and {@code --overwrite} alone mean true).
 * The master comes from spark-submit ({@code --master}); without one, {@code --master local[N]} may be given here.
 *
 * <pre>
 * spark-submit --class org.scxm.spark.Job --master spark://host:7077 scxm-spark-job.jar \
 *     predict --path /data/hlca.h5ad --vocab /models/gf-v2 --checkpoint /runs/lung-v1 --out /runs/hlca-pred
 * </pre>
 */
public final class Job {
    private Job() {}

    public static void main(String[] args) {
        try {
            for (Table t : run(args)) System.out.println(t.printAll());
        } catch (ScxmException e) {
            System.err.println("scxm-spark: " + e.getMessage());
            System.exit(1);
        }
    }

    static List<Table> run(String[] args) {
        if (args.length == 0 || !Stages.STAGES.contains(args[0]))
            throw new ScxmException("usage: Job " + String.join("|", Stages.STAGES)
                    + " --path FILE_OR_FOLDER --out FOLDER [--key value ...]; keys as the %scxm spark command's.");
        Map<String, String> keys = new LinkedHashMap<>();
        String master = null;
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new ScxmException("expected --key, got '" + args[i] + "'.");
            String key = args[i].substring(2).replace('-', '_');
            String value = Stages.FLAGS.contains(key) && (i + 1 == args.length || args[i + 1].startsWith("--"))
                    ? "true"
                    : i + 1 < args.length ? args[++i] : null;
            if (value == null) throw new ScxmException("--" + args[i].substring(2) + " needs a value.");
            if (key.equals("master")) master = value;
            else keys.put(key, value);
        }
        return Stages.run(master, args[0], keys);
    }
}
