package app.psyter.harness

import app.psyter.core.BiometricOutcome
import app.psyter.ffi.BiometricGate
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList

/** A biometric prompt that answers from a script ([PASSED][BiometricOutcome.PASSED] once it runs out). */
class ScriptedBiometricGate(vararg script: BiometricOutcome) : BiometricGate {
    private val answers = ConcurrentLinkedQueue(script.toList())

    /** The reasons the core showed, in order, with the thread each prompt ran on. */
    val prompts = CopyOnWriteArrayList<Pair<String, String>>()

    /** Queues the next answers. */
    fun answer(vararg outcomes: BiometricOutcome) {
        answers.addAll(outcomes)
    }

    override fun authenticate(reason: String): BiometricOutcome {
        prompts += reason to Thread.currentThread().name
        return answers.poll() ?: BiometricOutcome.PASSED
    }
}
