package org.scxm.launcher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Locale;
import java.util.Map;

/** Edits of the interpreter's interpreter-setting.json made when installing it into a Zeppelin home. */
public final class InterpreterSettings {
    static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private InterpreterSettings() {}

    /**
     * The text with a JAVA_HOME property (default javaHome) on every setting: Zeppelin exports upper-case
     * properties to the launcher's environment, so the interpreter process runs on that JDK whatever the server runs on.
     */
    public static String withJavaHome(String settingJson, String javaHome) {
        JsonArray settings = JsonParser.parseString(settingJson).getAsJsonArray();
        for (JsonElement s : settings) {
            JsonObject property = newProperty("JAVA_HOME", "JDK (21 or newer) that runs the %scxm interpreter process");
            property.addProperty("defaultValue", javaHome);
            s.getAsJsonObject().getAsJsonObject("properties").add("JAVA_HOME", property);
        }
        return GSON.toJson(settings);
    }

    /** The text with new default values; a key it does not know is added as a property. */
    public static String withDefaults(String settingJson, Map<String, String> defaults) {
        JsonArray settings = JsonParser.parseString(settingJson).getAsJsonArray();
        for (JsonElement s : settings) {
            JsonObject properties = s.getAsJsonObject().getAsJsonObject("properties");
            defaults.forEach((key, value) -> {
                JsonObject property =
                        properties.has(key) ? properties.getAsJsonObject(key) : newProperty(key, "set at install time");
                property.addProperty("defaultValue", value);
                properties.add(key, property);
            });
        }
        return GSON.toJson(settings);
    }

    private static JsonObject newProperty(String key, String description) {
        JsonObject p = new JsonObject();
        // Upper-case names reach the launcher as environment variables (Zeppelin's RemoteInterpreterUtils.isEnvString).
        if (key.equals(key.toUpperCase(Locale.ROOT))) p.addProperty("envName", key);
        else p.add("envName", JsonNull.INSTANCE);
        p.addProperty("propertyName", key);
        p.addProperty("description", description);
        p.addProperty("type", "string");
        return p;
    }
}
