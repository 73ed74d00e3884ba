package org.scxm.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The built-in demo: one synthetic lung-like tissue observed by three unpaired modalities.
 *
 * <p>Generative model:
 * <ol>
 *   <li>Layout. Cells sit on a jittered 10 µm grid (Xenium-like density: ~20 cells within 25 µm).
 *   The background is alveolar; discs of three other niches are scattered over it: lymphoid
 *   aggregates, airways and vessels. A niche's soft membership s_n(p) = max over its discs of
 *   sigmoid((r - d) / 6 µm); the niche of a cell is the one with the largest membership (alveolar if all < 0.5).</li>
 *   <li>Cell type. Drawn from the niche's composition (e.g. aggregates: 45% B, 35% T cells).</li>
 *   <li>Expression. log rate = base_g + 3·[g is a marker of the type] + Σ_n resp_ng·t_n(p) + capture_g (resp 2 for named response genes, 1-2 for a random 4% of the others),
 *   where t_n is a wider "influence" membership (disc radius + 30 µm, 15 µm edge): cells near an
 *   aggregate up-regulate its response programme (CXCR4, CCR7, CCL19, ...) whatever their type. So a
 *   cell's own expression tells, partly, what surrounds it: the learnable signal SCXM exploits.</li>
 *   <li>Counts. Negative binomial (Gamma-Poisson, shape 2) around lib_c · rate / Σ_g exp(base_g), with a
 *   log-normal library size; each modality has its own per-gene capture efficiency (domain shift).</li>
 * </ol>
 * The three modalities come from three different sections (layouts): {@code sc} (whole gene set, no
 * coordinates, shuffled), {@code st} (a 60-gene panel, x/y), {@code val} (400 genes incl. the panel, x/y).
 *
 * <p>The scRNA cells, too, were drawn at positions of their own section before dissociation. Their obs column
 * {@code niche} is the generator's truth of where each sat (as on the spatial slides), and {@link #scPositions()}
 * the positions themselves: what a niche call on dissociated cells is checked against. Neither is an input of
 * any method (models read counts and cell types only).
 */
public final class DemoTissue {

    /** Sizes and seed; defaults give thousands of cells in about a second. */
    public record Params(long seed, int scCells, int stCells, int valCells, int stPanel, int valPanel) {
        public static Params defaults(long seed) {
            return new Params(seed, 4000, 6000, 4000, 60, 400);
        }
    }

    public static final String[] CELL_TYPES = {
        "AT1", "AT2", "Airway epithelial", "B cell", "T cell", "Macrophage", "Endothelial", "Fibroblast"
    };
    public static final String[] NICHES = {"alveolar", "lymphoid aggregate", "airway", "vessel"};

    private static final String[][] MARKERS = {
        {"AGER", "EMP2", "CAV1", "EPCAM"},
        {"SFTPC", "SFTPB", "SFTPA1", "NAPSA", "LAMP3", "EPCAM"},
        {"EPCAM", "KRT5", "KRT17", "TP63", "SCGB1A1", "FOXJ1"},
        {"CD19", "MS4A1", "CD79A", "CXCR5", "PTPRC"},
        {"CD3E", "CD3D", "CD2", "IL7R", "CD8A", "PTPRC"},
        {"MARCO", "CD68", "FABP4", "C1QA", "LYZ", "PTPRC"},
        {"PECAM1", "CLDN5", "VWF", "CDH5"},
        {"COL1A2", "COL1A1", "DCN", "LUM", "ACTA2", "PDGFRB"},
    };
    /** Niche composition over CELL_TYPES, rows follow NICHES. */
    private static final double[][] COMPOSITION = {
        {0.30, 0.30, 0.00, 0.00, 0.02, 0.15, 0.14, 0.09},
        {0.00, 0.00, 0.00, 0.45, 0.35, 0.10, 0.05, 0.05},
        {0.00, 0.02, 0.60, 0.00, 0.03, 0.05, 0.05, 0.25},
        {0.00, 0.00, 0.00, 0.00, 0.05, 0.10, 0.50, 0.35},
    };
    /** Named response genes per niche (besides a random share of the other genes). */
    private static final String[][] RESPONSE = {
        {"SFTPB", "LAMP3"},
        {"CXCR4", "CCR7", "CCL19", "CCL21", "CXCL13", "LTB", "SELL"},
        {"KRT17", "SCGB1A1", "MKI67", "TOP2A"},
        {"ACTA2", "VWF", "SPP1"},
    };

