package org.scxm.plot;

import com.google.gson.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.scxm.data.DenseMatrix;

/** Figures of a neighbourhood composition (cells x cell types) and of calibration (two distributions of one gene). */
public final class CompositionPlots {
    private CompositionPlots() {}

    /**
     * The type with the largest share in each row (ties: the first column); null for a row with no positive share
     * (nothing predicted).
     */
    public static String[] dominant(DenseMatrix composition, String[] types) {
        String[] out = new String[composition.rows()];
        for (int i = 0; i < out.length; i++) {
            float[] r = composition.row(i);
            int best = -1;
            float bv = 0;
            for (int j = 0; j < r.length; j++)
                if (r[j] > bv) {
                    bv = r[j];
                    best = j;
                }
            out[i] = best < 0 ? null : types[best];
        }
        return out;
    }

    /** Cells at x/y coloured by the dominant (e.g. predicted) neighbour type, one legend entry per type. */
    public static Figure dominantType(String title, double[] x, double[] y, DenseMatrix composition, String[] types) {
        return SpatialPlots.categories(title, x, y, dominant(composition, types), "dominant neighbour type");
    }

    /**
     * Stacked bars of the mean composition per cell type: for each cell type (the x axis's outer level) a bar of
     * the mean predicted and one of the mean true composition, each stacked over the neighbour types. Rows of
     * {@code predicted} and {@code truth} are the same cells, labelled by {@code cellTypes}.
     */
    public static Figure meanByType(
            String title, DenseMatrix predicted, DenseMatrix truth, String[] types, String[] cellTypes) {
        if (predicted.rows() != truth.rows()
                || predicted.cols() != truth.cols()
                || types.length != truth.cols()
                || cellTypes.length != truth.rows())
            throw new IllegalArgumentException("predicted, true composition, types and cell labels disagree in shape");
        List<String> groups = new ArrayList<>(new TreeSet<>(java.util.Arrays.stream(cellTypes)
                .filter(java.util.Objects::nonNull)
                .toList()));
        Map<String, double[][]> sums = new LinkedHashMap<>(); // group -> {predicted, true} per neighbour type
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String g : groups) sums.put(g, new double[2][types.length]);
        for (int i = 0; i < cellTypes.length; i++) {
            if (cellTypes[i] == null) continue;
            double[][] s = sums.get(cellTypes[i]);
            for (int j = 0; j < types.length; j++) {
                s[0][j] += predicted.get(i, j);
                s[1][j] += truth.get(i, j);
            }
            counts.merge(cellTypes[i], 1, Integer::sum);
        }
        String[] outer = new String[groups.size() * 2], inner = new String[groups.size() * 2];
        for (int k = 0; k < groups.size(); k++) {
            outer[2 * k] = outer[2 * k + 1] = groups.get(k);
            inner[2 * k] = "predicted";
            inner[2 * k + 1] = "true";
        }
        JsonArray x = new JsonArray();
        x.add(Json.strings(outer));
        x.add(Json.strings(inner));
        JsonArray data = new JsonArray();
        for (int j = 0; j < types.length; j++) {
            double[] v = new double[groups.size() * 2];
            for (int k = 0; k < groups.size(); k++) {
                double[][] s = sums.get(groups.get(k));
                int n = counts.get(groups.get(k));
                v[2 * k] = s[0][j] / n;
                v[2 * k + 1] = s[1][j] / n;
            }
            data.add(Json.obj(
                    "type",
                    "bar",
                    "name",
                    types[j],
                    "x",
                    x,
                    "y",
                    Json.numbers(v),
                    "marker",
                    Json.obj("color", SpatialPlots.PALETTE[j % SpatialPlots.PALETTE.length]),
                    "hovertemplate",
                    types[j] + ": %{y:.3f}<extra>%{x}</extra>"));
        }
        return Figure.titled(
                title,
                data,
                460,
                "barmode",
                "stack",
                "yaxis",
                Json.obj("title", Json.title("mean share of the neighbourhood"), "range", Json.numbers(new double[] {
                    0, 1.02
                })),
                "xaxis",
                Json.obj("title", Json.title("cell type"), "automargin", true),
                "legend",
                Json.obj("title", Json.title("neighbour type")));
    }

    /**
     * Two distributions of one feature overlaid as histograms normalised to probability density (so samples of
     * different sizes compare), e.g. a gene's prediction on scRNA cells against the spatial slide's target.
     */
    public static Figure twoDistributions(
            String title, String feature, String firstName, float[] first, String secondName, float[] second) {
        JsonArray data = new JsonArray();
        String[] names = {firstName, secondName};
        float[][] values = {first, second};
        for (int k = 0; k < 2; k++)
            data.add(Json.obj(
                    "type",
                    "histogram",
                    "name",
                    names[k] + " (" + values[k].length + " cells)",
                    "x",
                    Json.numbers(values[k]),
                    "histnorm",
                    "probability density",
                    "opacity",
                    0.55,
                    "nbinsx",
                    40,
                    "marker",
                    Json.obj("color", SpatialPlots.PALETTE[k])));
        return Figure.titled(
                title,
                data,
                420,
                "barmode",
                "overlay",
                "xaxis",
                Json.obj("title", Json.title(feature), "automargin", true),
                "yaxis",
                Json.obj("title", Json.title("density"), "automargin", true));
    }
}
