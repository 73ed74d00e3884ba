package org.scxm.zeppelin.lang.commands;

import org.scxm.ScxmException;
import org.scxm.session.DatasetState;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.zeppelin.lang.Call;
import org.scxm.zeppelin.lang.Command;
import org.scxm.zeppelin.lang.CommandContext;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

/** `tokenize`: Geneformer rank value encoding of the cells the model reads (scRNA and validation). */
public final class Tokenize implements Command {
    static final String KEY = "tokens:";

    @Override public String name() { return "tokenize"; }
    @Override public String usage() { return "tokenize [vocab=data|FOLDER max_length=2048]"; }
    @Override public String summary() { return "rank value encoding (Geneformer) of the scRNA and validation cells; vocab=data builds a vocabulary from the scRNA data, a folder reads Geneformer's dictionaries"; }
    @Override public List<String> keys() { return List.of("vocab", "max_length"); }

    @Override public void run(Call call, CommandContext ctx) {
        call.maxWords(0);
        DatasetState sc = ctx.tx().byRole("sc");
        if (sc == null) throw new ScxmException("tokenize needs scRNA cells: run `load demo` or `load sc NAME path=...` first.");
        sc.requirePanel();
        String v = call.string("vocab", "data");
        GeneformerVocabulary vocab = v.equals("data") ? GeneformerVocabulary.fromData(sc.modality()) : fromFolder(ctx.settings().model(v));
        int maxLength = call.integer("max_length", 2048);
        StringColumn name = StringColumn.create("dataset");
        IntColumn kept = IntColumn.create("genes_kept"), missing = IntColumn.create("genes_missing");
        Table missingGenes = null;
        for (DatasetState d : ctx.tx().datasets()) {
            if (d.role().equals("st")) continue; // the low-plex slide is never model input
            d.requirePanel();
            RankValueEncoder enc = new RankValueEncoder(vocab, maxLength, d.modality());
            ctx.tx().putValue(KEY + d.name(), enc);
            name.append(d.name()); kept.append(enc.genesKept()); missing.append(enc.missingGenes().rowCount());
            if (missingGenes == null && enc.missingGenes().rowCount() > 0) missingGenes = enc.missingGenes();
        }
        ctx.tx().putValue("vocab.size", vocab.size());
        ctx.tx().putValue("tokens.max_length", maxLength);
        ctx.table(Table.create("rank value encoding (vocabulary " + vocab.size() + " tokens, max_length " + maxLength + ")", name, kept, missing));
        if (missingGenes != null) ctx.table(missingGenes.first(50));
    }

    static GeneformerVocabulary fromFolder(Path dir) {
        Path tok = first(dir, "token_dictionary"), med = first(dir, "gene_median_dictionary"), names = first(dir, "gene_name_id_dict");
        if (tok == null || med == null)
            throw new ScxmException("no Geneformer dictionaries in " + dir + ": it needs token_dictionary*.pkl|tsv and gene_median_dictionary*.pkl|tsv (or use vocab=data).");
        return GeneformerVocabulary.fromFiles(tok, med, names);
    }

    private static Path first(Path dir, String prefix) {
        try (var s = java.nio.file.Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().findFirst().orElse(null);
        } catch (java.io.IOException e) {
            throw new ScxmException("cannot list " + dir + " (" + e.getMessage() + "); check vocab=.");
        }
    }

    /** The encoder of a dataset, or "run `tokenize` first". */
    static RankValueEncoder encoder(CommandContext ctx, DatasetState d) {
        RankValueEncoder e = ctx.tx().value(KEY + d.name(), RankValueEncoder.class);
        if (e == null) throw new ScxmException("'" + d.name() + "' is not tokenised yet: run `tokenize` first.");
        return e;
    }
}
