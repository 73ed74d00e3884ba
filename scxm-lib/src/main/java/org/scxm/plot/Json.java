package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Small builders for Plotly JSON, shared by the plot classes. */
final class Json {
    private Json() {}

    static JsonObject obj(Object... kv) {
        JsonObject o = new JsonObject();
        for (int i = 0; i < kv.length; i += 2) {
            String k = (String) kv[i];
            Object v = kv[i + 1];
            if (v == null) continue;
            if (v instanceof com.google.gson.JsonElement e) o.add(k, e);
            else if (v instanceof Number n) o.addProperty(k, n);
            else if (v instanceof Boolean b) o.addProperty(k, b);
            else o.addProperty(k, v.toString());
        }
        return o;
    }

    /** Plotly 3+ title object. */
    static JsonObject title(String text) {
        return obj("text", text);
    }

    static JsonArray numbers(double[] v) {
        JsonArray a = new JsonArray(v.length);
        for (double x : v) a.add(Double.isFinite(x) ? (Number) (float) x : null);
        return a;
    }

    static JsonArray numbers(float[] v) {
        JsonArray a = new JsonArray(v.length);
        for (float x : v) a.add(Float.isFinite(x) ? (Number) x : null);
        return a;
    }

    static JsonArray strings(String[] v) {
        JsonArray a = new JsonArray(v.length);
        for (String s : v) a.add(s);
        return a;
    }
}
