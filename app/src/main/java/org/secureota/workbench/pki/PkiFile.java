package org.secureota.workbench.pki;

/** Every file of the lab PKI in {@code certs/}, with what it is for. */
public enum PkiFile {
    CA_CERT("ca.pem", false, "lab root CA certificate; the only anchor devices trust"),
    CA_KEY("ca-key.pem", true, "lab root CA private key"),
    SERVER_CERT("server.pem", false, "OTA server TLS certificate, issued by the lab CA"),
    SERVER_KEY("server-key.pem", true, "OTA server TLS private key"),
    ROGUE_CA_CERT("rogue-ca.pem", false, "attacker's CA: same name as the lab CA, other key"),
    ROGUE_CA_KEY("rogue-ca-key.pem", true, "attacker's CA private key"),
    ROGUE_CERT("rogue.pem", false, "attacker's spoofed server certificate: same names as server.pem"),
    ROGUE_KEY("rogue-key.pem", true, "attacker's spoofed server private key"),
    SIGNING_KEY("signing-key.pem", true, "manifest-signing private key (ES256), separate from TLS"),
    SIGNING_PUB("signing-pub.pem", false, "manifest-signing public key, provisioned into devices");

    private final String fileName;
    private final boolean secret;
    private final String description;

    PkiFile(String fileName, boolean secret, String description) {
        this.fileName = fileName;
        this.secret = secret;
        this.description = description;
    }

    public String fileName() {
        return fileName;
    }

    /** Private keys: written 0600, git-ignored, never printed or logged. */
    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }
}
