import java.nio.file.Files;
import java.nio.file.Path;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;

/**
 * Writes a minimal valid app image (host chip id) for the benchmark, so that it can publish a real
 * release through './workbench firmware publish'. Run with Java's single-file launcher:
 *
 *   java -cp "target/secure-ota-workbench.jar:target/lib/*" bench/MakeImage.java OUT PRODUCT VERSION
 */
public final class MakeImage {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: MakeImage OUT PRODUCT VERSION");
            System.exit(2);
        }
        byte[] image = AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(AppDescriptor.of(args[1], args[2], 1))
                .rodata(new byte[1024])
                .build();
        Files.write(Path.of(args[0]), image);
    }
}
