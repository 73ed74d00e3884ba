package org.scxm.zeppelin.lang;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * One parsed line of a paragraph: {@code command word word key=value key="quoted value"}.
 *
 * @param line       1-based line number in the paragraph
 * @param command    the command word, lower-cased
 * @param words      positional words after the command
 * @param options    key=value pairs in order; keys lower-cased
 * @param text       the line as written (for error messages)
 */
public record Statement(
        int line, String command, List<String> words, LinkedHashMap<String, String> options, String text) {}
