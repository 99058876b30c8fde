package org.secureota.workbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackTexts;
import org.secureota.workbench.attack.ExpectedOutcome;
import org.secureota.workbench.attack.Forbidden;
import org.secureota.workbench.attack.ParameterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./workbench attack list}: the attacker's catalogue, for people and scripts. */
@Command(name = "attack", mixinStandardHelpOptions = true,
        description = "The attacks the workbench can arm (arm them in './workbench lab': arm ID [param=value...]).",
        subcommands = {AttackCommand.ListCommand.class})
final class AttackCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new UsageException("choose a subcommand: 'attack list' (see 'workbench attack --help')");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print every attack: id, where it acts, its parameters, the verdict a secure device must"
                    + " show, and its explanation.")
    static final class ListCommand implements Runnable {

        @Option(names = "--json", description = "One JSON document, for scripts.")
        private boolean json;

        @Option(names = "--lang", paramLabel = "LANG", defaultValue = "en",
                description = "Language of titles and explanations: en or fr (default: ${DEFAULT-VALUE}).")
        private String lang;

        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            if (!lang.equals("en") && !lang.equals("fr")) {
                throw new UsageException("--lang is '" + lang + "'; the workbench speaks en and fr");
            }
            Locale locale = Locale.forLanguageTag(lang);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(toJson(locale));
            } else {
                printText(out, locale);
            }
            out.flush();
        }

        private static void printText(PrintWriter out, Locale locale) {
            for (Attack a : AttackCatalog.all()) {
                ExpectedOutcome e = a.expected(a.defaults());
                out.printf("%-19s %-15s %s%n", a.id(), AttackTexts.label("surface." + a.surface().wireName(), locale),
                        a.title(locale));
                out.println("    " + AttackTexts.label("label.expects", locale) + ": "
                        + String.join(" | ", new TreeSet<>(e.verdicts())) + " (" + AttackTexts.label("label.check", locale)
                        + ": " + e.stoppedBy().wireName() + (e.mustNotHappen().isEmpty() ? "" : "; "
                        + AttackTexts.label("label.must_not", locale) + ": "
                        + String.join(", ", e.mustNotHappen().stream().map(Forbidden::wireName).sorted().toList()))
                        + (e.needsRestart() ? "; " + AttackTexts.label("label.restart", locale) : "") + ")");
                for (ParameterSpec p : a.parameters()) {
                    out.println("    " + p.name() + "=" + p.defaultValue() + "  " + a.parameterHelp(p.name(), locale));
                }
                out.println("    " + a.explanation(locale));
                out.println();
            }
        }

        private static String toJson(Locale locale) {
            List<Map<String, Object>> attacks = new ArrayList<>();
            for (Attack a : AttackCatalog.all()) {
                ExpectedOutcome e = a.expected(a.defaults());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", a.id());
                m.put("acts_on", a.surface().wireName());
                m.put("title", a.title(locale));
                m.put("explanation", a.explanation(locale));
                List<Map<String, Object>> params = new ArrayList<>();
                for (ParameterSpec p : a.parameters()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("name", p.name());
                    pm.put("kind", p.kind().name().toLowerCase(Locale.ROOT));
                    pm.put("default", p.defaultValue());
                    if (!p.choices().isEmpty()) {
                        pm.put("choices", p.choices());
                    }
                    pm.put("help", a.parameterHelp(p.name(), locale));
                    params.add(pm);
                }
                m.put("parameters", params);
                m.put("expected_verdicts", new TreeSet<>(e.verdicts()));
                m.put("stopped_by", e.stoppedBy().wireName());
                m.put("must_not_happen", e.mustNotHappen().stream().map(Forbidden::wireName).sorted().toList());
                m.put("needs_restart", e.needsRestart());
                attacks.add(m);
            }
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(Map.of("language", locale.getLanguage(), "attacks", attacks));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("maps of strings always serialize", ex);
            }
        }
    }
}
