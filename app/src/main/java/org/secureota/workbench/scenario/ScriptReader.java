package org.secureota.workbench.scenario;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.firmware.ReleaseNames;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.device.BuiltImages;

/**
 * Reads and checks a demo script before anything runs. Every problem is collected with its
 * {@code file:line:column} and what was expected there, so a broken script never half-runs a demo.
 */
public final class ScriptReader {

    static final Set<String> TOP_KEYS = Set.of("title", "summary", "devices", "releases", "steps");
    static final List<String> ACTIONS = List.of("deploy", "arm", "disarm", "check", "power-on", "reset",
            "power-cut", "arm-cut", "disarm-cut", "wait", "pause", "power-cut-sweep");
    static final Set<String> STEP_KEYS = Set.of("narration", "timeout", "expect");
    static final List<String> EXPECTATIONS = List.of("version", "running-slot", "slot-state", "lcd", "led",
            "verdict", "attack-resisted", "image-bytes-served", "http-requests", "resumed-above-zero",
            "no-device-bricked", "event");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final Duration LONGEST_STEP = Duration.ofMinutes(30);

    private final Set<String> attackIds;
    private final Predicate<String> knownEvent;

    /**
     * @param attackIds  the attacker's catalogue: an {@code arm} of any other id is refused
     * @param knownEvent whether an event type exists in the journal's catalogue
     */
    public ScriptReader(Set<String> attackIds, Predicate<String> knownEvent) {
        this.attackIds = Set.copyOf(attackIds);
        this.knownEvent = knownEvent;
    }

