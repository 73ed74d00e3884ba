package org.scxm.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.scxm.ScxmException;

/** Minimal CSV reading (quoted fields, .gz) for the spatial platforms' side files; ids stay strings. */
final class Csv {
    private Csv() {}

    /** All rows as fields; the first row is the header when the file has one. */
    static List<String[]> read(Path file) {
        try (InputStream in = open(file);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            List<String[]> rows = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) if (!line.isEmpty()) rows.add(split(line));
            return rows;
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new ScxmException(
                    "'" + file + "' could not be read: the file is cut short or damaged (" + e.getMessage()
                            + "); copy or download it again.",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    /** Index of a header field (exact name), or -1. */
    static int column(String[] header, String name) {
        for (int i = 0; i < header.length; i++) if (header[i].equals(name)) return i;
        return -1;
    }

    /**
     * The given columns for the given data rows (in that order), by header name: a double[] when every value
     * parses as a number, otherwise a String[] (obs columns for {@link org.scxm.data.LazyTable}).
     */
    static Map<String, Object> columns(String[] header, List<String[]> rows, int[] rowOrder, List<Integer> columns) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int c : columns) {
            boolean numeric = true;
            for (int r : rowOrder)
                if (!isNumber(rows.get(r)[c])) {
                    numeric = false;
                    break;
                }
            if (numeric) {
                double[] v = new double[rowOrder.length];
                for (int k = 0; k < v.length; k++) v[k] = number(rows.get(rowOrder[k])[c]);
                out.put(header[c], v);
            } else {
                String[] v = new String[rowOrder.length];
                for (int k = 0; k < v.length; k++) v[k] = rows.get(rowOrder[k])[c];
                out.put(header[c], v);
            }
        }
        return out;
    }

    /** A numeric field; empty, NA and nan are NaN. */
    static double number(String s) {
        if (s.isEmpty() || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("nan")) return Double.NaN;
        return Double.parseDouble(s);
    }

    static boolean isNumber(String s) {
        if (s.isEmpty() || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("nan")) return true;
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
