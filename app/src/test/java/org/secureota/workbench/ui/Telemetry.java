package org.secureota.workbench.ui;

import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.TelemetryCodec;

/** Device snapshots built the way the live link builds them: real telemetry lines through the real codec. */
final class Telemetry {

    static final String BOOT_V1 = "@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\",\"version\":\"1.0.0\","
            + "\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"poweron\",\"state\":\"valid\","
            + "\"min_secure_version\":0,\"provisioned\":true,\"device_id\":\"esp32-lab-01\",\"status_report\":false}";
    static final String PARTITIONS = "@ota1 {\"ev\":\"partitions\",\"table\":["
            + "{\"label\":\"nvs\",\"type\":1,\"subtype\":2,\"kind\":\"data/nvs\",\"offset\":36864,\"size\":20480},"
            + "{\"label\":\"otadata\",\"type\":1,\"subtype\":0,\"kind\":\"data/ota\",\"offset\":57344,\"size\":8192},"
            + "{\"label\":\"app0\",\"type\":0,\"subtype\":16,\"kind\":\"app/ota_0\",\"offset\":65536,\"size\":1310720},"
            + "{\"label\":\"app1\",\"type\":0,\"subtype\":17,\"kind\":\"app/ota_1\",\"offset\":1376256,\"size\":1310720},"
            + "{\"label\":\"spiffs\",\"type\":1,\"subtype\":130,\"kind\":\"data/spiffs\",\"offset\":2686976,\"size\":1433600},"
            + "{\"label\":\"factory_data\",\"type\":64,\"subtype\":0,\"kind\":\"0x40/0x00\",\"offset\":4120576,\"size\":8192}],"
            + "\"otadata\":[{\"seq\":1,\"state\":\"valid\",\"crc_ok\":true,\"valid\":true},"
            + "{\"seq\":null,\"state\":\"undefined\",\"crc_ok\":false,\"valid\":false}],"
            + "\"slots\":[{\"label\":\"app0\",\"slot\":\"ota_0\",\"offset\":65536,\"size\":1310720,\"state\":\"valid\","
            + "\"running\":true,\"next_boot\":true,\"image\":{\"valid\":true,\"version\":\"1.0.0\",\"secure_version\":1,"
            + "\"project\":\"shop-display\"}},{\"label\":\"app1\",\"slot\":\"ota_1\",\"offset\":1376256,\"size\":1310720,"
            + "\"state\":\"undefined\",\"running\":false,\"next_boot\":false,\"image\":{\"valid\":false,"
            + "\"error\":\"bad magic\"}}]}";
    static final String LCD_ALERT = "@ota1 {\"ev\":\"lcd\",\"rows\":[\"ALERTE SÉCURITÉ \",\"HASH INVALID    \"],"
            + "\"cells\":[[65,76,69,82,84,69,32,83,0,67,85,82,73,84,0,32],[72,65,83,72,32,73,78,86,65,76,73,68,32,32,32,32]],"
            + "\"cgram\":[{\"code\":0,\"char\":\"É\",\"bitmap\":[2,4,31,16,30,16,31,0]}]}";
    static final String DOWNLOAD_HALF = "@ota1 {\"ev\":\"ota\",\"phase\":\"download\",\"bytes\":131072,\"total\":262144}";
    static final String VERDICT_HASH = "@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"HASH_MISMATCH\","
            + "\"detail\":\"SHA-256 of the image differs from the signed manifest\",\"version\":\"2.0.0\"}";
    static final String LED_BLINK = "@ota1 {\"ev\":\"led\",\"mode\":\"blink\",\"period_ms\":1000,\"duty\":50}";

    private Telemetry() {
    }

    static DeviceSnapshot device(String... lines) {
        Device d = new Device("esp32-lab-01");
        TelemetryCodec codec = new TelemetryCodec();
        for (String line : lines) {
            d.apply(codec.decode(line));
        }
        return d.snapshot();
    }
}
