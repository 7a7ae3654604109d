package io.coxswain.commands.shape;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time when the executor may start an operation that restarts pods or moves data, as a person
 * writes it: {@code DAYS HH:MM-HH:MM} in UTC, DAYS being {@code daily}, a day ({@code Tue}), a range
 * ({@code Mon-Fri}, {@code Fri-Mon} wraps) or a list ({@code Sat,Sun}, {@code Mon,Wed-Fri}); an end
 * before the start runs past midnight into the next day ({@code Fri 22:00-02:00} is Friday night).
 * Always UTC, written or not: a cluster's windows must not move with an executor's time zone or a
 * daylight-saving change. Pure: DECIDE checks the form, the executor asks {@link #open} with its clock.
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    public static final int MAX_WINDOWS = 20;
    public static final String FORM = "'DAYS HH:MM-HH:MM' in UTC, DAYS being daily, Mon, Mon-Fri or Sat,Sun, e.g. 'Tue,Thu 02:00-05:00'";
    private static final Pattern WINDOW = Pattern.compile("(\\S+) (\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})(?: UTC)?");
    private static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    /** The window {@code text} describes; empty when it does not have the {@link #FORM}. */
    public static Optional<MaintenanceWindow> parse(String text) {
        Matcher m = WINDOW.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Set<DayOfWeek>> days = days(m.group(1).toLowerCase(Locale.ROOT));
        Optional<LocalTime> start = time(m.group(2), m.group(3));
        Optional<LocalTime> end = time(m.group(4), m.group(5));
        if (days.isEmpty() || start.isEmpty() || end.isEmpty() || start.get().equals(end.get())) {
            return Optional.empty();
        }
        return Optional.of(new MaintenanceWindow(days.get(), start.get(), end.get()));
    }

    /** Adds a violation of {@code field} per window that has not the {@link #FORM}, and for more than {@link #MAX_WINDOWS}. */
    public static void check(List<String> windows, String field, List<Violation> v) {
        if (windows.size() > MAX_WINDOWS) {
            v.add(new Violation(field, "must be at most " + MAX_WINDOWS + " windows, got " + windows.size()));
        }
        for (int i = 0; i < windows.size(); i++) {
            if (parse(windows.get(i)).isEmpty()) {
                v.add(new Violation(field + "[" + i + "]", "must be " + FORM + ", with different start and end times; got '" + windows.get(i) + "'"));
            }
        }
    }

    /** Whether an operation may start at {@code now}: no windows (any time), or inside one of them. */
    public static boolean open(List<String> windows, Instant now) {
        return windows.isEmpty() || windows.stream().map(MaintenanceWindow::parse).flatMap(Optional::stream).anyMatch(w -> w.contains(now));
    }

    /** When the first of {@code windows} to open after {@code now} opens. */
    public static Optional<Instant> nextOpening(List<String> windows, Instant now) {
        return windows.stream().map(MaintenanceWindow::parse).flatMap(Optional::stream).map(w -> w.nextStart(now)).min(Instant::compareTo);
    }

    public boolean contains(Instant t) {
        ZonedDateTime at = t.atZone(ZoneOffset.UTC);
        LocalTime time = at.toLocalTime();
        DayOfWeek day = at.getDayOfWeek();
        if (start.isBefore(end)) {
            return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
        }
        // past midnight: the evening of one of its days, or the small hours after one
        return days.contains(day) && !time.isBefore(start) || days.contains(day.minus(1)) && time.isBefore(end);
    }

    /** The first start of this window after {@code t}. */
    public Instant nextStart(Instant t) {
        LocalDate date = t.atZone(ZoneOffset.UTC).toLocalDate();
        for (int i = 0; i <= 7; i++) {
            Instant candidate = date.plusDays(i).atTime(start).toInstant(ZoneOffset.UTC);
            if (days.contains(date.plusDays(i).getDayOfWeek()) && candidate.isAfter(t)) {
                return candidate;
            }
        }
        throw new IllegalStateException("a window with days " + days + " starts within a week"); // days is never empty
    }

    private static Optional<Set<DayOfWeek>> days(String text) {
        if (text.equals("daily")) {
            return Optional.of(EnumSet.allOf(DayOfWeek.class));
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2 || !DAY_NAMES.contains(range[0]) || !DAY_NAMES.contains(range[range.length - 1])) {
                return Optional.empty();
            }
            DayOfWeek from = DayOfWeek.of(DAY_NAMES.indexOf(range[0]) + 1);
            DayOfWeek to = DayOfWeek.of(DAY_NAMES.indexOf(range[range.length - 1]) + 1);
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return Optional.of(days);
    }

    private static Optional<LocalTime> time(String hours, String minutes) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        return h < 24 && m < 60 ? Optional.of(LocalTime.of(h, m)) : Optional.empty();
    }
}
