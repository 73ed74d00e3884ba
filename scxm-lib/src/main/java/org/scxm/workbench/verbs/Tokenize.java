package org.scxm.workbench.verbs;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxm.ScxmException;
import org.scxm.data.Homology;
import org.scxm.model.PretrainedFolder;
import org.scxm.tokenize.GeneformerVocabulary;
import org.scxm.tokenize.RankValueEncoder;
import org.scxm.tokenize.TokenizerFiles;
import org.scxm.workbench.DatasetState;
import org.scxm.workbench.Options;
import org.scxm.workbench.Report;
import org.scxm.workbench.Role;
import org.scxm.workbench.State;
import org.scxm.workbench.Step;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The tokenize verb: Geneformer rank value encoding of the harmonised cells. */
public final class Tokenize {
    private Tokenize() {}

    /** Geneformer rank value encoding of the cells the model reads (the harmonised scRNA and validation cells). */
    public static Report run(Step ctx, Options.Tokenize o) {
        DatasetState sc = ctx.harmonisedDataset(Role.SC);
        Report r = new Report();
        GeneformerVocabulary vocab;
        int maxLength;
        TokenizerFiles.Named named = new TokenizerFiles.Named(o.tokenDictionary(), o.medianDictionary(), null);
        Homology homology = null;
        if (o.vocabulary() == null) {
            if (o.tokenDictionary() != null || o.medianDictionary() != null)
                throw new ScxmException(
                        "token= and medians= name a model's dictionaries; give its folder with vocab=FOLDER too (or drop them for vocab=data).");
            vocab = GeneformerVocabulary.fromData(sc.modality());
            maxLength = o.maxLength() > 0 ? o.maxLength() : Options.Tokenize.DEFAULT_MAX_LENGTH;
        } else {
            PretrainedFolder.Tokenizer t = PretrainedFolder.tokenizer(o.vocabulary(), named);
            vocab = t.vocabulary();
            maxLength = o.maxLength() > 0
                    ? o.maxLength()
                    : t.maxLength() > 0 ? t.maxLength() : Options.Tokenize.DEFAULT_MAX_LENGTH;
            if (t.maxLength() > 0 && maxLength > t.maxLength())
                throw new ScxmException("max_length=" + maxLength + " is longer than the model's input ("
                        + t.maxLength() + " positions); use at most " + t.maxLength() + ".");
            r.text(t.describe() + "; max_length " + maxLength + (o.maxLength() > 0 ? "" : " (the model's)"));
            for (String w : t.warnings()) r.text("warning: " + w);
            String species = o.species() == null ? "auto" : o.species().toLowerCase(Locale.ROOT);
            if (species.equals("auto")) {
                Homology.Species det = Homology.detect(sc.modality());
                species = det.species();
                // A vocabulary keyed by the data's own genes (a folder `pretrain` wrote from this data) needs no
                // mapping.
                long human = vocab.tokenGenes().stream()
                        .filter(g -> g.startsWith("ENSG"))
                        .count();
                if (species.equals("mouse") && human * 2 <= vocab.tokenGenes().size()) species = "as-is";
                r.text("species: " + det.species() + " (" + det.evidence() + ")"
                        + (species.equals("mouse")
                                ? "; mapping to human through the MGI homology table (species=human to skip)"
                                : species.equals("as-is")
                                        ? "; the model's vocabulary is not human Ensembl ids, so genes are matched as they are"
                                        : ""));
            } else if (!species.equals("mouse") && !species.equals("human"))
                throw new ScxmException("species=" + o.species() + " is not auto, human or mouse.");
            if (species.equals("mouse")) {
                if (o.homologyTable() == null || !Files.isRegularFile(o.homologyTable()))
                    throw new ScxmException(
                            "mouse genes map to human through the MGI table, which is not at " + o.homologyTable()
                                    + "; give homology=PATH to " + Homology.MGI_TABLE + " of the repository.");
                homology = Homology.read(o.homologyTable());
            }
        }
        StringColumn name = StringColumn.create("dataset");
        IntColumn kept = IntColumn.create("genes_kept"), missing = IntColumn.create("genes_missing");
        Table missingGenes = null;
        Map<String, RankValueEncoder> encoders = new LinkedHashMap<>();
        for (Role role : List.of(Role.SC, Role.ST, Role.VAL)) {
            DatasetState d = ctx.harmonisedDataset(role);
            if (d == null) continue;
            RankValueEncoder enc;
            if (o.panelGenesOnly()) {
                if (homology != null)
                    throw new ScxmException(
                            "genes=panel reads the panel genes as they are; give species=human, or genes=all to map mouse genes.");
                enc = new RankValueEncoder(vocab, maxLength, d.modality().selectGenes(d.panelColumns()));
            } else if (homology != null) {
                Homology.HumanIds ids = homology.toHumanIds(
                        d.modality(),
                        vocab::tokenIdForName,
                        Arrays.asList(d.requirePanel()),
                        Homology.DEFAULT_MIN_MAPPED);
                r.text("'" + d.name() + "': " + ids.summary());
                enc = new RankValueEncoder(vocab, maxLength, d.modality(), ids.ids());
            } else enc = new RankValueEncoder(vocab, maxLength, d.modality());
            encoders.put(d.name(), enc);
            name.append(d.name());
            kept.append(enc.genesKept());
            missing.append(enc.missingGenes().rowCount());
            if (missingGenes == null && enc.missingGenes().rowCount() > 0) missingGenes = enc.missingGenes();
        }
        ctx.publish(ctx.state()
                .withTokens(new State.Tokens(
                        vocab,
                        maxLength,
                        o.vocabulary() == null ? "data" : o.vocabulary().toString(),
                        named,
                        encoders,
                        o.panelGenesOnly())));
        r.table(Table.create(
                "rank value encoding (vocabulary " + vocab.size() + " tokens, max_length " + maxLength + ")",
                name,
                kept,
                missing));
        if (missingGenes != null) r.table(missingGenes.first(50));
        return r;
    }
}
