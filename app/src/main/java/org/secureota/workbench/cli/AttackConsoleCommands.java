package org.secureota.workbench.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.secureota.workbench.attack.ArmedAttack;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackException;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.ExpectedOutcome;
import org.secureota.workbench.attack.ParameterSpec;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The attacker's commands of {@code ./workbench lab}: {@code attacks}, {@code arm ID [param=value...]},
 * {@code disarm ID} and {@code judge ID DEVICE}, and every judgement the attacker publishes. Arming and disarming may start a server or rewrite a
 * file: they run off the console's thread, and the console waits for them to be done before the next
 * line, so a scripted "arm" always precedes the "check" that follows it.
 */
final class AttackConsoleCommands {

    /** How long 'judge' waits for the judge to settle on the device's last attempt. */
    private static final Duration JUDGING_WAIT = Duration.ofSeconds(10);

    private AttackConsoleCommands() {
    }

    static void registerInto(LabConsole console) {
        Attacker attacker = console.session().attacker();
        console.register("attacks", "attacks", "lists the attacks, their parameters and expected verdicts, and"
                + " which are armed", (args, c) -> {
                    if (!args.isEmpty()) {
                        throw new UsageException("'attacks' takes no words.");
                    }
                    list(c, attacker);
                });
        console.register("arm", "arm ID [param=value...]", "arms an attack (see 'attacks'); it acts on the next"
                + " connection, check or boot", (args, c) -> {
                    if (args.isEmpty()) {
                        throw new UsageException("Name the attack to arm.");
                    }
                    String id = args.get(0);
                    Map<String, String> parameters = parameters(args.subList(1, args.size()));
                    refuseUnknown(id);
                    later(c, () -> {
                        ArmedAttack a = attacker.arm(id, parameters);
                        ExpectedOutcome e = a.expected();
                        return "armed " + id + (a.parameters().values().isEmpty() ? "" : " (" + a.parameters() + ")")
                                + ": " + a.description()
                                + "\n  a secure device shows " + String.join(" or ", new TreeSet<>(e.verdicts()))
                                + " (check: " + e.stoppedBy().wireName() + ")"
                                + (e.needsRestart() ? "; restart the device (reset ID) before its check" : "");
                    });
                });
        console.register("disarm", "disarm ID", "undoes an armed attack, restoring everything it changed", (args, c) -> {
            if (args.size() != 1) {
                throw new UsageException("Name the one attack to disarm.");
            }
            refuseUnknown(args.get(0));
            later(c, () -> attacker.disarm(args.get(0)));
        });
        console.register("judge", "judge ID DEVICE", "shows the attacker's last judgement of the device's attempt against"
                + " the attack: resisted, not resisted, or no attempt (each judgement is also printed as it is made)",
                (args, c) -> {
                    if (args.size() != 2) {
                        throw new UsageException("Name the attack and the device.");
                    }
                    refuseUnknown(args.get(0));
                    // The judge settles a moment after a verdict: 'wait ID' returns on the verdict, and a 'judge'
                    // right after it read "no attempt" while the attempt's judgement was on its way.
                    long lastVerdict = console.session().journal().events(EventType.OTA_VERDICT, args.get(1), 0).stream()
                            .mapToLong(JournalEvent::seq).max().orElse(0);
                    long deadline = System.nanoTime() + JUDGING_WAIT.toNanos();
                    try {
                        while (!attacker.judgedThrough(lastVerdict) && System.nanoTime() < deadline) {
                            attacker.awaitJudgement(args.get(0), args.get(1), lastVerdict - 1, Duration.ofMillis(200));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (!attacker.judgedThrough(lastVerdict)) {
                        c.println(args.get(1) + "'s last attempt is not judged yet: ask again in a moment");
                        return;
                    }
                    c.println(attacker.latest(args.get(0), args.get(1)).map(j -> "judged " + j.summary())
                            .orElse(args.get(1) + " has made no attempt judged against " + args.get(0) + " in this"
                                    + " session: arm it, then 'check " + args.get(1) + "'"));
                });
        // The attacker judges every attempt made while an attack is armed; the console shows each judgement.
        console.session().onJudgement(j -> console.println("judged " + j.summary()));
    }

    private static void refuseUnknown(String id) {
        try {
            AttackCatalog.require(id);
        } catch (AttackException e) {
            throw new UsageException(e.getMessage() + ".");
        }
    }

    /** {@code offset=100 repeat=every} into a map; a word without '=' is refused by name. */
    static Map<String, String> parameters(List<String> words) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("'" + w + "' is not a parameter: write name=value, e.g. offset=100.");
            }
            if (p.put(w.substring(0, eq), w.substring(eq + 1)) != null) {
                throw new UsageException("parameter '" + w.substring(0, eq) + "' is given twice.");
            }
        }
        return p;
    }

    /**
     * Runs {@code work} off the console's thread and prints its outcome; waits for it (as
     * {@link LabConsole#report} does) so that the next line ("check all") meets the attack armed.
     */
    private static void later(LabConsole c, Supplier<String> work) {
        CompletableFuture<String> f = CompletableFuture.supplyAsync(work);
        try {
            f.get(LabConsole.HAND_OVER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException slow) {
            c.println("(still in progress; its outcome is printed when it arrives)");
        } catch (ExecutionException failed) {
            // printed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        f.whenComplete((text, failure) -> {
            if (failure == null) {
                c.println(text);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                c.println("error: " + cause.getMessage());
            }
        });
    }

    private static void list(LabConsole c, Attacker attacker) {
        Locale locale = Locale.getDefault().getLanguage().equals("fr") ? Locale.FRENCH : Locale.ENGLISH;
        for (Attack a : AttackCatalog.all()) {
            ExpectedOutcome e = a.expected(a.defaults());
            StringBuilder params = new StringBuilder();
            for (ParameterSpec p : a.parameters()) {
                params.append(' ').append(p.name()).append('=').append(p.defaultValue());
            }
            c.println(String.format("  %-19s %-7s %-28s expects %s%s%s", a.id(), a.surface().wireName(),
                    a.title(locale), String.join("|", new TreeSet<>(e.verdicts())),
                    params.isEmpty() ? "" : ";" + params,
                    attacker.armed(a.id()).isPresent() ? "  [ARMED]" : ""));
        }
        c.println("  ('./workbench attack list' explains each one)");
    }
}
