package org.secureota.workbench.ui.timeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;

/**
 * The timeline's data: journal events in columns (time, lane, type), the lanes, the filter, and the
 * reduction of a time range to marks on a pixel grid. No JavaFX: a frame of 100,000 events is
 * reduced in one pass over primitive arrays, and tests check it without a screen.
 *
 * <p>Lanes: one per source, except devices, which get one lane each. Events arrive in journal order,
 * so times never decrease and a time range is found by binary search.
 *
 * <p>Memory is bounded by design: per event it keeps only primitive columns (time, lane, type, device,
 * sequence number: 32 bytes), and the events themselves only for the last {@link #DETAIL_WINDOW}
 * once a {@linkplain #readDetailsWith details reader} is set; an older event's fields are read back
 * from the journal when it is clicked. An hour of a busy lab then costs a few megabytes, not the
 * hundreds that 200,000 parsed events with their field maps would.
 *
 * <p>Not thread-safe: the FX thread owns it (the journal pump feeds it once per pulse).
 */
public final class TimelineModel {

    /** A swimlane: a source, and for devices the device id. */
    public record Lane(Source source, String deviceId) {
        public String key() {
            return deviceId == null ? source.wireName() : source.wireName() + ":" + deviceId;
        }
    }

    /**
     * Events that fall within a few pixels of each other on one lane, drawn as one mark.
     *
     * @param lane   lane index
     * @param x      pixel of the first event
     * @param width  pixels from the first to the last event of the mark
     * @param count  events merged into it
     * @param first  index of its first event (for a click)
     */
    public record Mark(int lane, double x, double width, int count, int first) {
    }

    private static final List<Source> LANE_ORDER = List.of(Source.SCENARIO, Source.ATTACKER, Source.NETWORK,
            Source.SERVER, Source.DEVICE, Source.WORKBENCH);

    /** Parsed events kept in memory behind the columns once a details reader is set. */
    public static final int DETAIL_WINDOW = 2_000;

    private long[] nanos = new long[1024];
    private int[] lane = new int[1024];
    private int[] type = new int[1024];
    private int[] device = new int[1024];
    private long[] seq = new long[1024];
    private JournalEvent[] events = new JournalEvent[1024];
    private LongFunction<JournalEvent> detailsReader;
    private final List<String> devices = new ArrayList<>();
    private final Map<String, Integer> deviceIndex = new HashMap<>();
    private int size;
    private int capacity;
    private int start;

    private final List<Lane> lanes = new ArrayList<>();
    private final Map<String, Integer> laneIndex = new HashMap<>();
    private final List<String> types = new ArrayList<>();
    private final Map<String, Integer> typeIndex = new HashMap<>();
    private boolean[] laneShown = new boolean[8];
    private boolean[] typeShown = new boolean[64];
    private String deviceFilterId;
    private int deviceFilter = -1;
    private int[] laneOrder = new int[0];

    /** @param capacity events kept; the oldest go first (the journal file keeps them all) */
    public TimelineModel(int capacity) {
        this.capacity = capacity;
    }

    public TimelineModel() {
        this(200_000);
    }

    /**
     * Reads an event back by its sequence number (the session's journal): from then on only the last
     * {@link #DETAIL_WINDOW} events are kept parsed. Null keeps every event parsed (up to the capacity).
     */
    public void readDetailsWith(LongFunction<JournalEvent> reader) {
        this.detailsReader = reader;
        if (reader != null) {
            for (int i = start; i < start + size - DETAIL_WINDOW; i++) {
                events[i] = null;
            }
        }
    }

    /** Adds a batch of events in journal order. */
    public void addAll(List<JournalEvent> batch) {
        for (JournalEvent e : batch) {
            add(e);
        }
    }

    /**
     * Adds a batch's columns and keeps none of its events parsed: the details reader, which must be set,
     * gives them back (a replay's events come thin, without message or fields).
     */
    public void addColumns(List<JournalEvent> batch) {
        if (detailsReader == null) {
            throw new IllegalStateException("set a details reader before adding columns only");
        }
        for (JournalEvent e : batch) {
            add(e);
            events[start + size - 1] = null;
        }
    }

    public void add(JournalEvent e) {
        if (start + size == nanos.length) {
            compactOrGrow();
        }
        int i = start + size;
        nanos[i] = size > 0 ? Math.max(e.monotonicNanos(), nanos[i - 1]) : e.monotonicNanos();
        lane[i] = laneOf(e);
        type[i] = typeOf(e.type());
        device[i] = deviceOf(e.deviceId());
        seq[i] = e.seq();
        events[i] = e;
        if (detailsReader != null && i - DETAIL_WINDOW >= start) {
            events[i - DETAIL_WINDOW] = null;
        }
        size++;
        if (size > capacity) {
            events[start] = null;
            start++;
            size--;
        }
    }

