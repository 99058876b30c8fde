package org.secureota.workbench.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each node was written. Jackson's own trees forget
 * positions, and an error message that cannot say {@code file:line:column} makes a script author hunt.
 */
sealed interface YamlNode {

    ScriptPosition position();

    /** What kind of value this is, in the words an error message uses ("a text", "a list"...). */
    String kind();

    record Scalar(ScriptPosition position, String text, JsonToken token) implements YamlNode {
        @Override
        public String kind() {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "true/false";
                case VALUE_NULL -> "nothing";
                default -> "a text";
            };
        }
    }

    record Sequence(ScriptPosition position, List<YamlNode> items) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping; {@code keys} holds where each key was written, for "unknown key" messages. */
    record Mapping(ScriptPosition position, Map<String, YamlNode> values, Map<String, ScriptPosition> keys)
            implements YamlNode {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** Thrown for YAML that is not well formed, or a key written twice. */
    final class SyntaxError extends Exception {
        final transient ScriptProblem problem;

        SyntaxError(ScriptProblem problem) {
            super(problem.toString());
            this.problem = problem;
        }
    }

    YAMLFactory FACTORY = new YAMLFactory();

    static YamlNode parse(String file, String text) throws SyntaxError {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new SyntaxError(new ScriptProblem(new ScriptPosition(file, 1, 1),
                        "the file is empty: expected a mapping with title, summary, devices, releases and steps"));
            }
            return read(file, p);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 1 : Math.max(1, at.getLineNr());
            int column = at == null ? 1 : Math.max(1, at.getColumnNr());
            throw new SyntaxError(new ScriptProblem(new ScriptPosition(file, line, column),
                    "not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SyntaxError(new ScriptProblem(new ScriptPosition(file, 1, 1), "cannot read: " + e.getMessage()));
        }
    }

    private static YamlNode read(String file, JsonParser p) throws IOException, SyntaxError {
        ScriptPosition at = position(file, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> values = new LinkedHashMap<>();
                Map<String, ScriptPosition> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    ScriptPosition keyAt = position(file, p.currentTokenLocation());
                    if (keys.containsKey(key)) {
                        throw new SyntaxError(new ScriptProblem(keyAt,
                                "key '" + key + "' is written twice (first at line " + keys.get(key).line() + ")"));
                    }
                    p.nextToken();
                    keys.put(key, keyAt);
                    values.put(key, read(file, p));
                }
                return new Mapping(at, values, keys);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(file, p));
                }
                return new Sequence(at, items);
            }
            default -> {
                return new Scalar(at, t == JsonToken.VALUE_NULL ? null : p.getText(), t);
            }
        }
    }

    private static ScriptPosition position(String file, JsonLocation at) {
        return new ScriptPosition(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
    }
}
