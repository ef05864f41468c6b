package app.psyter.patient.ui

import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId

/** Pure date helpers of the booking and appointment screens (unit-tested on the JVM). */
object Days {
    /** How long before the start a consultation can be joined (the core enforces it; the UI only hides the button). */
    val JOIN_EARLY: Duration = Duration.ofMinutes(10)

    /** [items] grouped by their local day in [zone], days and items in time order. */
    fun <T> groupByDay(items: List<T>, zone: ZoneId, start: (T) -> Instant): List<Pair<LocalDate, List<T>>> =
        items.sortedBy(start)
            .groupBy { start(it).atZone(zone).toLocalDate() }
            .toList()

    /** Whether a session from [start] to [end] can be joined at [now]. */
    fun canJoin(start: Instant, end: Instant, now: Instant): Boolean = !now.isBefore(start.minus(JOIN_EARLY)) && now.isBefore(end)
}
