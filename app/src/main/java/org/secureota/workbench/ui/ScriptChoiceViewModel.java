package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.scenario.Language;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.ScriptException;

/**
 * What the script chooser (Scenario > Play / Step through) lists: each script by its title and summary in the
 * window's language. A script that does not parse is listed by its file name, and running it reports its
 * file:line:column problems. No screen needed.
 */
public final class ScriptChoiceViewModel {

    private ScriptChoiceViewModel() {
    }

    /**
     * One row of the chooser: the script's title and summary in the window's language (the summary whole, on one
     * line; the chooser wraps it), and the file it runs. A script that does not parse has its file name as
     * title and no summary.
     */
    public record Row(String title, String summary, Path file) {
    }

    /** The chooser's rows, in the order of {@code scripts}. */
    public static List<Row> rows(List<Path> scripts, Language language) {
        List<Row> rows = new ArrayList<>();
        for (Path p : scripts) {
            Row row;
            try {
                var script = ScenarioRun.reader().read(p);
                // Whole, on one line: the chooser wraps it to its width.
                row = new Row(script.title().in(language), script.summary().in(language).replaceAll("\\s+", " ").trim(), p);
            } catch (ScriptException | RuntimeException e) {
                row = new Row(p.getFileName().toString(), "", p);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The script language of a window language: French for French, English otherwise. */
    public static Language language(java.util.Locale locale) {
        return locale.getLanguage().equals("fr") ? Language.FR : Language.EN;
    }
}
