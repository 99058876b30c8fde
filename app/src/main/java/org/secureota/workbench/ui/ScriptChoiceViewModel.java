package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The chooser's rows, in the order of {@code scripts}, each to the script it runs. */
    public static Map<String, Path> labels(List<Path> scripts, Language language) {
        Map<String, Path> byLabel = new LinkedHashMap<>();
        for (Path p : scripts) {
            String label;
            try {
                var script = ScenarioRun.reader().read(p);
                label = script.title().in(language) + " — " + Notifier.oneLine(script.summary().in(language));
            } catch (ScriptException | RuntimeException e) {
                label = p.getFileName().toString();
            }
            byLabel.put(label, p);
        }
        return byLabel;
    }

    /** The script language of a window language: French for French, English otherwise. */
    public static Language language(java.util.Locale locale) {
        return locale.getLanguage().equals("fr") ? Language.FR : Language.EN;
    }
}
