package org.secureota.workbench.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.HexFormat;
import org.secureota.workbench.firmware.DecryptionException;
import org.secureota.workbench.firmware.ImageCipher;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.ProductKeys;

/**
 * The image thief: it copies the file the server serves for a release, exactly as served, and measures how
 * much of the built image the copy holds. It reads the store's served file rather than downloading it
 * through the device endpoint with a leaked device key: the server sends that file byte for byte, so the
 * copy is the same, and a download would add requests and image bytes to the journal that the judgements
 * of the devices' own attempts would then count. Nothing in the store changes.
 *
 * <p>To know the plaintext, the workbench (not the thief) decrypts the copy with the product key it holds,
 * and checks the result against the signed manifest's SHA-256, so the comparison is made with the very
 * image the release was built from.
 */
final class ImageTheft {

    private ImageTheft() {
    }

    static Attack.ArmedChange steal(AttackTarget t, AttackParameters p) throws Exception {
        if (t.sessionFolder() == null) {
            throw new AttackException("steal-image keeps its copy in the session folder, and this lab has none;"
                    + " arm it in a lab session ('./workbench lab' or the GUI)");
        }
        Release r = StoreEdit.offered(t, "steal-image", p);
        byte[] copy = Files.readAllBytes(r.imageFile());
        byte[] plaintext = plaintextOf(t, r, copy);
        Path folder = t.sessionFolder().resolve("stolen");
        LabFolder.ensurePrivateDirectory(folder); // inside the session folder, owner only like it
        Path kept = folder.resolve(r.imageFileName());
        // The copy is kept for the student to open; it is as public as the server made it.
        AtomicFiles.write(kept, copy, AtomicFiles.PUBLIC_READ);
        StolenImage stolen = new StolenImage(r.product(), r.version(), kept, copy.length, r.encrypted(),
                plaintext.length, PlaintextRuns.longest(copy, plaintext));
        // Disarming leaves the store as it was (it was only read) and keeps the copy: it is the evidence.
        return new Attack.ArmedChange(stolen.evidence(), () -> { }, stolen);
    }

    private static byte[] plaintextOf(AttackTarget t, Release r, byte[] served) throws IOException {
        byte[] plaintext = served;
        if (r.encrypted()) {
            ProductKeys keys = new ProductKeys(t.pki().directory());
            if (!keys.exists(r.product())) {
                throw new AttackException("steal-image: " + r.product() + " " + r.version() + " is encrypted, but the"
                        + " workbench holds no decryption key for " + r.product() + " in " + keys.directory(r.product())
                        + ", so it cannot tell how much of the image the copy reveals");
            }
            PrivateKey key = keys.privateKey(r.product());
            try {
                plaintext = ImageCipher.decrypt(served, key, r.encryption().keyId());
            } catch (DecryptionException e) {
                throw new AttackException("steal-image: the served file of " + r.product() + " " + r.version()
                        + " does not decrypt with the product key (" + e.getMessage() + "); disarm the other store"
                        + " attack or republish the release");
            }
        }
        if (!sha256(plaintext).equalsIgnoreCase(r.sha256())) {
            throw new AttackException("steal-image: the " + (r.encrypted() ? "decrypted" : "served") + " image of "
                    + r.product() + " " + r.version() + " does not match its manifest's SHA-256, so it is not the"
                    + " built image; disarm the other store attack or republish the release");
        }
        return plaintext;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
