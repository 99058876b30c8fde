package org.secureota.workbench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.journal.HtmlText;

/**
 * The defence matrix's files and its verdict on itself: {@code matrix.json} (the cells),
 * {@code matrix.html} (one self-contained table, English and French, one explanation per cell), and the
 * problems that make {@code ./workbench matrix} exit 1: the secure firmware NOT_RESISTED anywhere, or a
 * weakened variant that resisted every attack its missing check exists for (that check is then not
 * proven necessary by the catalogue).
 */
public final class MatrixReport {

    private final List<MatrixCell> cells;

    public MatrixReport(List<MatrixCell> cells) {
        this.cells = List.copyOf(cells);
    }

    public List<MatrixCell> cells() {
        return cells;
    }

    /** What is wrong with the measured matrix; empty when every rule holds. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (MatrixCell c : cells) {
            if (c.variant().equals(FirmwareVariant.SECURE.wireName()) && c.result().equals(MatrixCell.NOT_RESISTED)) {
                out.add("the secure firmware did not resist " + c.attack() + ": " + c.reason());
            }
        }
        for (FirmwareVariant v : variants()) {
            List<String> needed = v.provenBy().stream().filter(a -> attacks().contains(a)).toList();
            if (needed.isEmpty()) {
                continue;
            }
            boolean proven = cells.stream().anyMatch(c -> c.variant().equals(v.wireName())
                    && needed.contains(c.attack()) && c.result().equals(MatrixCell.NOT_RESISTED));
            if (proven && v.knownGap() != null) {
                out.add(v.wireName() + ": now proven necessary by the matrix; FirmwareVariant.knownGap() says otherwise"
                        + " and must go");
            }
            if (!proven && v.knownGap() == null) {
                out.add(v.wireName() + " resisted every attack its missing check exists for (" + String.join(", ", needed)
                        + "): the matrix does not prove the " + v.missingEn() + " necessary");
            }
        }
        return out;
    }

    /** Checks no attack of the measured set proves necessary (a gap in the catalogue, said in the table). */
    public List<String> gaps() {
        List<String> out = new ArrayList<>();
        for (FirmwareVariant v : variants()) {
            if (!v.weakened() || v == FirmwareVariant.NAIVE) {
                continue;
            }
            boolean proven = cells.stream().anyMatch(c -> c.variant().equals(v.wireName())
                    && v.provenBy().contains(c.attack()) && c.result().equals(MatrixCell.NOT_RESISTED));
            if (!proven && v.knownGap() != null) {
                out.add(v.wireName() + ": no attack in the catalogue proves the " + v.missingEn() + " necessary: "
                        + v.knownGap());
            }
        }
        return out;
    }

    private List<FirmwareVariant> variants() {
        Set<String> names = new LinkedHashSet<>();
        cells.forEach(c -> names.add(c.variant()));
        return names.stream().map(FirmwareVariant::fromWireName).toList();
    }

