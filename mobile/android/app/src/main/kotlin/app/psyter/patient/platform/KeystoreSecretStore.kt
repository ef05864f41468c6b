package app.psyter.patient.platform

import android.content.Context
import android.content.SharedPreferences
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.util.Base64
import app.psyter.ffi.PlatformException
import app.psyter.ffi.SecretStore
import java.security.GeneralSecurityException
import java.security.KeyStore
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's secrets (refresh token, cache and outbox keys) encrypted with an AES-256-GCM key that
 * never leaves the Android Keystore. The key needs no user authentication, so background sync can
 * read the refresh token; the biometric gate has its own key. Ciphertexts live in a private
 * SharedPreferences file that backups exclude (res/xml/backup_rules.xml, data_extraction_rules.xml).
 */
class KeystoreSecretStore(context: Context) : SecretStore {
    private val prefs: SharedPreferences = context.getSharedPreferences(PREFS, Context.MODE_PRIVATE)
    private val lock = Any()

    /** The secret under [key], or null; an entry the Keystore can no longer open is deleted and reported unavailable. */
    @Throws(PlatformException::class)
    override fun get(key: String): ByteArray? = synchronized(lock) {
        val stored = prefs.getString(entry(key), null) ?: return null
        val bytes = try {
            Base64.decode(stored, Base64.NO_WRAP)
        } catch (e: IllegalArgumentException) {
            forget(key)
            throw PlatformException.Failed("stored secret is not base64")
        }
        if (bytes.size <= IV_BYTES) {
            forget(key)
            throw PlatformException.Failed("stored secret is truncated")
        }
        try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.DECRYPT_MODE, secretKey(), GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES))
            cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
            cipher.doFinal(bytes, IV_BYTES, bytes.size - IV_BYTES)
        } catch (e: KeyPermanentlyInvalidatedException) {
            forget(key)
            throw PlatformException.Unavailable("keystore key invalidated")
        } catch (e: AEADBadTagException) {
            // The key was replaced (e.g. the Keystore was reset): the secret is gone for good.
            forget(key)
            throw PlatformException.Unavailable("keystore key no longer matches the stored secret")
        } catch (e: GeneralSecurityException) {
            throw PlatformException.Failed("keystore decrypt failed: ${e.javaClass.simpleName}")
        }
    }

    /** Encrypts [value] and stores it under [key], replacing any previous secret. */
    @Throws(PlatformException::class)
    override fun set(key: String, value: ByteArray): Unit = synchronized(lock) {
        val sealed = try {
            val cipher = Cipher.getInstance(TRANSFORMATION)
            cipher.init(Cipher.ENCRYPT_MODE, secretKey())
            cipher.updateAAD(key.toByteArray(Charsets.UTF_8))
            cipher.iv + cipher.doFinal(value)
        } catch (e: KeyPermanentlyInvalidatedException) {
            deleteKey()
            throw PlatformException.Unavailable("keystore key invalidated")
        } catch (e: GeneralSecurityException) {
            throw PlatformException.Failed("keystore encrypt failed: ${e.javaClass.simpleName}")
        }
        if (!prefs.edit().putString(entry(key), Base64.encodeToString(sealed, Base64.NO_WRAP)).commit()) {
            throw PlatformException.Failed("could not write the secret store")
        }
    }

    /** Removes the secret under [key]; a missing key is not an error. */
    @Throws(PlatformException::class)
    override fun delete(key: String): Unit = synchronized(lock) {
        if (!prefs.edit().remove(entry(key)).commit()) {
            throw PlatformException.Failed("could not write the secret store")
        }
    }

    private fun forget(key: String) {
        prefs.edit().remove(entry(key)).commit()
    }

    /** The Keystore key, created on first use. */
    private fun secretKey(): SecretKey {
        val keyStore = KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }
        (keyStore.getKey(KEY_ALIAS, null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(KEY_ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, ANDROID_KEYSTORE)
            .apply { init(spec) }
            .generateKey()
    }

    private fun deleteKey() {
        try {
            KeyStore.getInstance(ANDROID_KEYSTORE).apply { load(null) }.deleteEntry(KEY_ALIAS)
        } catch (_: GeneralSecurityException) {
            // Nothing left to delete.
        }
    }

    private fun entry(key: String) = "s.$key"

    private companion object {
        const val ANDROID_KEYSTORE = "AndroidKeyStore"
        const val KEY_ALIAS = "psyter.secrets.v1"
        const val PREFS = "psyter_secrets"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
