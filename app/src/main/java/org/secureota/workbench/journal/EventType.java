package org.secureota.workbench.journal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one catalogue of journal event types. The timeline, scenario expectations, exports and tests
 * match on these wire names and on the documented fields, never on messages. docs/journal.md lists
 * every constant with its fields; {@code EventTypeDocTest} keeps the two in step.
 *
 * <p>Engineers adding events add a constant at the end of its source's group, with its fields.
 */
public enum EventType {

    // --- workbench: the session itself ---
    /** A lab session opened (fields: folder, device_url, server_url, time_source, capture when it captures). */
    SESSION_OPENED("session.opened", Source.WORKBENCH, "folder", "device_url", "server_url", "time_source", "capture"),
    /** A part of the session failed to open or to close (fields: part, error). */
    SESSION_FAILED("session.failed", Source.WORKBENCH, "part", "error"),
    /** A session listener or device listener threw; the session went on (fields: listener, error). */
    SESSION_LISTENER_ERROR("session.listener_error", Source.WORKBENCH, "listener", "error"),
    /** A command typed at the lab console (fields: command). */
    SESSION_COMMAND("session.command", Source.WORKBENCH, "command"),
    /**
     * The demo was put back where it starts: attacks disarmed, deployments cleared, virtual devices remade
     * factory-fresh with V1 (fields: devices, deployments_cleared, attacks_disarmed).
     */
    SESSION_RESET("session.reset", Source.WORKBENCH, "devices", "deployments_cleared", "attacks_disarmed"),
    /** The session closed; the last event of its journal (fields: devices). */
    SESSION_CLOSED("session.closed", Source.WORKBENCH, "devices"),
    /** The session's loopback addresses: one per device, or only 127.0.0.1 here (fields: per_device, note). */
    SESSION_ADDRESSES("session.addresses", Source.WORKBENCH, "per_device", "note"),
    /** The journal file reached its disk budget; low-value events are summarised from now on (fields: budget_bytes, bytes). */
    JOURNAL_BUDGET_REACHED("journal.budget_reached", Source.WORKBENCH, "budget_bytes", "bytes"),
    /** Low-value events left out since the budget was reached, counted by type (fields: counts, total). */
    JOURNAL_SUMMARY("journal.summary", Source.WORKBENCH, "counts", "total"),

    // --- server ---
    /** The OTA server listens (fields: url, identity, protocols, tls_provider). */
    SERVER_STARTED("server.started", Source.SERVER, "url", "identity", "protocols", "tls_provider"),
    SERVER_STOPPED("server.stopped", Source.SERVER),
    /** A release was deployed to a product or a device (fields: product, device, version). */
    SERVER_DEPLOYMENT("server.deployment", Source.SERVER, "product", "device", "version"),
    /** A release was published into the store (fields: product, version, counter, encrypted). */
    SERVER_RELEASE("server.release", Source.SERVER, "product", "version", "counter", "encrypted"),
    /** A manifest request's outcome (fields: outcome, product, current, version, counter, url, expired, encrypted, encryption). */
    SERVER_MANIFEST("server.manifest", Source.SERVER, "outcome", "product", "current", "version", "counter", "url",
            "expired", "encrypted", "encryption"),
    /** An API key check (fields: outcome, remote, endpoint, claimed_device, ...). */
    SERVER_AUTH("server.auth", Source.SERVER, "outcome", "remote", "endpoint", "claimed_device"),
    /** The server itself failed at something (fields: file). */
    SERVER_ERROR("server.error", Source.SERVER, "file"),
    /** A connection dropped for sending its request too slowly (fields: remote, timeout_ms). */
    SERVER_SLOW_CLIENT("server.slow_client", Source.SERVER, "remote", "timeout_ms"),
    /** A connection closed at once: its address already had its share of connections (fields: remote, max_per_address). */
    SERVER_CONNECTION_LIMIT("server.connection_limit", Source.SERVER, "remote", "max_per_address"),
    /**
     * Alert: failed API key checks from an address (for one claimed device id, or any) reached the limit; its
     * further failures get 429 while a valid key still passes (fields: remote, claimed_device, limited, failures,
     * window_s, retry_after_s).
     */
    SERVER_AUTH_THROTTLED("server.auth_throttled", Source.SERVER, "remote", "claimed_device", "limited", "failures",
            "window_s", "retry_after_s"),
    /**
     * One HTTP exchange; bytes_written counts what the connection wrote (status line, headers, body), range is
     * the request's Range header (fields: remote, method, path, status, bytes_written, duration_ms, tls_protocol,
     * cipher_suite, note, range).
     */
    HTTP_REQUEST("http.request", Source.SERVER, "remote", "method", "path", "status", "bytes_written", "duration_ms",
            "tls_protocol", "cipher_suite", "note", "range", "remote_port"),
    /**
     * A device's report to the server (fields: event, version, reason, bytes_written, bytes_received, total,
     * bytes (older firmware), verdict, running_version, remote).
     */
    DEVICE_REPORT("device.report", Source.SERVER, "event", "version", "reason", "bytes_written", "bytes_received",
            "total", "bytes", "verdict", "running_version", "remote"),

