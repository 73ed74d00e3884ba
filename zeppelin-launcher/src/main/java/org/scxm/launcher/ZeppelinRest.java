package org.scxm.launcher;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.scxm.ScxmException;

/** The few REST calls of Zeppelin 0.10 that the launcher and its tests use. */
public final class ZeppelinRest {
    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ZeppelinRest(URI base) {
        this.base = base;
    }

    public URI baseUri() {
        return base;
    }

    boolean answers() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(base.resolve("api/version"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String version() {
        return body(call("GET", "api/version", null)).get("version").getAsString();
    }

    /** Note paths such as /scxm/quickstart. */
    public List<String> notePaths() {
        List<String> paths = new ArrayList<>();
        for (JsonElement n : call("GET", "api/notebook", null).getAsJsonArray("body")) {
            JsonObject note = n.getAsJsonObject();
            paths.add((note.has("path") ? note.get("path") : note.get("name")).getAsString());
        }
        return paths;
    }

    /** Imports a .zpln text at the given note path; returns the new note id. */
    public String importNote(String notePath, String zpln) {
        return call(
                        "POST",
                        "api/notebook/import?notePath=" + java.net.URLEncoder.encode(notePath, StandardCharsets.UTF_8),
                        zpln)
                .get("body")
                .getAsString();
    }

    /** Runs every paragraph of a note in order and waits for the run to end. */
    public JsonObject runNote(String noteId, Duration timeout) {
        return call("POST", "api/notebook/job/" + noteId + "?blocking=true", "", timeout);
    }

    public JsonObject note(String noteId) {
        return body(call("GET", "api/notebook/" + noteId, null));
    }

    /** The note as Zeppelin exports it (the .zpln JSON text a user downloads). */
    public String export(String noteId) {
        return call("GET", "api/notebook/export/" + noteId, null).get("body").getAsString();
    }

    /** Restarts the %scxm interpreter: its process ends and the next paragraph starts a fresh one. */
    public void restartInterpreter(String settingId) {
        call("PUT", "api/interpreter/setting/restart/" + settingId, "");
    }

    public JsonObject call(String method, String path, String body) {
        return call(method, path, body, Duration.ofSeconds(60));
    }

    public JsonObject call(String method, String path, String body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ScxmException("Zeppelin answered " + response.statusCode() + " to " + method + " " + path
                        + ": "
                        + response.body()
                                .substring(0, Math.min(500, response.body().length())));
            }
            return JsonParser.parseString(response.body()).getAsJsonObject();
        } catch (IOException e) {
            throw new ScxmException(
                    "Zeppelin at " + base + " did not answer " + method + " " + path + " (" + e.getMessage() + ").", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScxmException("Interrupted while calling Zeppelin at " + base + ".", e);
        }
    }

    private static JsonObject body(JsonObject response) {
        return response.getAsJsonObject("body");
    }
}
