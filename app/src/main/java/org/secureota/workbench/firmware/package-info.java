/**
 * ESP32 firmware formats and signed releases, byte-exact with ESP-IDF (see
 * {@code docs/architecture.md}, "Where each concept lives", and {@code docs/manifest.md}).
 *
 * <ul>
 *   <li><b>App images</b>: {@link org.secureota.workbench.firmware.AppImage} reads and checks an image
 *       (header, segments, checksum, appended SHA-256, {@link org.secureota.workbench.firmware.AppDescriptor}),
 *       reporting every {@link org.secureota.workbench.firmware.ImageProblem} with its offset and field;
 *       {@link org.secureota.workbench.firmware.AppImageBuilder} writes valid ones.</li>
 *   <li><b>Flash layouts</b>: {@link org.secureota.workbench.firmware.PartitionTable} (binary with MD5
 *       record, and CSV), {@link org.secureota.workbench.firmware.OtaData} (two sectors, active entry,
 *       boot slot, rollback), and {@link org.secureota.workbench.firmware.FlashImage}, a read-only view
 *       of a whole flash dump for the GUI and {@code firmware partitions}.</li>
 *   <li><b>Signed manifests</b>: {@link org.secureota.workbench.firmware.Manifest} (the payload),
 *       {@link org.secureota.workbench.firmware.ManifestSigner} (JWS ES256),
 *       {@link org.secureota.workbench.firmware.ManifestVerifier} (accepts, or refuses with a stable
 *       {@link org.secureota.workbench.firmware.ManifestRefusal} code and a reason).</li>
 *   <li><b>Encrypted images</b>: {@link org.secureota.workbench.firmware.ImageCipher} reads and writes Espressif's
 *       esp_encrypted_img format ({@link org.secureota.workbench.firmware.EncryptedImageHeader}, ECIES-P256 and
 *       RSA-3072, {@code docs/encrypted-image.md}), refusing with a stable
 *       {@link org.secureota.workbench.firmware.DecryptionRefusal}; a format-2 manifest binds the served file
 *       ({@link org.secureota.workbench.firmware.ManifestEncryption}).</li>
 *   <li><b>Release store</b>: {@link org.secureota.workbench.firmware.ReleaseStore} publishes an image
 *       with its manifest and looks releases up for the OTA server
 *       ({@link org.secureota.workbench.firmware.ReleaseStore#byFileName}, an allow-list lookup).</li>
 * </ul>
 *
 * Every value here is immutable (records, unmodifiable lists, defensive copies of byte arrays), so
 * the GUI can hold and draw them from any thread. Nothing here does network I/O.
 */
package org.secureota.workbench.firmware;