    // --- network: the device-facing side, the lab time source ---
    /** The lab time source listens (fields: address). */
    TIME_STARTED("time.started", Source.NETWORK, "address"),
    /** The time source was shifted (fields: offset_seconds). */
    TIME_OFFSET("time.offset", Source.NETWORK, "offset_seconds"),
    /** An SNTP query was answered (fields: remote, served_unix, offset_seconds). */
    TIME_QUERY("time.query", Source.NETWORK, "remote", "served_unix", "offset_seconds", "device", "queries_since"),
    /** A datagram that was not an SNTP client request (fields: remote, length). */
    TIME_IGNORED("time.ignored", Source.NETWORK, "remote", "length"),
    TIME_STOPPED("time.stopped", Source.NETWORK),
    /**
     * SNTP traffic not journaled one by one since the last summary (fields: answered, not_journaled, refused,
     * senders, window_s).
     */
    TIME_SUMMARY("time.summary", Source.NETWORK, "answered", "not_journaled", "refused", "senders", "window_s"),
    /** The device endpoint listens, forwarding to its upstream. */
    ENDPOINT_STARTED("network.endpoint_started", Source.NETWORK, "address", "upstream", "upstream_address"),
    /** The device endpoint stopped. */
    ENDPOINT_STOPPED("network.endpoint_stopped", Source.NETWORK, "address"),
    /** A device connected to the endpoint; the route, fault and throttle it keeps. */
    CONNECTION_OPENED("network.connection_opened", Source.NETWORK, "connection", "from", "upstream", "upstream_address", "fault", "throttle_bytes_per_second", "device"),
    /** A forwarded connection ended (end: closed, reset, cut, upstream_unreachable, stopped). */
    CONNECTION_CLOSED("network.connection_closed", Source.NETWORK, "connection", "upstream", "end", "bytes_up", "bytes_down", "tls_records_down", "tls_alerts_up", "duration_ms", "fault", "tampered_at", "upstream_port", "device"),
    /** The endpoint forwards new connections elsewhere. */
    ROUTE_CHANGED("network.route_changed", Source.NETWORK, "upstream", "upstream_address", "previous", "open_connections"),
    /** A fault was armed on the endpoint, for new connections. */
    FAULT_ARMED("network.fault_armed", Source.NETWORK, "fault", "open_connections"),
    /** The endpoint's fault was disarmed. */
    FAULT_DISARMED("network.fault_disarmed", Source.NETWORK, "fault", "open_connections"),
    /** A fault acted on a connection (cut, flipped record byte, trickle, extra bytes). */
    FAULT_STRUCK("network.fault_struck", Source.NETWORK, "connection", "fault", "offset"),
    /** The endpoint's download cap changed (0: off). */
    THROTTLE_CHANGED("network.throttle_changed", Source.NETWORK, "bytes_per_second"),
    /** A connection closed as soon as accepted: a cap of the endpoint was reached (at most one per address every 10 s). */
    CONNECTION_REFUSED("network.connection_refused", Source.NETWORK, "remote", "reason", "limit", "refused_total"),