    private void compactOrGrow() {
        if (start > nanos.length / 2) {
            System.arraycopy(nanos, start, nanos, 0, size);
            System.arraycopy(lane, start, lane, 0, size);
            System.arraycopy(type, start, type, 0, size);
            System.arraycopy(device, start, device, 0, size);
            System.arraycopy(seq, start, seq, 0, size);
            System.arraycopy(events, start, events, 0, size);
            Arrays.fill(events, size, events.length, null);
            start = 0;
        } else {
            int n = nanos.length * 2;
            nanos = Arrays.copyOf(nanos, n);
            lane = Arrays.copyOf(lane, n);
            type = Arrays.copyOf(type, n);
            device = Arrays.copyOf(device, n);
            seq = Arrays.copyOf(seq, n);
            events = Arrays.copyOf(events, n);
        }
    }

    private int deviceOf(String id) {
        if (id == null) {
            return -1;
        }
        Integer i = deviceIndex.get(id);
        if (i != null) {
            return i;
        }
        devices.add(id);
        deviceIndex.put(id, devices.size() - 1);
        return devices.size() - 1;
    }

    private int laneOf(JournalEvent e) {
        Lane l = new Lane(e.source(), e.source() == Source.DEVICE ? e.deviceId() : null);
        Integer i = laneIndex.get(l.key());
        if (i != null) {
            return i;
        }
        int index = lanes.size();
        lanes.add(l);
        laneIndex.put(l.key(), index);
        if (index >= laneShown.length) {
            laneShown = Arrays.copyOf(laneShown, index * 2);
        }
        laneShown[index] = true;
        sortLanes();
        return index;
    }

