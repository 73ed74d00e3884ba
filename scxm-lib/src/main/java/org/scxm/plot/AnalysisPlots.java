package org.scxm.plot;

import com.google.gson.JsonArray;
import org.scxm.analysis.Gsea;
import tech.tablesaw.api.Table;

/** Figures for downstream analysis: the volcano plot of a DE table and the GSEA enrichment curve. */
public final class AnalysisPlots {
    private AnalysisPlots() {}

    /** log2 fold change vs −log10 adjusted p, significant genes (padj < 0.05) highlighted, gene names on hover. */
    public static Figure volcano(Table de, String title) {
        int n = de.rowCount();
        double[] x = de.doubleColumn("log2fc").asDoubleArray(),
                padj = de.doubleColumn("pval_adj").asDoubleArray();
        String[] genes = de.stringColumn("gene").asObjectArray();
        double[] y = new double[n];
        String[] colour = new String[n];
        for (int i = 0; i < n; i++) {
            y[i] = -Math.log10(Math.max(padj[i], 1e-300));
            colour[i] = padj[i] < 0.05 ? (x[i] > 0 ? "#c0392b" : "#2471a3") : "#aab7b8";
        }
        JsonArray data = new JsonArray();
        data.add(Json.obj(
                "type",
                n > 20000 ? "scattergl" : "scatter",
                "mode",
                "markers",
                "x",
                Json.numbers(x),
                "y",
                Json.numbers(y),
                "text",
                Json.strings(genes),
                "hovertemplate",
                "%{text}<br>log2FC %{x:.2f}<br>-log10 padj %{y:.2f}<extra></extra>",
                "marker",
                Json.obj("color", Json.strings(colour), "size", 6)));
        return Figure.titled(
                title,
                data,
                420,
                "xaxis",
                Json.obj("title", Json.title("log2 fold change (CP10k means)")),
                "yaxis",
                Json.obj("title", Json.title("−log10 BH-adjusted p"), "automargin", true),
                "showlegend",
                false);
    }

    /** The running enrichment score of one set along the ranking, with the set's genes as ticks below. */
    public static Figure enrichment(Gsea.Result r, String set) {
        double[] curve = r.curve(set);
        double[] x = new double[curve.length];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        int[] hits = r.hitPositions().get(set);
        double[] hx = new double[hits.length], hy = new double[hits.length];
        String[] hg = new String[hits.length];
        double min = 0;
        for (double c : curve) min = Math.min(min, c);
        for (int k = 0; k < hits.length; k++) {
            hx[k] = hits[k] + 1;
            hy[k] = min - 0.05;
            hg[k] = r.rankedGenes()[hits[k]];
        }
        JsonArray data = new JsonArray();
        data.add(Json.obj(
                "type",
                "scatter",
                "mode",
                "lines",
                "name",
                "running ES",
                "x",
                Json.numbers(x),
                "y",
                Json.numbers(curve),
                "line",
                Json.obj("color", "#1e8449")));
        data.add(Json.obj(
                "type",
                "scatter",
                "mode",
                "markers",
                "name",
                "genes in set",
                "x",
                Json.numbers(hx),
                "y",
                Json.numbers(hy),
                "text",
                Json.strings(hg),
                "marker",
                Json.obj("symbol", "line-ns-open", "size", 12, "color", "#212f3d")));
        String title = "enrichment of " + set;
        return Figure.titled(
                title,
                data,
                360,
                "xaxis",
                Json.obj("title", Json.title("rank in the ordered gene list")),
                "yaxis",
                Json.obj("title", Json.title("enrichment score"), "automargin", true));
    }
}