    private static final double SPACING = 10.0;

    private final Modality sc, st, val;
    private final Map<String, List<String>> programmes;
    private final Positions scPositions;

    /** Positions in microns, one per cell in the modality's cell order. */
    public record Positions(double[] x, double[] y) {}

    private DemoTissue(
            Modality sc, Positions scPositions, Modality st, Modality val, Map<String, List<String>> programmes) {
        this.sc = sc;
        this.scPositions = scPositions;
        this.st = st;
        this.val = val;
        this.programmes = programmes;
    }

    /**
     * scRNA-seq: whole gene set, no coordinates; obs cell_type (reference labels) and niche (the generator's
     * truth of the niche each cell sat in before dissociation; for checking niche calls, never a model input).
     */
    public Modality sc() {
        return sc;
    }
    /**
     * Where each scRNA cell sat in its section before dissociation (the generator's truth, in sc's cell order):
     * with {@link org.scxm.spatial.NeighbourGraph} and {@link org.scxm.spatial.Bulker} it gives each dissociated
     * cell's true neighbourhood composition.
     */
    public Positions scPositions() {
        return scPositions;
    }
    /** Low-plex spatial slide; obs cell_type and niche; x/y in microns. */
    public Modality st() {
        return st;
    }
    /** High-plex validation slide; obs cell_type and niche; x/y in microns. */
    public Modality val() {
        return val;
    }
    /** The generative gene programmes (cell-type markers and niche responses), e.g. as GSEA gene sets. */
    public Map<String, List<String>> programmes() {
        return programmes;
    }

    public static DemoTissue generate(long seed) {
        return generate(Params.defaults(seed));
    }

    public static DemoTissue generate(Params p) {
        String[][] genes = readGenes();
        String[] symbols = genes[0], ids = genes[1];
        int g = symbols.length;
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int j = 0; j < g; j++) col.put(symbols[j], j);
        Random rnd = new Random(p.seed());

        double[] base = new double[g];
        for (int j = 0; j < g; j++) base[j] = -1.0 + 1.5 * rnd.nextGaussian();
        double[][] typeEffect = new double[CELL_TYPES.length][g];
        for (int t = 0; t < CELL_TYPES.length; t++)
            for (String m : MARKERS[t]) if (col.containsKey(m)) typeEffect[t][col.get(m)] += 3.0;
        double[][] response = new double[NICHES.length][g];
        Map<String, List<String>> programmes = new LinkedHashMap<>();
        for (int t = 0; t < CELL_TYPES.length; t++) programmes.put(CELL_TYPES[t] + " markers", List.of(MARKERS[t]));
        for (int n = 0; n < NICHES.length; n++) {
            List<String> prog = new ArrayList<>();
            for (String r : RESPONSE[n])
                if (col.containsKey(r)) {
                    response[n][col.get(r)] = 2.0;
                    prog.add(r);
                }
            for (int j = 0; j < g; j++) // a random share of unnamed genes respond too, more weakly
            if (rnd.nextDouble() < 0.04 && response[n][j] == 0) {
                    response[n][j] = 1.0 + rnd.nextDouble();
                    prog.add(symbols[j]);
                }
            if (n > 0) programmes.put(NICHES[n] + " response", prog);
        }
        double baseNorm = 0;
        for (double b : base) baseNorm += Math.exp(b);

