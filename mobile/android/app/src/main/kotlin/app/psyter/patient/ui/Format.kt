package app.psyter.patient.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.platform.LocalConfiguration
import java.math.BigDecimal
import java.text.NumberFormat
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.FormatStyle
import java.time.format.TextStyle
import java.util.Currency
import java.util.Locale

/** The zone the user reads times in: the account's time zone once known, else the device's. */
val LocalUserZone = staticCompositionLocalOf<ZoneId> { ZoneId.systemDefault() }

/** Dates, times, prices and ratings for one locale and zone (numbers in the locale's digits). */
class Formats(private val locale: Locale, val zone: ZoneId) {
    private val dayFormat = DateTimeFormatter.ofPattern("EEEE d MMMM", locale)
    private val timeFormat = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(locale).withZone(zone)
    private val dateTimeFormat =
        DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale).withZone(zone)

    /** A day heading, e.g. "Monday 6 October". */
    fun day(date: LocalDate): String = dayFormat.format(date)

    /** A time of day in [zone], e.g. "14:30". */
    fun time(instant: Instant): String = timeFormat.format(instant)

    /** A date and time in [zone]. */
    fun dateTime(instant: Instant): String = dateTimeFormat.format(instant)

    /** The zone's name, e.g. "Arabian Standard Time". */
    fun zoneName(): String = zone.getDisplayName(TextStyle.FULL, locale)

    /** A price in minor units of [currencyCode], e.g. "SAR 250.00". */
    fun price(cents: UInt, currencyCode: String): String {
        val currency = runCatching { Currency.getInstance(currencyCode) }.getOrNull()
            ?: return "${BigDecimal(cents.toLong()).movePointLeft(2).toPlainString()} $currencyCode"
        val digits = currency.defaultFractionDigits.coerceAtLeast(0)
        return NumberFormat.getCurrencyInstance(locale)
            .apply { this.currency = currency }
            .format(BigDecimal(cents.toLong()).movePointLeft(digits))
    }

    /** A rating with one decimal, e.g. "4.8". */
    fun rating(value: Float): String =
        NumberFormat.getNumberInstance(locale).apply { minimumFractionDigits = 1; maximumFractionDigits = 1 }.format(value.toDouble())
}

/** Formats for the current configuration's locale and the user's zone. */
@Composable
fun rememberFormats(): Formats {
    val locale = LocalConfiguration.current.locales[0]
    val zone = LocalUserZone.current
    return remember(locale, zone) { Formats(locale, zone) }
}
