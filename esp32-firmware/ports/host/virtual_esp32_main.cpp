// virtual-esp32: the command-line face of the virtual board.
//   factory       write a factory-fresh flash file
//   run           power the board on with its UART on a pty, until stopped
//   inspect       print what a flash file holds
//   image         pack a host program as an ESP32 app image / show an image
//   factory-data  build a factory data partition image from files
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board_environment.h"
#include "factory.h"
#include "flash_inspector.h"
#include "secure_ota/app_image.h"
#include "secure_ota/factory_data.h"
#include "supervisor.h"

namespace {

const char* kUsage =
    "usage:\n"
    "  virtual-esp32 factory --flash FILE --app IMAGE [--layout default|two_ota] [--factory-data FILE]\n"
    "  virtual-esp32 run --flash FILE --pty-link PATH [--fail-after N [--cut before|halfway]]\n"
    "                    [--on-stdin-eof continue|quit]\n"
    "  virtual-esp32 inspect --flash FILE\n"
    "  virtual-esp32 image pack --program EXE --version X.Y.Z --secure-version N --project NAME --out IMAGE\n"
    "  virtual-esp32 image info IMAGE\n"
    "  virtual-esp32 factory-data --device-id ID --product NAME --server-url URL --api-key KEY\n"
    "                             --ca-cert PEM --signing-pubkey PEM [--decryption-key PEM]\n"
    "                             [--lcd-lang fr|en] --out FILE\n";

int usage_error(const std::string& msg) {
    std::fprintf(stderr, "virtual-esp32: %s\n%s", msg.c_str(), kUsage);
    return 2;
}

// --key value pairs after the subcommand; false (with a message) on anything else.
bool parse_options(int argc, char** argv, int first, std::map<std::string, std::string>& out, std::string& error) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || i + 1 >= argc) {
            error = "unexpected argument '" + a + "' (options are --name VALUE)";
            return false;
        }
        out[a.substr(2)] = argv[++i];
    }
    return true;
}

bool require(const std::map<std::string, std::string>& o, std::initializer_list<const char*> keys, std::string& error) {
    for (const char* k : keys)
        if (!o.count(k)) {
            error = std::string("missing --") + k;
            return false;
        }
    return true;
}

bool only(const std::map<std::string, std::string>& o, std::initializer_list<const char*> keys, std::string& error) {
    for (const auto& kv : o) {
        bool known = false;
        for (const char* k : keys) known = known || kv.first == k;
        if (!known) {
            error = "unknown option --" + kv.first;
            return false;
        }
    }
    return true;
}

bool read_file(const std::string& path, std::vector<uint8_t>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return true;
}

// `mode` also applies to a file that already exists: factory data holds the API key and may hold
// the product's decryption key, so it is written 0600 even over an older 0644 file.
bool write_file(const std::string& path, const std::vector<uint8_t>& data, mode_t mode = 0644) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return false;
    bool ok = ::fchmod(fd, mode) == 0;
    size_t done = 0;
    while (ok && done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) ok = false;
        else done += size_t(n);
    }
    return ::close(fd) == 0 && ok;
}

// Factory data holds the device's API key (and maybe the product's decryption key): owner-only,
// also when the file already existed with wider permissions.
bool write_secret_file(const std::string& path, const std::vector<uint8_t>& data) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    bool ok = ::fchmod(fd, 0600) == 0;
    size_t done = 0;
    while (ok && done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<size_t>(n);
    }
    return ::close(fd) == 0 && ok;
}

int cmd_factory(const std::map<std::string, std::string>& o) {
    std::string err;
    if (!only(o, {"flash", "app", "layout", "factory-data"}, err) || !require(o, {"flash", "app"}, err))
        return usage_error(err);
    vesp32::FactoryOptions f;
    f.flash_path = o.at("flash");
    f.app_image_path = o.at("app");
    if (o.count("layout")) {
        auto l = secure_ota::parse_layout(o.at("layout"));
        if (!l) return usage_error("--layout must be 'default' (Arduino default.csv) or 'two_ota' (ESP-IDF)");
        f.layout = *l;
    }
    if (o.count("factory-data")) f.factory_data_path = o.at("factory-data");
    return vesp32::write_factory_flash(f);
}

int cmd_run(const std::map<std::string, std::string>& o) {
    std::string err;
    if (!only(o, {"flash", "pty-link", "fail-after", "cut", "on-stdin-eof"}, err) || !require(o, {"flash", "pty-link"}, err))
        return usage_error(err);
    vesp32::SupervisorOptions s;
    s.flash_path = o.at("flash");
    s.pty_link = o.at("pty-link");
    std::string fail_after = o.count("fail-after") ? o.at("fail-after") : "";
    std::string cut = o.count("cut") ? o.at("cut") : "";
    if (fail_after.empty() && std::getenv(vesp32::kEnvFailAfter)) fail_after = std::getenv(vesp32::kEnvFailAfter);
    if (cut.empty() && std::getenv(vesp32::kEnvCutPoint)) cut = std::getenv(vesp32::kEnvCutPoint);
    if (!fail_after.empty()) {
        char* end = nullptr;
        unsigned long n = std::strtoul(fail_after.c_str(), &end, 10);
        if (*end != '\0') return usage_error("--fail-after / VESP32_FAIL_AFTER must be a number of flash operations");
        s.fail_after = static_cast<uint32_t>(n);
    }
    if (!cut.empty() && cut != "before" && cut != "halfway")
        return usage_error("--cut / VESP32_CUT_POINT must be 'before' or 'halfway'");
    s.cut_point = cut == "halfway" ? secure_ota::CutPoint::Halfway : secure_ota::CutPoint::Before;
    if (o.count("on-stdin-eof")) {
        const std::string& eof = o.at("on-stdin-eof");
        if (eof != "continue" && eof != "quit") return usage_error("--on-stdin-eof must be 'continue' or 'quit'");
        s.quit_on_stdin_eof = eof == "quit";
    }
    return vesp32::Supervisor(s).run();
}