        // Panels: the st panel holds every marker and named response gene, then random genes; val adds more.
        int[] order = panelOrder(symbols, col, rnd);
        int[] stCols = Arrays.copyOf(order, Math.min(p.stPanel(), g));
        int[] valCols = Arrays.copyOf(order, Math.min(p.valPanel(), g));
        Arrays.sort(stCols);
        Arrays.sort(valCols);
        int[] allCols = new int[g];
        for (int j = 0; j < g; j++) allCols[j] = j;

        Model model = new Model(base, baseNorm, typeEffect, response);
        Section sc = section("sc", p.scCells(), p.seed() * 31 + 1, model, symbols, ids, allCols, 700, false);
        Section st = section("st", p.stCells(), p.seed() * 31 + 2, model, symbols, ids, stCols, 500, true);
        Section val = section("val", p.valCells(), p.seed() * 31 + 3, model, symbols, ids, valCols, 500, true);
        return new DemoTissue(sc.modality(), sc.positions(), st.modality(), val.modality(), programmes);
    }

    private record Model(double[] base, double baseNorm, double[][] typeEffect, double[][] response) {}

    private record Disc(int niche, double cx, double cy, double r) {}

    /** A section's modality and the positions its cells were drawn at (in the modality's cell order). */
    private record Section(Modality modality, Positions positions) {}

    /** One tissue section observed on the given genes. */
    private static Section section(
            String name,
            int n,
            long seed,
            Model m,
            String[] symbols,
            String[] ids,
            int[] cols,
            double meanLibrary,
            boolean spatial) {
        SplittableRandom r = new SplittableRandom(seed);
        int side = (int) Math.ceil(Math.sqrt(n));
        double extent = side * SPACING;
        List<Disc> discs = new ArrayList<>();
        double area = extent * extent;
        int[] perMillion = {0, 7, 5, 7}; // discs per mm² of lymphoid aggregates, airways, vessels
        double[][] radius = {{0, 0}, {45, 80}, {50, 90}, {25, 45}};
        for (int niche = 1; niche < NICHES.length; niche++) {
            int k = Math.max(1, (int) Math.round(perMillion[niche] * area / 1e6));
            for (int d = 0; d < k; d++)
                discs.add(new Disc(
                        niche,
                        r.nextDouble() * extent,
                        r.nextDouble() * extent,
                        radius[niche][0] + r.nextDouble() * (radius[niche][1] - radius[niche][0])));
        }
        double[] capture = new double[cols.length]; // per-gene capture efficiency of this modality
        for (int k = 0; k < cols.length; k++) capture[k] = 0.5 * gaussian(r);

        double[] xs = new double[n], ys = new double[n];
        String[] types = new String[n], niches = new String[n], cellIds = new String[n];
        SparseMatrix.Builder b = new SparseMatrix.Builder(cols.length);
        int[] idx = new int[cols.length];
        float[] val = new float[cols.length];
        double[] member = new double[NICHES.length], influence = new double[NICHES.length];
        for (int c = 0; c < n; c++) {
            double x = (c % side + 0.5) * SPACING + (r.nextDouble() - 0.5) * 6;
            double y = (c / side + 0.5) * SPACING + (r.nextDouble() - 0.5) * 6;
            Arrays.fill(member, 0);
            Arrays.fill(influence, 0);
            for (Disc d : discs) {
                double dist = Math.hypot(x - d.cx, y - d.cy);
                member[d.niche] = Math.max(member[d.niche], sigmoid((d.r - dist) / 6));
                influence[d.niche] = Math.max(influence[d.niche], sigmoid((d.r + 30 - dist) / 15));
            }
            int niche = 0;
            double best = 0.5;
            for (int k = 1; k < NICHES.length; k++)
                if (member[k] > best) {
                    best = member[k];
                    niche = k;
                }
            influence[0] = 1 - Math.max(influence[1], Math.max(influence[2], influence[3]));
            int type = draw(COMPOSITION[niche], r);
            double lib = meanLibrary * Math.exp(0.4 * gaussian(r) - 0.08);
            int nz = 0;
            for (int k = 0; k < cols.length; k++) {
                int j = cols[k];
                double logRate = m.base[j] + m.typeEffect[type][j] + capture[k];
                for (int q = 0; q < NICHES.length; q++) logRate += m.response[q][j] * influence[q];
                double mu = lib * Math.exp(logRate) / m.baseNorm;
                int count = poisson(mu * gamma2(r), r);
                if (count > 0) {
                    idx[nz] = k;
                    val[nz] = count;
                    nz++;
                }
            }
            b.addRow(idx, val, 0, nz);
            xs[c] = x;
            ys[c] = y;
            types[c] = CELL_TYPES[type];
            niches[c] = NICHES[niche];
            cellIds[c] = name + "-" + c;
        }
        SparseMatrix counts = b.build();
        String[] gs = new String[cols.length], gi = new String[cols.length];
        for (int k = 0; k < cols.length; k++) {
            gs[k] = symbols[cols[k]];
            gi[k] = ids[cols[k]];
        }
        Map<String, Object> obs = new LinkedHashMap<>();
        obs.put("cell_type", types);
        obs.put("niche", niches); // the generator's truth; on sc for checking niche calls only
        if (!spatial) { // dissociation: no coordinates and cells in random order; the positions kept aside
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int k = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[k];
                perm[k] = t;
            }
            Modality all = new Modality(name, counts, cellIds, gs, gi, LazyTable.of("obs", n, obs), null, null)
                    .selectCells(perm);
            String[] fresh = new String[n];
            for (int i = 0; i < n; i++) fresh[i] = name + "-" + i;
            double[] px = new double[n], py = new double[n];
            for (int i = 0; i < n; i++) {
                px[i] = xs[perm[i]];
                py[i] = ys[perm[i]];
            }
            return new Section(
                    new Modality(name, all.counts(), fresh, gs, gi, all.lazyObs(), null, null), new Positions(px, py));
        }
        return new Section(
                new Modality(name, counts, cellIds, gs, gi, LazyTable.of("obs", n, obs), xs, ys),
                new Positions(xs, ys));
    }

    private static int[] panelOrder(String[] symbols, Map<String, Integer> col, Random rnd) {
        List<Integer> first = new ArrayList<>();
        for (String[] ms : MARKERS)
            for (String s : ms) if (col.containsKey(s) && !first.contains(col.get(s))) first.add(col.get(s));
        for (String[] rs : RESPONSE)
            for (String s : rs) if (col.containsKey(s) && !first.contains(col.get(s))) first.add(col.get(s));
        List<Integer> rest = new ArrayList<>();
        for (int j = 0; j < symbols.length; j++) if (!first.contains(j)) rest.add(j);
        java.util.Collections.shuffle(rest, rnd);
        first.addAll(rest);
        return first.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String[][] readGenes() {
        List<String> s = new ArrayList<>(), e = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                DemoTissue.class.getResourceAsStream("demo-genes.tsv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split("\t");
                s.add(f[0]);
                e.add(f[1]);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new String[][] {s.toArray(new String[0]), e.toArray(new String[0])};
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static double gaussian(SplittableRandom r) { // Box-Muller
        double u = 1 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static int draw(double[] p, SplittableRandom r) {
        double u = r.nextDouble(), acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (u < acc) return k;
        }
        return p.length - 1;
    }

    /** Gamma(shape 2, scale 1/2): mean 1, the NB over-dispersion factor. Sum of two exponentials. */
    private static double gamma2(SplittableRandom r) {
        return (-Math.log(1 - r.nextDouble()) - Math.log(1 - r.nextDouble())) / 2;
    }

    private static int poisson(double mu, SplittableRandom r) {
        if (mu <= 0) return 0;
        if (mu > 30) return Math.max(0, (int) Math.round(mu + Math.sqrt(mu) * gaussian(r)));
        double l = Math.exp(-mu), p = 1;
        int k = 0;
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