    public DemoScript read(Path file) throws ScriptException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScriptException(List.of(new ScriptProblem(new ScriptPosition(file.toString(), 1, 1),
                    "cannot read the script (" + e.getMessage() + "): check the path")));
        }
        return read(file.toString(), text);
    }

    public DemoScript read(String file, String text) throws ScriptException {
        YamlNode root;
        try {
            root = YamlNode.parse(file, text);
        } catch (YamlNode.SyntaxError e) {
            throw new ScriptException(List.of(e.problem));
        }
        Parse p = new Parse(file);
        DemoScript script = p.script(root);
        if (!p.problems.isEmpty()) {
            throw new ScriptException(p.problems);
        }
        return script;
    }

    /** One reading: the problems found so far. Methods return null for a part they could not read. */
    private final class Parse {
        final String file;
        final List<ScriptProblem> problems = new ArrayList<>();
        final Set<String> devices = new HashSet<>();
        final Set<String> products = new HashSet<>();

        Parse(String file) {
            this.file = file;
        }

        void problem(ScriptPosition at, String message) {
            problems.add(new ScriptProblem(at, message));
        }

        DemoScript script(YamlNode root) {
            YamlNode.Mapping top = mapping(root, "the script", "a mapping with title, summary, devices, releases and steps");
            if (top == null) {
                return null;
            }
            unknownKeys(top, TOP_KEYS, "script key");
            LocalizedText title = localized(top, "title");
            LocalizedText summary = localized(top, "summary");
            List<DeviceSpec> deviceSpecs = new ArrayList<>();
            for (YamlNode n : list(top, "devices", true)) {
                DeviceSpec d = device(n);
                if (d != null) {
                    deviceSpecs.add(d);
                }
            }
            List<ReleaseSpec> releases = new ArrayList<>();
            for (YamlNode n : list(top, "releases", false)) {
                ReleaseSpec r = release(n);
                if (r != null) {
                    releases.add(r);
                }
            }
            List<Step> steps = new ArrayList<>();
            List<YamlNode> stepNodes = list(top, "steps", true);
            for (int i = 0; i < stepNodes.size(); i++) {
                // Numbered by position in the file, as a reader counts them, whether or not earlier ones parsed.
                Step s = step(i + 1, stepNodes.get(i));
                if (s != null) {
                    steps.add(s);
                }
            }
            return new DemoScript(file, title, summary, deviceSpecs, releases, steps);
        }

        DeviceSpec device(YamlNode node) {
            YamlNode.Mapping m = mapping(node, "a device", "a mapping with id, product, starting-version (and count, layout)");
            if (m == null) {
                return null;
            }
            unknownKeys(m, Set.of("id", "count", "product", "starting-version", "layout", "variant"), "device key");
            String id = deviceId(m, "id");
            String product = product(m, "product");
            String version = text(m, "starting-version", true);
            if (version != null && BuiltImages.imageOf(version).isEmpty()) {
                problem(m.values().get("starting-version").position(), "starting-version '" + version
                        + "' is not a built image: expected one of " + BuiltImages.versions());
            }
            long count = m.values().containsKey("count") ? integer(m.values().get("count"), "count", 1, 50) : 1;
            FlashLayout layout = FlashLayout.DEFAULT;
            if (m.values().containsKey("layout")) {
                String l = text(m, "layout", true);
                // Spelled two_ota (the CLI's and the firmware's name) or two-ota (the scripts' style): both work.
                layout = l == null ? null : FlashLayout.parse(l).orElseGet(
                        () -> oneOf(m.values().get("layout"), l, FlashLayout.class, "layout"));
            }
            org.secureota.workbench.device.FirmwareVariant variant = org.secureota.workbench.device.FirmwareVariant.SECURE;
            if (m.values().containsKey("variant")) {
                String v = text(m, "variant", true);
                try {
                    variant = v == null ? null : org.secureota.workbench.device.FirmwareVariant.fromWireName(v);
                } catch (IllegalArgumentException e) {
                    problem(m.values().get("variant").position(), "variant: " + e.getMessage());
                    variant = null;
                }
                if (variant != null && variant.weakened() && version != null && !"1.0.0".equals(version)
                        && !"3.0.0".equals(version)) {
                    problem(m.values().get("variant").position(), "variant '" + v + "' exists for starting-version"
                            + " 1.0.0 or 3.0.0 only: give one of them, or leave variant out");
                }
            }
            if (id == null || product == null || version == null || layout == null || count < 1 || variant == null) {
                return null;
            }
            DeviceSpec spec = new DeviceSpec(id, (int) count, product, version, layout, m.position(), variant);
            for (String each : spec.ids()) {
                if (!devices.add(each)) {
                    problem(m.position(), "device id '" + each + "' is declared twice: give each device its own id");
                }
            }
            products.add(product);
            return spec;
        }

        ReleaseSpec release(YamlNode node) {
            YamlNode.Mapping m = mapping(node, "a release", "a mapping with version (and product, encrypt)");
            if (m == null) {
                return null;
            }
            unknownKeys(m, Set.of("version", "product", "encrypt"), "release key");
            boolean encrypt = false;
            YamlNode e = m.values().get("encrypt");
            if (e != null) {
                if (e instanceof YamlNode.Scalar s && (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE)) {
                    encrypt = s.token() == JsonToken.VALUE_TRUE;
                } else {
                    problem(e.position(), "encrypt: expected true or false, found " + describe(e));
                    return null;
                }
            }
            String version = text(m, "version", true);
            if (version != null && BuiltImages.imageOf(version).isEmpty()) {
                problem(m.values().get("version").position(), "release version '" + version
                        + "' is not a built image: expected one of " + BuiltImages.versions());
                return null;
            }
            String product = m.values().containsKey("product") ? product(m, "product") : singleProduct(m.position());
            return version == null || product == null ? null : new ReleaseSpec(version, product, encrypt, m.position());
        }

        String singleProduct(ScriptPosition at) {
            if (products.size() == 1) {
                return products.iterator().next();
            }
            problem(at, "product: expected the product's name (the script's devices have "
                    + (products.isEmpty() ? "none" : "several: " + products) + ")");
            return null;
        }

        Step step(int index, YamlNode node) {
            YamlNode.Mapping m = mapping(node, "step " + index, "a mapping with one action (or expect), narration and timeout");
            if (m == null) {
                return null;
            }
            List<String> actions = m.keys().keySet().stream().filter(ACTIONS::contains).toList();
            boolean unknownKey = false;
            for (Map.Entry<String, ScriptPosition> k : m.keys().entrySet()) {
                if (!ACTIONS.contains(k.getKey()) && !STEP_KEYS.contains(k.getKey())) {
                    unknownKey = true;
                    problem(k.getValue(), "unknown step '" + k.getKey() + "': expected one of "
                            + String.join(", ", ACTIONS) + ", or expect, with narration and timeout");
                }
            }
            if (actions.size() > 1) {
                problem(m.keys().get(actions.get(1)), "step " + index + " has two actions (" + actions.get(0) + ", "
                        + actions.get(1) + "): write one action per step");
            }
            LocalizedText narration = null;
            if (!m.values().containsKey("narration")) {
                problem(m.position(), "step " + index + " has no narration: expected narration with en and fr");
            } else {
                narration = localized(m, "narration");
            }
            Duration timeout = null;
            if (!m.values().containsKey("timeout")) {
                problem(m.position(), "step " + index + " has no timeout: expected timeout such as 30s, 500ms or 2m");
            } else {
                timeout = duration(m.values().get("timeout"));
            }
            StepAction action;
            if (actions.isEmpty()) {
                if (!m.values().containsKey("expect")) {
                    if (!unknownKey) {
                        problem(m.position(), "step " + index + " does nothing: expected one of " + String.join(", ", ACTIONS)
                                + ", or expect");
                    }
                    return null;
                }
                action = new StepAction.ExpectOnly();
            } else {
                action = action(actions.get(0), m.values().get(actions.get(0)), m.keys().get(actions.get(0)));
            }
            List<Expectation> expectations = new ArrayList<>();
            for (YamlNode e : list(m, "expect", false)) {
                Expectation x = expectation(e);
                if (x != null) {
                    expectations.add(x);
                }
            }
            if (action == null || narration == null || timeout == null) {
                return null;
            }
            return new Step(index, action, narration, timeout, expectations, m.position());
        }

        StepAction action(String key, YamlNode value, ScriptPosition at) {
            switch (key) {
                case "deploy" -> {
                    YamlNode.Mapping m = mapping(value, "deploy", "a mapping with version and product or device");
                    if (m == null) {
                        return null;
                    }
                    unknownKeys(m, Set.of("version", "product", "device"), "deploy key");
                    String version = text(m, "version", true);
                    String device = m.values().containsKey("device") ? device(m.values().get("device"), false) : null;
                    String product = m.values().containsKey("product") ? product(m, "product")
                            : device == null ? singleProduct(m.position()) : null;
                    return version == null || (device == null && product == null) ? null
                            : new StepAction.Deploy(version, product, device);
                }
                case "arm" -> {
                    String attack;
                    Map<String, String> params = Map.of();
                    if (value instanceof YamlNode.Mapping m) {
                        unknownKeys(m, Set.of("attack", "params"), "arm key");
                        attack = text(m, "attack", true);
                        if (m.values().containsKey("params")) {
                            params = scalarMap(m.values().get("params"), "params");
                        }
                        value = m.values().getOrDefault("attack", value);
                    } else {
                        attack = scalar(value, "arm", "an attack id or a mapping with attack and params");
                    }
                    return attack == null || !knownAttack(attack, value.position()) ? null
                            : new StepAction.Arm(attack, params);
                }
                case "disarm" -> {
                    String attack = scalar(value, "disarm", "an attack id");
                    return attack == null || !knownAttack(attack, value.position()) ? null : new StepAction.Disarm(attack);
                }
                case "check" -> {
                    String d = device(value, true);
                    return d == null ? null : new StepAction.Check(d);
                }
                case "power-on" -> {
                    String d = device(value, true);
                    return d == null ? null : new StepAction.PowerOn(d);
                }
                case "reset" -> {
                    String d = device(value, true);
                    return d == null ? null : new StepAction.Reset(d);
                }
                case "power-cut" -> {
                    String d = device(value, true);
                    return d == null ? null : new StepAction.PowerCut(d);
                }
                case "disarm-cut" -> {
                    String d = device(value, false);
                    return d == null ? null : new StepAction.DisarmCut(d);
                }
                case "arm-cut" -> {
                    YamlNode.Mapping m = mapping(value, "arm-cut", "a mapping with device, operation and point");
                    if (m == null) {
                        return null;
                    }
                    unknownKeys(m, Set.of("device", "operation", "point"), "arm-cut key");
                    String d = m.values().containsKey("device") ? device(m.values().get("device"), false) : missing(m, "device");
                    long op = m.values().containsKey("operation") ? integer(m.values().get("operation"), "operation", 0, 1_000_000) : -1;
                    if (!m.values().containsKey("operation")) {
                        missing(m, "operation");
                    }
                    CutPoint point = cutPoint(m);
                    return d == null || op < 0 || point == null ? null : new StepAction.ArmCut(d, op, point);
                }
                case "power-cut-sweep" -> {
                    YamlNode.Mapping m = mapping(value, "power-cut-sweep", "a mapping with device, version, point (and every, max-cuts)");
                    if (m == null) {
                        return null;
                    }
                    unknownKeys(m, Set.of("device", "version", "point", "every", "max-cuts"), "power-cut-sweep key");
                    String version = text(m, "version", true);
                    String d = m.values().containsKey("device") ? device(m.values().get("device"), false) : missing(m, "device");
                    CutPoint point = cutPoint(m);
                    long every = m.values().containsKey("every") ? integer(m.values().get("every"), "every", 1, 100_000) : 1;
                    long max = m.values().containsKey("max-cuts") ? integer(m.values().get("max-cuts"), "max-cuts", 1, 100_000) : 1000;
                    return d == null || version == null || point == null || every < 1 || max < 1 ? null
                            : new StepAction.PowerCutSweep(d, version, point, every, (int) max);
                }
                case "wait" -> {
                    YamlNode.Mapping m = mapping(value, "wait", "a mapping with event (and device, fields)");
                    if (m == null) {
                        return null;
                    }
                    unknownKeys(m, Set.of("event", "device", "fields"), "wait key");
                    String event = eventType(m);
                    String d = m.values().containsKey("device") ? device(m.values().get("device"), false) : null;
                    Map<String, String> fields = m.values().containsKey("fields") ? scalarMap(m.values().get("fields"), "fields") : Map.of();
                    return event == null ? null : new StepAction.WaitFor(event, d, fields);
                }
                case "pause" -> {
                    if (!(value instanceof YamlNode.Scalar s && (s.text() == null || s.token() == JsonToken.VALUE_TRUE))) {
                        problem(value.position(), "pause: expected nothing or true (pause: true), found " + value.kind());
                        return null;
                    }
                    return new StepAction.Pause();
                }
                default -> throw new IllegalStateException("action key without a reader: " + key);
            }
        }

        Expectation expectation(YamlNode node) {
            YamlNode.Mapping m = mapping(node, "an expectation", "a mapping such as {device: esp32-lab-01, version: 2.0.0}");
            if (m == null) {
                return null;
            }
            List<String> kinds = m.keys().keySet().stream().filter(EXPECTATIONS::contains).toList();
            boolean unknownKey = false;
            for (Map.Entry<String, ScriptPosition> k : m.keys().entrySet()) {
                if (!EXPECTATIONS.contains(k.getKey()) && !Set.of("device", "fields", "count").contains(k.getKey())) {
                    unknownKey = true;
                    problem(k.getValue(), "unknown expectation '" + k.getKey() + "': expected one of "
                            + String.join(", ", EXPECTATIONS) + " (with device where it applies)");
                }
            }
            if (kinds.isEmpty() && unknownKey) {
                return null;
            }
            if (kinds.size() != 1) {
                problem(m.position(), kinds.isEmpty() ? "this expectation says nothing: expected one of " + String.join(", ", EXPECTATIONS)
                        : "one expectation per list item, found " + kinds);
                return null;
            }
            String kind = kinds.get(0);
            YamlNode v = m.values().get(kind);
            ScriptPosition at = m.keys().get(kind);
            Set<String> deviceKinds = Set.of("version", "running-slot", "slot-state", "lcd", "led", "verdict");
            String device = null;
            if (deviceKinds.contains(kind) || kind.equals("event")) {
                if (m.values().containsKey("device")) {
                    device = device(m.values().get("device"), true);
                    if (device == null) {
                        return null;
                    }
                } else if (deviceKinds.contains(kind)) {
                    problem(m.position(), kind + " needs device: the device's id, or all");
                    return null;
                }
            } else if (m.values().containsKey("device")) {
                problem(m.keys().get("device"), kind + " takes no device");
            }
            if (!kind.equals("event")) {
                for (String extra : List.of("fields", "count")) {
                    if (m.values().containsKey(extra)) {
                        problem(m.keys().get(extra), kind + " takes no " + extra + " (only event does)");
                    }
                }
            }
            switch (kind) {
                case "version" -> {
                    String s = scalar(v, kind, "a version such as 2.0.0");
                    return s == null ? null : new Expectation.Version(device, s, at);
                }
                case "running-slot" -> {
                    String s = scalar(v, kind, "a slot such as ota_0, ota_1 or factory");
                    return s == null ? null : new Expectation.RunningSlot(device, s, at);
                }
                case "slot-state" -> {
                    Map<String, String> states = scalarMap(v, kind);
                    for (Map.Entry<String, String> e : states.entrySet()) {
                        if (!OTA_STATES.containsAll(List.of(e.getValue().split("\\|")))) {
                            problem(v.position(), "slot-state of " + e.getKey() + ": '" + e.getValue() + "' is not an otadata state: expected one of "
                                    + OTA_STATES + " (or several joined by |, as invalid|aborted)");
                        }
                    }
                    return states.isEmpty() ? null : new Expectation.SlotStates(device, states, at);
                }
                case "lcd" -> {
                    String s = scalar(v, kind, "the text the display shows");
                    return s == null ? null : new Expectation.Lcd(device, s, at);
                }
                case "led" -> {
                    String s = scalar(v, kind, "an LED mode: off, on, blink or strobe");
                    if (s != null && !List.of("off", "on", "blink", "strobe").contains(s)) {
                        problem(v.position(), "led: '" + s + "' is not an LED mode: expected off, on, blink or strobe");
                        return null;
                    }
                    return s == null ? null : new Expectation.Led(device, s, at);
                }
                case "verdict" -> {
                    String s = scalar(v, kind, "a verdict code such as UPDATED or HASH_MISMATCH");
                    return s == null ? null : new Expectation.Verdict(device, s, at);
                }
                case "attack-resisted" -> {
                    String s = scalar(v, kind, "an attack id");
                    return s == null || !knownAttack(s, v.position()) ? null : new Expectation.AttackResisted(s, at);
                }
                case "image-bytes-served" -> {
                    Count c = count(v, kind);
                    return c == null ? null : new Expectation.ImageBytesServed(c, at);
                }
                case "http-requests" -> {
                    YamlNode.Mapping r = mapping(v, kind, "a mapping with kind (manifest, firmware, report, any) and count");
                    if (r == null) {
                        return null;
                    }
                    unknownKeys(r, Set.of("kind", "count"), "http-requests key");
                    String k = text(r, "kind", true);
                    RequestKind rk = k == null ? null : oneOf(r.values().get("kind"), k, RequestKind.class, "kind");
                    Count c = r.values().containsKey("count") ? count(r.values().get("count"), "count") : null;
                    if (!r.values().containsKey("count")) {
                        missing(r, "count");
                    }
                    return rk == null || c == null ? null : new Expectation.HttpRequests(rk, c, at);
                }
                case "resumed-above-zero", "no-device-bricked" -> {
                    if (!(v instanceof YamlNode.Scalar s && s.token() == JsonToken.VALUE_TRUE)) {
                        problem(v.position(), kind + ": expected true, found " + describe(v));
                        return null;
                    }
                    return kind.equals("no-device-bricked") ? new Expectation.NoDeviceBricked(at)
                            : new Expectation.ResumedAboveZero(at);
                }
                case "event" -> {
                    String event = scalar(v, kind, "an event type such as ota.verdict");
                    if (event != null && !knownEvent.test(event)) {
                        problem(v.position(), "unknown event type '" + event + "': expected a type of docs/journal.md");
                        return null;
                    }
                    Map<String, String> fields = m.values().containsKey("fields") ? scalarMap(m.values().get("fields"), "fields") : Map.of();
                    Count c = m.values().containsKey("count") ? count(m.values().get("count"), "count") : Count.atLeast(1);
                    return event == null || c == null ? null : new Expectation.Events(event, device, fields, c, at);
                }
                default -> throw new IllegalStateException("expectation without a reader: " + kind);
            }
        }

        // ---- small readers; each reports its own problem and returns null (or an empty value) ----

        YamlNode.Mapping mapping(YamlNode node, String what, String expected) {
            if (node instanceof YamlNode.Mapping m) {
                return m;
            }
            problem(node.position(), what + ": expected " + expected + ", found " + describe(node));
            return null;
        }

        List<YamlNode> list(YamlNode.Mapping m, String key, boolean required) {
            YamlNode node = m.values().get(key);
            if (node == null) {
                if (required) {
                    problem(m.position(), "missing '" + key + "': expected a list of " + key);
                }
                return List.of();
            }
            if (node instanceof YamlNode.Sequence s) {
                if (required && s.items().isEmpty()) {
                    problem(s.position(), key + ": expected at least one item");
                }
                return s.items();
            }
            problem(node.position(), key + ": expected a list (items starting with '- '), found " + describe(node));
            return List.of();
        }

        LocalizedText localized(YamlNode.Mapping parent, String key) {
            YamlNode node = parent.values().get(key);
            if (node == null) {
                problem(parent.position(), "missing '" + key + "': expected " + key + " with en and fr");
                return null;
            }
            YamlNode.Mapping m = mapping(node, key, "a mapping with en and fr");
            if (m == null) {
                return null;
            }
            unknownKeys(m, Set.of("en", "fr"), key + " language (en or fr)");
            String en = text(m, "en", true);
            String fr = text(m, "fr", true);
            if (en != null && en.isBlank()) {
                problem(m.values().get("en").position(), key + ".en is empty: write the English text");
            }
            if (fr != null && fr.isBlank()) {
                problem(m.values().get("fr").position(), key + ".fr is empty: write the French text");
            }
            return en == null || fr == null ? null : new LocalizedText(en.strip(), fr.strip());
        }

        String text(YamlNode.Mapping m, String key, boolean required) {
            YamlNode node = m.values().get(key);
            if (node == null) {
                return required ? missing(m, key) : null;
            }
            return scalar(node, key, "a text");
        }

        String missing(YamlNode.Mapping m, String key) {
            problem(m.position(), "missing '" + key + "'");
            return null;
        }

        String scalar(YamlNode node, String what, String expected) {
            if (node instanceof YamlNode.Scalar s && s.text() != null) {
                return s.text();
            }
            problem(node.position(), what + ": expected " + expected + ", found " + describe(node));
            return null;
        }

        String deviceId(YamlNode.Mapping m, String key) {
            String s = text(m, key, true);
            if (s != null && !DeviceId.isValid(s)) {
                problem(m.values().get(key).position(), key + ": " + DeviceId.problem(s));
                return null;
            }
            return s;
        }

        String product(YamlNode.Mapping m, String key) {
            String s = text(m, key, true);
            if (s != null && !ReleaseNames.isProduct(s)) {
                problem(m.values().get(key).position(), key + " '" + s + "': expected 1 to 32 lowercase letters, digits"
                        + " and dashes, starting with a letter or digit (for example shop-display)");
                return null;
            }
            return s;
        }
        /** A declared device id, or {@code all} when {@code allowAll}. */
        String device(YamlNode node, boolean allowAll) {
            String s = scalar(node, "device", "a device id" + (allowAll ? " or all" : ""));
            if (s == null) {
                return null;
            }
            if (allowAll && s.equals("all")) {
                return s;
            }
            if (!devices.contains(s)) {
                problem(node.position(), "unknown device '" + s + "': expected one of the script's devices "
                        + new java.util.TreeSet<>(devices) + (allowAll ? " or all" : ""));
                return null;
            }
            return s;
        }

        boolean knownAttack(String id, ScriptPosition at) {
            if (attackIds.contains(id)) {
                return true;
            }
            problem(at, "unknown attack id '" + id + "': expected one of " + new java.util.TreeSet<>(attackIds)
                    + " ('./workbench attack list' prints them)");
            return false;
        }

        String eventType(YamlNode.Mapping m) {
            String event = text(m, "event", true);
            if (event != null && !knownEvent.test(event)) {
                problem(m.values().get("event").position(), "unknown event type '" + event
                        + "': expected a type of docs/journal.md (ota.verdict, device.boot ...)");
                return null;
            }
            return event;
        }

        CutPoint cutPoint(YamlNode.Mapping m) {
            if (!m.values().containsKey("point")) {
                missing(m, "point");
                return null;
            }
            String p = scalar(m.values().get("point"), "point", "before or halfway");
            return p == null ? null : oneOf(m.values().get("point"), p, CutPoint.class, "point");
        }

        Map<String, String> scalarMap(YamlNode node, String what) {
            YamlNode.Mapping m = mapping(node, what, "a mapping of names to values");
            if (m == null) {
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            m.values().forEach((k, v) -> {
                String s = scalar(v, what + "." + k, "a single value");
                if (s != null) {
                    out.put(k, s);
                }
            });
            return out;
        }

        long integer(YamlNode node, String what, long min, long max) {
            if (node instanceof YamlNode.Scalar s && s.token() == JsonToken.VALUE_NUMBER_INT) {
                long n = Long.parseLong(s.text());
                if (n >= min && n <= max) {
                    return n;
                }
                problem(node.position(), what + ": expected a whole number from " + min + " to " + max + ", found " + n);
                return -1;
            }
            problem(node.position(), what + ": expected a whole number, found " + describe(node));
            return -1;
        }

        Count count(YamlNode node, String what) {
            if (node instanceof YamlNode.Scalar s && s.text() != null
                    && (s.token() == JsonToken.VALUE_NUMBER_INT || s.token() == JsonToken.VALUE_STRING)) {
                try {
                    return Count.parse(s.text());
                } catch (IllegalArgumentException e) {
                    problem(node.position(), what + ": " + e.getMessage());
                    return null;
                }
            }
            problem(node.position(), what + ": expected a count such as 0 or \">= 1\", found " + describe(node));
            return null;
        }

        Duration duration(YamlNode node) {
            if (node instanceof YamlNode.Scalar s && s.token() == JsonToken.VALUE_STRING) {
                Matcher x = DURATION.matcher(s.text().trim());
                if (x.matches()) {
                    long n = Long.parseLong(x.group(1));
                    Duration d = switch (x.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        default -> Duration.ofMinutes(n);
                    };
                    if (d.isZero() || d.compareTo(LONGEST_STEP) > 0) {
                        problem(node.position(), "timeout: expected more than 0 and at most 30m, found " + s.text());
                        return null;
                    }
                    return d;
                }
            }
            problem(node.position(), "timeout: expected a duration such as 30s, 500ms or 2m, found " + describe(node));
            return null;
        }

        <E extends Enum<E>> E oneOf(YamlNode node, String text, Class<E> type, String what) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(text)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            problem(node.position(), what + ": '" + text + "' is not one of " + names);
            return null;
        }

        void unknownKeys(YamlNode.Mapping m, Set<String> allowed, String what) {
            m.keys().forEach((k, at) -> {
                if (!allowed.contains(k)) {
                    problem(at, "unknown " + what + " '" + k + "': expected one of " + new java.util.TreeSet<>(allowed));
                }
            });
        }

        String describe(YamlNode node) {
            return node instanceof YamlNode.Scalar s && s.text() != null ? s.kind() + " ('" + s.text() + "')" : node.kind();
        }
    }

    /** The otadata states a slot can be in (firmware.OtaState's wire names). */
    static final List<String> OTA_STATES = List.of("new", "pending_verify", "valid", "invalid", "aborted", "undefined");
}
