package app.psyter.patient

import app.psyter.patient.ui.ErrorText
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Test

/** Every stable error code of assets/locales/en-US/errors.ftl shows its own message, in English and Arabic. */
class ErrorTextTest {
    /** The repository root, found from the test's working directory (Gradle runs it in mobile/android/app). */
    private val root: File = generateSequence(File("").absoluteFile) { it.parentFile }
        .first { File(it, "assets/locales/en-US/errors.ftl").isFile }

    /** The codes of errors.ftl (`error-<code>` with `-` for `_`), without the fallback `unknown`. */
    private val codes: List<String> = Regex("^error-([a-z0-9-]+) =", RegexOption.MULTILINE)
        .findAll(File(root, "assets/locales/en-US/errors.ftl").readText())
        .map { it.groupValues[1].replace('-', '_') }
        .filter { it != "unknown" }
        .toList()

    /** The mapping and errors.ftl have exactly the same codes. */
    @Test
    fun everyCodeOfErrorsFtlHasAMessage() {
        assertTrue("errors.ftl has no codes?", codes.size >= 60)
        val missing = codes.filterNot { it in ErrorText.messages }
        assertTrue("codes without a message: $missing", missing.isEmpty())
        val extra = ErrorText.messages.keys.filterNot { it in codes }
        assertTrue("messages for codes errors.ftl does not have: $extra", extra.isEmpty())
    }

    /** No two codes share a message, and none falls back by mistake. */
    @Test
    fun eachCodeHasItsOwnMessage() {
        assertEquals(ErrorText.messages.size, ErrorText.messages.values.toSet().size)
        assertTrue(R.string.error_unknown !in ErrorText.messages.values)
    }

    /** An unknown or missing code shows error-unknown. */
    @Test
    fun unknownCodesFallBackToTheGenericMessage() {
        assertEquals(R.string.error_unknown, ErrorText.resourceFor("no_such_code"))
        assertEquals(R.string.error_unknown, ErrorText.resourceFor(null))
        assertEquals(R.string.error_slot_taken, ErrorText.resourceFor("slot_taken"))
    }

    /** Both strings.xml files have every error message. */
    @Test
    fun englishAndArabicStringsHaveEveryErrorMessage() {
        for (folder in listOf("values", "values-ar")) {
            val xml = File(root, "mobile/android/app/src/main/res/$folder/strings.xml").readText()
            val missing = (codes + "unknown").filterNot { xml.contains("<string name=\"error_$it\">") }
            assertTrue("$folder/strings.xml lacks: $missing", missing.isEmpty())
        }
    }
}
