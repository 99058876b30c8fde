package org.secureota.workbench.attack;

import java.util.Map;

/** What each attack puts in a device's way, as the judgements name it ("the flipped byte"). */
final class Nouns {

    private static final Map<String, String> NOUNS = Map.ofEntries(
            Map.entry("rogue-server", "the rogue server"),
            Map.entry("wrong-host-cert", "the server with another host's certificate"),
            Map.entry("expired-cert", "the shifted clock"),
            Map.entry("flipped-byte", "the flipped byte"),
            Map.entry("resealed-image", "the resealed image"),
            Map.entry("truncated-image", "the truncated image"),
            Map.entry("padded-image", "the padded image"),
            Map.entry("tampered-record", "the tampered TLS record"),
            Map.entry("dropped-connection", "the dropped connection"),
            Map.entry("slow-retrieval", "the trickled download"),
            Map.entry("endless-data", "the endless image"),
            Map.entry("replayed-manifest", "the replayed manifest"),
            Map.entry("downgrade", "the downgrade manifest"),
            Map.entry("freeze", "the expired manifest"),
            Map.entry("wrong-signing-key", "the manifest signed with the attacker's key"),
            Map.entry("alg-confusion", "the manifest with a confused algorithm"),
            Map.entry("mix-and-match", "the other product's manifest"),
            Map.entry("steal-image", "the image theft"),
            Map.entry("time-forward", "the clock pushed forward"));

    private Nouns() {
    }

    static String of(String attackId) {
        return NOUNS.getOrDefault(attackId, "the attack");
    }
}