int cmd_image(int argc, char** argv) {
    if (argc < 3) return usage_error("image needs 'pack' or 'info'");
    std::string sub = argv[2];
    if (sub == "info") {
        if (argc != 4) return usage_error("image info takes one IMAGE");
        std::vector<uint8_t> bytes;
        if (!read_file(argv[3], bytes)) return usage_error(std::string("cannot read ") + argv[3]);
        secure_ota::MemoryByteSource src(bytes);
        auto v = secure_ota::AppImageVerifier(secure_ota::chip_id::kHost).verify(src);
        if (!v.ok()) {
            std::fprintf(stderr, "virtual-esp32: invalid image: %s: %s\n", to_string(v.error), v.detail.c_str());
            return 1;
        }
        const auto& d = v.info.descriptor;
        std::printf("project %s version %s secure_version %u, %u segments, %u bytes, chip 0x%04X, SHA-256 ok\n",
                    d.project_name.c_str(), d.version.c_str(), d.secure_version,
                    static_cast<unsigned>(v.info.segments.size()), v.info.image_length, v.info.header.chip_id);
        return 0;
    }
    if (sub != "pack") return usage_error("unknown image subcommand '" + sub + "'");
    std::map<std::string, std::string> o;
    std::string err;
    if (!parse_options(argc, argv, 3, o, err) || !only(o, {"program", "version", "secure-version", "project", "out"}, err) ||
        !require(o, {"program", "version", "secure-version", "project", "out"}, err))
        return usage_error(err);
    std::vector<uint8_t> program;
    if (!read_file(o.at("program"), program)) return usage_error("cannot read program '" + o.at("program") + "'");
    secure_ota::AppDescriptor d;
    d.version = o.at("version");
    d.project_name = o.at("project");
    d.secure_version = static_cast<uint32_t>(std::strtoul(o.at("secure-version").c_str(), nullptr, 10));
    d.idf_ver = "virtual-esp32 host";
    d.date = "host build";  // no build date: images are reproducible byte for byte
    d.time = "00:00:00";
    d.app_elf_sha256 = secure_ota::crypto::Sha256::of(program.data(), program.size());
    if (d.version.size() > 31 || d.project_name.size() > 31) return usage_error("version and project are at most 31 bytes");
    auto image = secure_ota::AppImageBuilder::build(d, program, secure_ota::chip_id::kHost);
    if (!write_file(o.at("out"), image)) return usage_error("cannot write '" + o.at("out") + "'");
    return 0;
}

int cmd_factory_data(const std::map<std::string, std::string>& o) {
    std::string err;
    const auto keys = {"device-id", "product", "server-url", "api-key", "ca-cert", "signing-pubkey", "out"};
    if (!only(o, {"device-id", "product", "server-url", "api-key", "ca-cert", "signing-pubkey", "decryption-key", "lcd-lang", "out"}, err) ||
        !require(o, keys, err))
        return usage_error(err);
    secure_ota::FactoryData fd;
    fd.device_id = o.at("device-id");
    fd.product = o.at("product");
    fd.server_url = o.at("server-url");
    fd.api_key = o.at("api-key");
    std::vector<uint8_t> ca, key;
    if (!read_file(o.at("ca-cert"), ca)) return usage_error("cannot read --ca-cert " + o.at("ca-cert"));
    if (!read_file(o.at("signing-pubkey"), key)) return usage_error("cannot read --signing-pubkey " + o.at("signing-pubkey"));
    fd.ca_cert_pem.assign(ca.begin(), ca.end());
    fd.signing_pubkey_pem.assign(key.begin(), key.end());
    if (o.count("decryption-key")) {
        std::vector<uint8_t> dk;
        if (!read_file(o.at("decryption-key"), dk)) return usage_error("cannot read --decryption-key " + o.at("decryption-key"));
        fd.decryption_key_pem.assign(dk.begin(), dk.end());
    }
    if (o.count("lcd-lang")) fd.lcd_lang = o.at("lcd-lang");
    if (!fd.validate(err)) {
        std::fprintf(stderr, "virtual-esp32 factory-data: %s\n", err.c_str());
        return 1;
    }
    if (!write_secret_file(o.at("out"), fd.serialize())) return usage_error("cannot write " + o.at("out"));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage_error("no command given");
    std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::printf("%s", kUsage);
        return 0;
    }
    if (cmd == "image") return cmd_image(argc, argv);
    std::map<std::string, std::string> o;
    std::string err;
    if (!parse_options(argc, argv, 2, o, err)) return usage_error(err);
    if (cmd == "factory") return cmd_factory(o);
    if (cmd == "run") return cmd_run(o);
    if (cmd == "factory-data") return cmd_factory_data(o);
    if (cmd == "inspect") {
        if (!only(o, {"flash"}, err) || !require(o, {"flash"}, err)) return usage_error(err);
        return vesp32::inspect_flash(o.at("flash"));
    }
    return usage_error("unknown command '" + cmd + "'");
}
