package org.secureota.workbench.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.regex.Pattern;

/**
 * Each product's firmware-decryption key pair, in {@code certs/products/<product>/}: the public half
 * encrypts that product's releases; the private half (mode 0600) is written only into the factory data
 * of the product's devices. The OTA server never opens either file.
 */
public final class ProductKeys {

    public static final String PRIVATE_FILE = "decryption-key.pem";
    public static final String PUBLIC_FILE = "decryption-pub.pem";
    private static final Pattern PRODUCT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** The key types of esp_encrypted_img's two schemes. */
    public enum KeyType { P256, RSA_3072 }

    private final Path certs;

    public ProductKeys(Path certsDirectory) {
        this.certs = certsDirectory.toAbsolutePath().normalize();
    }

    public Path directory(String product) {
        if (product == null || !PRODUCT.matcher(product).matches()) {
            throw new PkiException("'" + product + "' is not a product name: lowercase letters, digits and dashes,"
                    + " at most 32, e.g. shop-display");
        }
        return certs.resolve("products").resolve(product);
    }

    public Path privateKeyFile(String product) {
        return directory(product).resolve(PRIVATE_FILE);
    }

    public Path publicKeyFile(String product) {
        return directory(product).resolve(PUBLIC_FILE);
    }

    /** The products that have a key pair, sorted. */
    public java.util.List<String> products() {
        Path dir = certs.resolve("products");
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> PRODUCT.matcher(n).matches())
                    .filter(this::exists).sorted().toList();
        } catch (IOException e) {
            throw new PkiException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    public boolean exists(String product) {
        return Files.exists(privateKeyFile(product)) && Files.exists(publicKeyFile(product));
    }

    /**
     * Makes the product's key pair. Refuses, writing nothing, when one exists and {@code force} is
     * false: devices already provisioned with the old private key could not open new releases.
     */
    public void create(String product, KeyType type, boolean force) throws IOException {
        if (!force && (Files.exists(privateKeyFile(product)) || Files.exists(publicKeyFile(product)))) {
            throw new PkiException("product '" + product + "' already has a firmware-decryption key in "
                    + directory(product) + ". Replacing it strands every device provisioned with it; use"
                    + " 'pki init --product " + product + " --force' if that is what you want.");
        }
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type == KeyType.P256 ? "EC" : "RSA");
            g.initialize(type == KeyType.P256 ? new ECGenParameterSpec("secp256r1")
                    : new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), new SecureRandom());
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 generates P-256 and RSA-3072 keys", e);
        }
        Files.createDirectories(directory(product));
        PemFiles.writePrivateKey(privateKeyFile(product), pair.getPrivate());
        PemFiles.writePublicKey(publicKeyFile(product), pair.getPublic());
    }

    public PublicKey publicKey(String product) throws IOException {
        requireExists(product);
        return PemFiles.readPublicKey(publicKeyFile(product));
    }

    public PrivateKey privateKey(String product) throws IOException {
        requireExists(product);
        return PemFiles.readPrivateKey(privateKeyFile(product));
    }

    private void requireExists(String product) {
        if (!exists(product)) {
            throw new PkiException("product '" + product + "' has no firmware-decryption key in " + directory(product)
                    + ". Create one with './workbench pki init --product " + product + "' (add --rsa for RSA-3072).");
        }
    }
}