    private void sortLanes() {
        laneOrder = new int[lanes.size()];
        Integer[] order = new Integer[lanes.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            Lane la = lanes.get(a);
            Lane lb = lanes.get(b);
            int c = Integer.compare(LANE_ORDER.indexOf(la.source()), LANE_ORDER.indexOf(lb.source()));
            return c != 0 ? c : String.valueOf(la.deviceId()).compareTo(String.valueOf(lb.deviceId()));
        });
        for (int row = 0; row < order.length; row++) {
            laneOrder[order[row]] = row;
        }
    }

    private int typeOf(String name) {
        Integer i = typeIndex.get(name);
        if (i != null) {
            return i;
        }
        int index = types.size();
        types.add(name);
        typeIndex.put(name, index);
        if (index >= typeShown.length) {
            typeShown = Arrays.copyOf(typeShown, index * 2);
        }
        typeShown[index] = true;
        return index;
    }

    public int size() {
        return size;
    }

    /** The event at {@code index}: kept in memory, or read back from the journal (null if it cannot be). */
    public JournalEvent event(int index) {
        JournalEvent e = events[start + index];
        return e != null || detailsReader == null ? e : detailsReader.apply(seq[start + index]);
    }

    /** How many parsed events memory holds (the rest are columns only). */
    public int eventsHeld() {
        int n = 0;
        for (int i = start; i < start + size; i++) {
            n += events[i] != null ? 1 : 0;
        }
        return n;
    }

    public List<Lane> lanes() {
        return List.copyOf(lanes);
    }

    /** The row a lane is drawn on: scenario, attacker, network, server, devices, workbench. */
    public int row(int laneIndex) {
        return laneOrder[laneIndex];
    }

    public List<String> types() {
        return List.copyOf(types);
    }

    /** Time of the first event (ns since the journal opened); 0 when empty. */
    public long firstNanos() {
        return size == 0 ? 0 : nanos[start];
    }

    public long lastNanos() {
        return size == 0 ? 0 : nanos[start + size - 1];
    }

    // ---- filter ----

    public void showSource(Source source, boolean shown) {
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).source() == source) {
                laneShown[i] = shown;
            }
        }
    }

    public void showType(String typeName, boolean shown) {
        typeShown[typeOf(typeName)] = shown;
    }

    /** Shows only the types that contain {@code text} (all when blank). */
    public void filterTypes(String text) {
        String t = text == null ? "" : text.trim();
        for (int i = 0; i < types.size(); i++) {
            typeShown[i] = t.isEmpty() || types.get(i).contains(t);
        }
    }

    /** Shows only events of this device (null for every device); lanes of other sources stay. */
    public void filterDevice(String deviceId) {
        this.deviceFilterId = deviceId;
        if (deviceId == null) {
            this.deviceFilter = -1;
        } else {
            Integer i = deviceIndex.get(deviceId);
            // A device not seen yet: remember it, so that its events are the ones shown when they come.
            this.deviceFilter = i != null ? i : deviceOf(deviceId);
        }
    }

    public boolean shown(int index) {
        int i = start + index;
        if (!laneShown[lane[i]] || !typeShown[type[i]]) {
            return false;
        }
        return deviceFilter < 0 || device[i] < 0 || device[i] == deviceFilter;
    }

    // ---- reduction ----

    /** Index of the first event at or after {@code t}. */
    public int indexAt(long t) {
        int lo = start;
        int hi = start + size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nanos[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - start;
    }

    /**
     * The marks of the shown events between {@code from} and {@code to} on a row of {@code width}
     * pixels: on each lane, events less than {@code mergePx} pixels after the previous mark's last
     * event join that mark. At most about width / mergePx marks a lane, whatever the event count.
     */
    public List<Mark> reduce(long from, long to, double width, double mergePx) {
        List<Mark> marks = new ArrayList<>();
        if (size == 0 || to <= from || width <= 0) {
            return marks;
        }
        double scale = width / (to - from);
        int n = lanes.size();
        double[] markX = new double[n];
        double[] lastX = new double[n];
        int[] count = new int[n];
        int[] first = new int[n];
        int end = indexAt(to + 1);
        for (int k = indexAt(from); k < end; k++) {
            if (!shown(k)) {
                continue;
            }
            int i = start + k;
            int l = lane[i];
            double x = (nanos[i] - from) * scale;
            if (count[l] > 0 && x - lastX[l] < mergePx) {
                count[l]++;
                lastX[l] = x;
                continue;
            }
            if (count[l] > 0) {
                marks.add(new Mark(l, markX[l], lastX[l] - markX[l], count[l], first[l]));
            }
            markX[l] = x;
            lastX[l] = x;
            count[l] = 1;
            first[l] = k;
        }
        for (int l = 0; l < n; l++) {
            if (count[l] > 0) {
                marks.add(new Mark(l, markX[l], lastX[l] - markX[l], count[l], first[l]));
            }
        }
        return marks;
    }

    /** The shown event of {@code laneIndex} nearest to time {@code t}, within {@code tolerance} ns. */
    public Optional<JournalEvent> nearest(int laneIndex, long t, long tolerance) {
        int k = indexAt(t - tolerance);
        int end = indexAt(t + tolerance + 1);
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (; k < end; k++) {
            int i = start + k;
            if (lane[i] != laneIndex || !shown(k)) {
                continue;
            }
            long d = Math.abs(nanos[i] - t);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best < 0 ? Optional.empty() : Optional.ofNullable(event(best));
    }

    /**
     * Drops the lanes of the devices {@code gone} (and their events): a device that left the session has no lane.
     * Returns whether anything was dropped.
     */
    public boolean dropDevices(java.util.Collection<String> gone) {
        int[] newIndex = new int[lanes.size()];
        List<Lane> kept = new ArrayList<>();
        boolean dropped = false;
        for (int l = 0; l < lanes.size(); l++) {
            Lane la = lanes.get(l);
            if (la.source() == org.secureota.workbench.journal.Source.DEVICE && gone.contains(la.deviceId())) {
                newIndex[l] = -1;
                dropped = true;
            } else {
                newIndex[l] = kept.size();
                kept.add(la);
            }
        }
        if (!dropped) {
            return false;
        }
        boolean[] shown = new boolean[Math.max(8, kept.size() * 2)];
        for (int l = 0; l < lanes.size(); l++) {
            if (newIndex[l] >= 0) {
                shown[newIndex[l]] = laneShown[l];
            }
        }
        int to = 0;
        for (int i = start; i < start + size; i++) {
            int l = newIndex[lane[i]];
            if (l < 0) {
                continue;
            }
            nanos[to] = nanos[i];
            lane[to] = l;
            type[to] = type[i];
            device[to] = device[i];
            seq[to] = seq[i];
            events[to] = events[i];
            to++;
        }
        Arrays.fill(events, to, events.length, null);
        start = 0;
        size = to;
        lanes.clear();
        lanes.addAll(kept);
        laneIndex.clear();
        for (int l = 0; l < kept.size(); l++) {
            laneIndex.put(kept.get(l).key(), l);
        }
        laneShown = shown;
        sortLanes();
        return true;
    }

    public void clear() {
        Arrays.fill(events, null);
        size = 0;
        start = 0;
        lanes.clear();
        laneIndex.clear();
        laneOrder = new int[0];
        devices.clear();
        deviceIndex.clear();
        filterDevice(deviceFilterId);
    }
}