    private List<String> attacks() {
        Set<String> names = new LinkedHashSet<>();
        cells.forEach(c -> names.add(c.attack()));
        return new ArrayList<>(names);
    }

    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), jsonCells());
    }

    private List<Map<String, Object>> jsonCells() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MatrixCell c : cells) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variant", c.variant());
            m.put("attack", c.attack());
            m.put("result", c.result());
            m.put("verdict", c.verdict());
            m.put("check", c.check());
            m.put("reason", c.reason());
            out.add(m);
        }
        return out;
    }

    /** The table without timings or paths: the same for the same results (docs/defence-matrix.html is compared). */
    public String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Defence matrix</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #999;")
                .append("padding:.3em .5em;font-size:.85em;vertical-align:top}th{background:#eee}")
                .append(".resisted{background:#d7f5d7}.not_resisted{background:#f9c9c9;font-weight:bold}")
                .append(".no_attempt{background:#eee;color:#555}.fr{display:none}body.fr .fr{display:inline}body.fr .en{display:none}")
                .append("</style></head>\n<body>\n<p><button onclick=\"document.body.classList.toggle('fr')\">EN / FR</button></p>\n");
        h.append("<h1><span class=\"en\">Defence matrix: every attack against every firmware variant, measured</span>")
                .append("<span class=\"fr\">Matrice des défenses : chaque attaque contre chaque variante du firmware, mesurée</span></h1>\n");
        h.append("<p><span class=\"en\">Each cell is the attacker's judgement of one fresh virtual device's attempt"
                + " (./workbench matrix). <b>secure</b> carries every check; each other variant is the same firmware with"
                + " one check compiled out, for the lab only.</span><span class=\"fr\">Chaque case est le jugement, par"
                + " l'attaquant, de la tentative d'un appareil virtuel neuf (./workbench matrix). <b>secure</b> porte tous les"
                + " contrôles ; chaque autre variante est le même firmware avec un contrôle retiré à la compilation, pour le"
                + " labo seulement.</span></p>\n");
        List<String> attacks = attacks();
        List<FirmwareVariant> variants = variants();
        h.append("<table>\n<tr><th>attack</th>");
        for (FirmwareVariant v : variants) {
            h.append("<th>").append(HtmlText.escape(v.wireName())).append("<br><small><span class=\"en\">")
                    .append(v.weakened() ? "lacks " + HtmlText.escape(v.missingEn()) : "every check")
                    .append("</span><span class=\"fr\">")
                    .append(v.weakened() ? "sans " + HtmlText.escape(v.missingFr()) : "tous les contrôles")
                    .append("</span></small></th>");
        }
        h.append("</tr>\n");
        for (String a : attacks) {
            h.append("<tr><th>").append(HtmlText.escape(a)).append("</th>");
            for (FirmwareVariant v : variants) {
                MatrixCell c = cells.stream().filter(x -> x.attack().equals(a) && x.variant().equals(v.wireName()))
                        .findFirst().orElse(null);
                if (c == null) {
                    h.append("<td></td>");
                    continue;
                }
                h.append("<td class=\"").append(c.result()).append("\" data-cell=\"").append(HtmlText.escape(cellKey(c)))
                        .append("\">").append(label(c.result()));
                if (c.verdict() != null) {
                    h.append("<br><code>").append(HtmlText.escape(c.verdict())).append("</code>");
                }
                h.append("<br><small><span class=\"en\">").append(explainEn(c)).append("</span><span class=\"fr\">")
                        .append(explainFr(c)).append("</span></small></td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        List<String> problems = problems();
        List<String> gaps = gaps();
        h.append("<h2><span class=\"en\">What the matrix proves</span><span class=\"fr\">Ce que prouve la matrice</span></h2>\n<ul>\n");
        for (FirmwareVariant v : variants) {
            if (!v.weakened() || v == FirmwareVariant.NAIVE) {
                continue;
            }
            List<String> through = cells.stream().filter(c -> c.variant().equals(v.wireName())
                    && c.result().equals(MatrixCell.NOT_RESISTED)).map(MatrixCell::attack).toList();
            h.append("<li><b>").append(HtmlText.escape(v.missingEn())).append("</b>: <span class=\"en\">")
                    .append(through.isEmpty() ? "no attack got through without it" : "without it, "
                            + HtmlText.escape(String.join(", ", through)) + " got through")
                    .append("</span><span class=\"fr\">")
                    .append(through.isEmpty() ? "aucune attaque ne passe sans lui" : "sans lui, "
                            + HtmlText.escape(String.join(", ", through)) + " passe(nt)")
                    .append("</span></li>\n");
        }
        h.append("</ul>\n");
        if (!problems.isEmpty() || !gaps.isEmpty()) {
            h.append("<h2><span class=\"en\">Not proven</span><span class=\"fr\">Non prouvé</span></h2>\n<ul>\n");
            for (String p : problems) {
                h.append("<li>").append(HtmlText.escape(p)).append("</li>\n");
            }
            for (String g : gaps) {
                h.append("<li>").append(HtmlText.escape(g)).append(" (a gap in the catalogue)</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** "variant attack result": what a committed matrix is compared on (reasons carry offsets and counts). */
    public static String cellKey(MatrixCell c) {
        return c.variant() + " " + c.attack() + " " + c.result();
    }

    /** The cell keys of a matrix.html written by {@link #html()}. */
    public static Set<String> cellKeys(String html) {
        Set<String> keys = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-cell=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static String label(String result) {
        return switch (result) {
            case MatrixCell.RESISTED -> "<span class=\"en\">RESISTED</span><span class=\"fr\">RÉSISTE</span>";
            case MatrixCell.NOT_RESISTED -> "<span class=\"en\">NOT RESISTED</span><span class=\"fr\">NE RÉSISTE PAS</span>";
            default -> "<span class=\"en\">NO ATTEMPT</span><span class=\"fr\">PAS DE TENTATIVE</span>";
        };
    }

    private static String explainEn(MatrixCell c) {
        return switch (c.result()) {
            case MatrixCell.RESISTED -> "refused" + (c.check() != null ? " at the " + HtmlText.escape(c.check()) + " check" : "");
            case MatrixCell.NOT_RESISTED -> "what the attack changed got through: " + HtmlText.escape(nullToEmpty(c.reason()));
            default -> "the attack never reached this device: " + HtmlText.escape(nullToEmpty(c.reason()));
        };
    }

    private static String explainFr(MatrixCell c) {
        return switch (c.result()) {
            case MatrixCell.RESISTED -> "refusé" + (c.check() != null ? " au contrôle " + HtmlText.escape(c.check()) : "");
            case MatrixCell.NOT_RESISTED -> "ce que l'attaque a changé est passé (verdict "
                    + HtmlText.escape(c.verdict() == null ? "?" : c.verdict()) + ")";
            default -> "l'attaque n'a jamais atteint cet appareil";
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    public void writeHtml(Path file) throws IOException {
        Files.writeString(file, html(), StandardCharsets.UTF_8);
    }
}
