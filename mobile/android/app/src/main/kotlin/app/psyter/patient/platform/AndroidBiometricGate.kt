package app.psyter.patient.platform

import android.content.Context
import android.os.Build
import android.os.Handler
import android.os.Looper
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import app.psyter.core.BiometricOutcome
import app.psyter.ffi.BiometricGate
import app.psyter.patient.R
import java.security.GeneralSecurityException
import java.security.KeyStore
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicReference
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey

/**
 * BiometricPrompt bound to a Keystore key that only a strong biometric unlocks (CryptoObject), so a
 * hooked prompt callback alone cannot pass. The key is invalidated when a biometric is enrolled:
 * then it is deleted, the gate answers UNAVAILABLE (the core asks for the password) and stays so
 * until [rearm] is called after a password unlock.
 */
class AndroidBiometricGate(
    context: Context,
    private val activities: ActivityTracker,
    private val timeoutSeconds: Long = 120,
) : BiometricGate {
    private val appContext = context.applicationContext
    private val main = Handler(Looper.getMainLooper())
    private val state = appContext.getSharedPreferences(PREFS, Context.MODE_PRIVATE)

    /** Shows the prompt on the foreground activity and blocks this (core) thread until the user answers. */
    override fun authenticate(reason: String): BiometricOutcome {
        if (Looper.myLooper() == Looper.getMainLooper()) return BiometricOutcome.FAILED // would deadlock
        if (state.getBoolean(INVALIDATED, false)) return BiometricOutcome.UNAVAILABLE
        if (BiometricManager.from(appContext).canAuthenticate(BIOMETRIC_STRONG) != BiometricManager.BIOMETRIC_SUCCESS) {
            return BiometricOutcome.UNAVAILABLE
        }
        val cipher = try {
            Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.ENCRYPT_MODE, secretKey()) }
        } catch (e: KeyPermanentlyInvalidatedException) {
            deleteKey()
            state.edit().putBoolean(INVALIDATED, true).apply()
            return BiometricOutcome.UNAVAILABLE
        } catch (e: GeneralSecurityException) {
            return BiometricOutcome.UNAVAILABLE
        }
        val result = CompletableFuture<BiometricOutcome>()
        val prompt = AtomicReference<BiometricPrompt?>(null)
        main.post {
            val activity = activities.current
            if (activity == null) {
                result.complete(BiometricOutcome.FAILED)
                return@post
            }
            val shown = BiometricPrompt(activity, ContextCompat.getMainExecutor(activity), Callback(result))
            prompt.set(shown)
            shown.authenticate(promptInfo(reason), BiometricPrompt.CryptoObject(cipher))
        }
        return try {
            result.get(timeoutSeconds, TimeUnit.SECONDS)
        } catch (e: TimeoutException) {
            main.post { prompt.get()?.cancelAuthentication() }
            BiometricOutcome.FAILED
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            main.post { prompt.get()?.cancelAuthentication() }
            BiometricOutcome.FAILED
        } catch (e: Exception) {
            BiometricOutcome.FAILED
        }
    }

    /** Allows biometric unlock again (with a fresh key) after the user proved who they are with the password. */
    fun rearm() {
        state.edit().putBoolean(INVALIDATED, false).apply()
    }

    private fun promptInfo(reason: String) = BiometricPrompt.PromptInfo.Builder()
        .setTitle(appContext.getString(R.string.biometric_prompt_title))
        .setSubtitle(reason)
        .setNegativeButtonText(appContext.getString(R.string.unlock_use_password))
        .setAllowedAuthenticators(BIOMETRIC_STRONG)
        .setConfirmationRequired(false)
        .build()

    /** Completes [result]: PASSED only when the Keystore-bound cipher really was unlocked. */
    private class Callback(private val result: CompletableFuture<BiometricOutcome>) : BiometricPrompt.AuthenticationCallback() {
        override fun onAuthenticationSucceeded(outcome: BiometricPrompt.AuthenticationResult) {
            val unlocked = try {
                outcome.cryptoObject?.cipher?.doFinal(CHALLENGE) != null
            } catch (e: GeneralSecurityException) {
                false
            }
            result.complete(if (unlocked) BiometricOutcome.PASSED else BiometricOutcome.FAILED)
        }

        override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
            val outcome = when (errorCode) {
                BiometricPrompt.ERROR_HW_NOT_PRESENT,
                BiometricPrompt.ERROR_HW_UNAVAILABLE,
                BiometricPrompt.ERROR_NO_BIOMETRICS,
                BiometricPrompt.ERROR_LOCKOUT_PERMANENT,
                BiometricPrompt.ERROR_SECURITY_UPDATE_REQUIRED -> BiometricOutcome.UNAVAILABLE
                else -> BiometricOutcome.FAILED // cancelled, "use password", lockout for 30 s, timeout
            }
            result.complete(outcome)
        }

        // onAuthenticationFailed (one unrecognised finger) keeps the prompt open: the user tries again.
    }

    /** The gate's key, created on first use: strong biometric per use, invalidated by new enrolments. */
    private fun secretKey(): SecretKey {
        val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        (keyStore.getKey(KEY_ALIAS, null) as? SecretKey)?.let { return it }
        val builder = KeyGenParameterSpec.Builder(KEY_ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setUserAuthenticationRequired(true)
            .setInvalidatedByBiometricEnrollment(true)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
            builder.setUserAuthenticationParameters(0, KeyProperties.AUTH_BIOMETRIC_STRONG)
        }
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            .apply { init(builder.build()) }
            .generateKey()
    }

    private fun deleteKey() {
        try {
            KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }.deleteEntry(KEY_ALIAS)
        } catch (_: GeneralSecurityException) {
            // Already gone.
        }
    }

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val KEY_ALIAS = "psyter.biometric.v1"
        const val PREFS = "psyter_biometric"
        const val INVALIDATED = "invalidated"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        val CHALLENGE = "psyter-unlock".toByteArray(Charsets.UTF_8)
    }
}