    // --- attacker ---
    /** An attack was armed, with what a secure device must show. */
    ATTACK_ARMED("attacker.armed", Source.ATTACKER, "attack", "surface", "parameters", "expected_verdicts", "stopped_by", "must_not_happen", "needs_restart", "versions"),
    /** An attack was disarmed and what it changed restored. */
    ATTACK_DISARMED("attacker.disarmed", Source.ATTACKER, "attack", "undo_failed"),
    /** The image thief copied a release's served file (result: resisted when the copy holds no plaintext run of 64 bytes). */
    IMAGE_STOLEN("attacker.image_stolen", Source.ATTACKER, "attack", "product", "version", "copy", "bytes", "encrypted", "longest_plaintext_run", "result"),
    /**
     * The attacker judged a device's attempt (ended by the verdict at verdict_seq) against an armed attack, or an
     * image theft (no device); result: resisted, not_resisted, no_attempt. Every field of the Judgement.
     */
    ATTACK_JUDGED("attacker.judged", Source.ATTACKER, "attack", "result", "verdict", "expected_verdicts", "stopped_by",
            "struck", "http_requests", "image_bytes_served", "version_before", "version_after", "reason", "verdict_seq"),
    /** A store attack armed with version=deployed now alters the newly deployed releases (fields: attack, product, versions, previous). */
    ATTACK_RETARGETED("attacker.retargeted", Source.ATTACKER, "attack", "product", "versions", "previous"),

    // --- device: serial link and telemetry ---
    /** A raw line from the device, exactly as received (message = the line; fields: port). */
    SERIAL_RX("serial.rx", Source.DEVICE, "port", "received_ms"),
    /** A raw line sent to the device (message = the line; fields: port). */
    SERIAL_TX("serial.tx", Source.DEVICE, "port"),
    /** The serial port was opened (fields: port, reconnect). */
    DEVICE_CONNECTED("device.connected", Source.DEVICE, "port", "reconnect"),
    /** The serial port closed or vanished (fields: port, reason). */
    DEVICE_DISCONNECTED("device.disconnected", Source.DEVICE, "port", "reason"),
    /**
     * {@code boot} telemetry (fields as in the protocol, plus status_report: true when it answers status; profile
     * and missing_defences when the firmware reports its defence profile, missing_defences empty when it lacks none).
     */
    DEVICE_BOOT("device.boot", Source.DEVICE, "slot", "label", "version", "secure_version", "project",
            "reset_reason", "state", "min_secure_version", "provisioned", "device_id", "status_report", "profile",
            "missing_defences"),
    DEVICE_PARTITIONS("device.partitions", Source.DEVICE, "slots", "partitions"),
    DEVICE_LCD("device.lcd", Source.DEVICE, "rows"),
    DEVICE_LED("device.led", Source.DEVICE, "mode", "period_ms", "duty", "flashes", "flash_ms"),
    DEVICE_SELFTEST("device.selftest", Source.DEVICE, "passed", "detail"),
    DEVICE_APP_STATE("device.app_state", Source.DEVICE, "slot", "state"),
    DEVICE_ERROR("device.error", Source.DEVICE, "code", "message"),
    DEVICE_ACK("device.ack", Source.DEVICE, "cmd"),
    /** OTA progress (fields: phase, bytes, total). */
    OTA_PROGRESS("ota.progress", Source.DEVICE, "phase", "bytes", "total"),
    /** OTA verdict (fields: code, detail, version); match on code. */
    OTA_VERDICT("ota.verdict", Source.DEVICE, "code", "detail", "version"),
    /**
     * How the image of an attempt travelled, before its verdict: encrypted (scheme, key_id) or in plaintext, and
     * whether the device decrypted the whole file (fields: version, encrypted, scheme, key_id, decrypted).
     */
    IMAGE_TRANSPORT("image.transport", Source.DEVICE, "version", "encrypted", "scheme", "key_id", "decrypted"),
    /** A TLS connection of the OTA engine (fields: for, resumed). */
    OTA_TLS("ota.tls", Source.DEVICE, "for", "resumed"),
    /** A line that looked like telemetry but could not be decoded (fields: warning, line). */
    DEVICE_TELEMETRY_WARNING("device.telemetry_warning", Source.DEVICE, "warning", "line"),
    /** A machine line the protocol says to ignore: unknown version or event (fields: reason). */
    DEVICE_TELEMETRY_IGNORED("device.telemetry_ignored", Source.DEVICE, "reason"),
    /** The workbench failed while handling a line (fields: line, error). */
    DEVICE_LINK_ERROR("device.link_error", Source.DEVICE, "line", "error"),

