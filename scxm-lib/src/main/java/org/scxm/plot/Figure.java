package org.scxm.plot;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A Plotly figure as data: traces and layout in Plotly's JSON schema (plotly.js 3+, so titles are
 * {@code {text: ...}} objects). Rendering to HTML (with an offline plotly.js) happens in one place,
 * the interpreter's renderer; the library only builds figures.
 *
 * @param title  a short human title, also used for file names in headless runs
 * @param data   the traces
 * @param layout the layout
 */
public record Figure(String title, JsonArray data, JsonObject layout) {
    /** A figure whose layout has its title and height first, then the further keys and values (as {@link Json#obj}). */
    static Figure titled(String title, JsonArray data, int height, Object... layout) {
        Object[] kv = new Object[layout.length + 4];
        kv[0] = "title";
        kv[1] = Json.title(title);
        kv[2] = "height";
        kv[3] = height;
        System.arraycopy(layout, 0, kv, 4, layout.length);
        return new Figure(title, data, Json.obj(kv));
    }

    /** {"data": [...], "layout": {...}} as Plotly.newPlot expects. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.add("data", data);
        o.add("layout", layout);
        return o;
    }
}
