package app.psyter.patient

import app.psyter.patient.ui.Days
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test

/** Slots grouped by the user's local day, and the join window. */
class DaysTest {
    private val riyadh = ZoneId.of("Asia/Riyadh") // UTC+3, no DST
    private val newYork = ZoneId.of("America/New_York")

    /** The same instants fall on different local days in Riyadh and New York. */
    @Test
    fun slotsAreGroupedByTheLocalDayInTheUsersZone() {
        val lateEvening = Instant.parse("2026-10-05T20:30:00Z") // 23:30 in Riyadh, 16:30 in New York
        val afterMidnight = Instant.parse("2026-10-05T21:30:00Z") // 00:30 the next day in Riyadh
        val morning = Instant.parse("2026-10-05T06:00:00Z")
        val slots = listOf(afterMidnight, lateEvening, morning)

        val inRiyadh = Days.groupByDay(slots, riyadh) { it }
        assertEquals(listOf(LocalDate.of(2026, 10, 5), LocalDate.of(2026, 10, 6)), inRiyadh.map { it.first })
        assertEquals(listOf(morning, lateEvening), inRiyadh[0].second)
        assertEquals(listOf(afterMidnight), inRiyadh[1].second)

        val inNewYork = Days.groupByDay(slots, newYork) { it }
        assertEquals(listOf(LocalDate.of(2026, 10, 5)), inNewYork.map { it.first })
        assertEquals(listOf(morning, lateEvening, afterMidnight), inNewYork[0].second)
    }

    /** The repeated hour at the end of DST stays on one local day. */
    @Test
    fun aDstChangeDoesNotSplitOrMergeDays() {
        // New York leaves DST on 2026-11-01: 05:30Z is 01:30 EDT, 06:30Z is 01:30 EST, same local day.
        val slots = listOf(Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-01T06:30:00Z"))
        val days = Days.groupByDay(slots, newYork) { it }
        assertEquals(1, days.size)
        assertEquals(LocalDate.of(2026, 11, 1), days[0].first)
    }

    /** No slots give no day headings. */
    @Test
    fun noSlotsNoDays() {
        assertTrue(Days.groupByDay(emptyList<Instant>(), riyadh) { it }.isEmpty())
    }

    /** The join button shows from ten minutes before the start until the end. */
    @Test
    fun joinOpensTenMinutesBeforeTheStartAndClosesAtTheEnd() {
        val start = Instant.parse("2026-10-05T10:00:00Z")
        val end = Instant.parse("2026-10-05T10:50:00Z")
        assertFalse(Days.canJoin(start, end, Instant.parse("2026-10-05T09:49:59Z")))
        assertTrue(Days.canJoin(start, end, Instant.parse("2026-10-05T09:50:00Z")))
        assertTrue(Days.canJoin(start, end, Instant.parse("2026-10-05T10:49:59Z")))
        assertFalse(Days.canJoin(start, end, end))
    }
}