    // --- device: the virtual board's supervisor (board: lines, see device.BoardEvent) ---
    /** A factory-fresh flash was written (fields: flash, app, layout, provisioned). */
    BOARD_FACTORY("board.factory", Source.DEVICE, "flash", "app", "layout", "provisioned", "variant", "missing"),
    /** A command sent to the supervisor's stdin (fields: command). */
    BOARD_COMMAND("board.command", Source.DEVICE, "command"),
    /** The board process started (fields: pid, flash). */
    BOARD_STARTED("board.started", Source.DEVICE, "pid", "flash"),
    /** The board process exited (fields: exit_code). */
    BOARD_EXITED("board.exited", Source.DEVICE, "exit_code"),
    /** A line on the board's stderr: its own failures. */
    BOARD_STDERR("board.stderr", Source.DEVICE),
    BOARD_READY("board.ready", Source.DEVICE, "pty", "link"),
    BOARD_POWER_ON("board.power_on", Source.DEVICE, "reason"),
    BOARD_POWER_OFF("board.power_off", Source.DEVICE, "reason"),
    BOARD_POWER_CUT("board.power_cut", Source.DEVICE, "operation", "cut"),
    BOARD_RESTART("board.restart", Source.DEVICE),
    BOARD_CRASH("board.crash", Source.DEVICE, "cause"),
    BOARD_HALTED("board.halted", Source.DEVICE),
    BOARD_ARMED("board.armed", Source.DEVICE, "fail_after", "cut"),
    BOARD_DISARMED("board.disarmed", Source.DEVICE),
    BOARD_STATUS("board.status", Source.DEVICE, "power", "flash_ops", "armed", "pty"),
    BOARD_ERROR("board.error", Source.DEVICE),
    BOARD_INFO("board.info", Source.DEVICE),

    // --- scenario ---
    /** A demo script started (fields: file, title_en, title_fr, summary_en, summary_fr, mode, steps). */
    SCENARIO_STARTED("scenario.started", Source.SCENARIO, "file", "title_en", "title_fr", "summary_en", "summary_fr",
            "mode", "steps"),
    /** A step began (fields: step, action, description, narration_en, narration_fr, timeout_ms). */
    SCENARIO_STEP_STARTED("scenario.step_started", Source.SCENARIO, "step", "action", "description", "narration_en",
            "narration_fr", "timeout_ms"),
    /** An expectation's final evaluation (fields: step, description, expected, seen, held). */
    SCENARIO_EXPECTATION("scenario.expectation", Source.SCENARIO, "step", "description", "expected", "seen", "held"),
    /** A step passed (fields: step, elapsed_ms). */
    SCENARIO_STEP_PASSED("scenario.step_passed", Source.SCENARIO, "step", "elapsed_ms"),
    /** A step failed, with the device snapshots and last journal events (fields: step, elapsed_ms, reason, last_seen). */
    SCENARIO_STEP_FAILED("scenario.step_failed", Source.SCENARIO, "step", "elapsed_ms", "reason", "last_seen"),
    /** One cut of a power-cut sweep, survived (fields: step, cut, operation, point, version_after). */
    SCENARIO_SWEEP_CUT("scenario.sweep_cut", Source.SCENARIO, "step", "cut", "operation", "point", "version_after"),
    /** A demo script ended (fields: result, passed, failed, elapsed_ms, problem). */
    SCENARIO_FINISHED("scenario.finished", Source.SCENARIO, "result", "passed", "failed", "elapsed_ms", "problem");

    /** The virtual board's supervisor's events ({@code board.ready}, {@code board.power_on}, ...) share this prefix. */
    public static final String BOARD_PREFIX = "board.";

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final Source source;
    private final List<String> fields;

    EventType(String wireName, Source source, String... fields) {
        this.wireName = wireName;
        this.source = source;
        this.fields = List.of(fields);
    }

    /** The stable name in the journal file and in scenario files ({@code device.boot}). */
    public String wireName() {
        return wireName;
    }

    /** The actor that reports it: the timeline's swimlane. */
    public Source source() {
        return source;
    }

    /** The documented field names (an event may leave out those it has no value for). */
    public List<String> fields() {
        return fields;
    }

    /** Whether {@code event} is of this type. */
    public boolean is(JournalEvent event) {
        return wireName.equals(event.type());
    }

    /**
     * A {@code device.boot} that answers the link's status request: the running boot retold, not a new one. A
     * check that counts boots (a reset, a power cut, a device that restarted after an attack was armed) skips it.
     */
    public static boolean isStatusReport(JournalEvent event) {
        return DEVICE_BOOT.is(event) && "true".equals(event.field("status_report").orElse(null));
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
