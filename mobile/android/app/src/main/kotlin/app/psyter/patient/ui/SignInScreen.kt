package app.psyter.patient.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.outlined.Fingerprint
import androidx.compose.material.icons.outlined.Lock
import androidx.compose.material.icons.outlined.Visibility
import androidx.compose.material.icons.outlined.VisibilityOff
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.LocalLifecycleOwner
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.withResumed
import app.psyter.core.UnlockMethod
import app.psyter.kit.PsyterKit
import app.psyter.kit.ui.SignInViewModel
import app.psyter.patient.R
import app.psyter.patient.platform.AndroidBiometricGate

/** Codes that mean the account wants its authenticator code. */
private val TOTP_CODES = setOf("totp_required", "totp_invalid")

/** Email and password, then the authenticator code when the server asks for it (`totp_required`). */
@Composable
fun SignInScreen(kit: PsyterKit) {
    val model = kitModel(kit) { k, scope -> SignInViewModel(k, scope) }.model
    val state by model.state.collectAsStateWithLifecycle()
    var email by rememberSaveable { mutableStateOf("") }
    var password by remember { mutableStateOf("") }
    var totp by remember { mutableStateOf("") }
    var needsTotp by rememberSaveable { mutableStateOf(false) }
    LaunchedEffect(state.error?.code) { if (state.error?.code in TOTP_CODES) needsTotp = true }
    val canSubmit = !state.busy && email.isNotBlank() && password.isNotEmpty() && (!needsTotp || totp.length >= 6)
    val submit = { if (canSubmit) model.signIn(email.trim(), password, totp.takeIf { needsTotp }) }

    FormColumn {
        Text(stringResource(R.string.sign_in_title), style = MaterialTheme.typography.headlineSmall)
        OutlinedTextField(
            value = email,
            onValueChange = { email = it },
            label = { Text(stringResource(R.string.sign_in_email)) },
            singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email, imeAction = ImeAction.Next),
            modifier = Modifier.fillMaxWidth(),
        )
        PasswordField(password, { password = it }, imeAction = if (needsTotp) ImeAction.Next else ImeAction.Done, onDone = submit)
        if (needsTotp) {
            OutlinedTextField(
                value = totp,
                onValueChange = { value -> totp = value.filter(Char::isDigit).take(8) },
                label = { Text(stringResource(R.string.sign_in_totp)) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword, imeAction = ImeAction.Done),
                keyboardActions = KeyboardActions(onDone = { submit() }),
                modifier = Modifier.fillMaxWidth(),
            )
        }
        ErrorMessage(state.error)
        BusyButton(stringResource(R.string.sign_in_action), busy = state.busy, enabled = canSubmit, onClick = submit)
    }
}

/**
 * The locked session: the biometric prompt when that is how it unlocks (shown by itself once the
 * app is in the foreground), with the password as the fallback; a password unlock re-arms [gate].
 */
@Composable
fun UnlockScreen(kit: PsyterKit, gate: AndroidBiometricGate) {
    val holder = kitModel(kit, key = "unlock") { k, scope -> SignInViewModel(k, scope) }
    val model = holder.model
    val state by model.state.collectAsStateWithLifecycle()
    var usePassword by rememberSaveable { mutableStateOf(false) }
    var triedPassword by rememberSaveable { mutableStateOf(false) }
    var password by remember { mutableStateOf("") }
    val reason = stringResource(R.string.biometric_prompt_reason)
    val lifecycle = LocalLifecycleOwner.current.lifecycle
    LaunchedEffect(holder) { holder.once { it.loadUnlockMethod() } }

    val biometric = state.unlockMethod == UnlockMethod.BIOMETRIC && !usePassword
    LaunchedEffect(state.unlockMethod) {
        if (state.unlockMethod == UnlockMethod.BIOMETRIC && !usePassword) lifecycle.withResumed { model.unlockWithBiometric(reason) }
    }
    LaunchedEffect(state.error?.code) {
        if (state.error?.code == "biometric_unavailable") usePassword = true
    }
    LaunchedEffect(state.signedIn) {
        if (state.signedIn && triedPassword) gate.rearm()
    }
    val submit = {
        if (!state.busy && password.isNotEmpty()) {
            triedPassword = true
            model.unlockWithPassword(password)
        }
    }

    FormColumn {
        Icon(Icons.Outlined.Lock, contentDescription = null, modifier = Modifier.size(48.dp), tint = MaterialTheme.colorScheme.primary)
        Text(stringResource(R.string.session_locked), style = MaterialTheme.typography.titleMedium)
        if (biometric) {
            BusyButton(
                stringResource(R.string.unlock_biometric),
                busy = state.busy,
                enabled = !state.busy,
                onClick = { model.unlockWithBiometric(reason) },
                icon = { Icon(Icons.Outlined.Fingerprint, contentDescription = null) },
            )
            OutlinedButton(onClick = { usePassword = true }, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
                Text(stringResource(R.string.unlock_use_password))
            }
        } else {
            PasswordField(password, { password = it }, imeAction = ImeAction.Done, onDone = submit)
            BusyButton(stringResource(R.string.session_locked_action), busy = state.busy, enabled = password.isNotEmpty(), onClick = submit)
        }
        ErrorMessage(state.error?.takeUnless { it.code == "biometric_unavailable" && !biometric })
    }
}

/** A password field with a show/hide toggle. */
@Composable
private fun PasswordField(value: String, onChange: (String) -> Unit, imeAction: ImeAction, onDone: () -> Unit) {
    var visible by remember { mutableStateOf(false) }
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(stringResource(R.string.sign_in_password)) },
        singleLine = true,
        visualTransformation = if (visible) VisualTransformation.None else PasswordVisualTransformation(),
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password, imeAction = imeAction),
        keyboardActions = KeyboardActions(onDone = { onDone() }),
        trailingIcon = {
            IconButton(onClick = { visible = !visible }) {
                Icon(
                    if (visible) Icons.Outlined.VisibilityOff else Icons.Outlined.Visibility,
                    contentDescription = stringResource(if (visible) R.string.sign_in_hide_password else R.string.sign_in_show_password),
                )
            }
        },
        modifier = Modifier.fillMaxWidth(),
    )
}

/** A full-width button that shows a spinner while [busy]. */
@Composable
fun BusyButton(
    label: String,
    busy: Boolean,
    enabled: Boolean,
    onClick: () -> Unit,
    modifier: Modifier = Modifier,
    icon: (@Composable () -> Unit)? = null,
) {
    Button(onClick = onClick, enabled = enabled && !busy, modifier = modifier.fillMaxWidth().heightIn(min = 48.dp)) {
        if (busy) {
            CircularProgressIndicator(Modifier.size(20.dp), strokeWidth = 2.dp)
        } else {
            icon?.invoke()
            Text(label, Modifier.padding(start = if (icon != null) 8.dp else 0.dp))
        }
    }
}

/** A centred, scrollable, keyboard-aware column for forms. */
@Composable
private fun FormColumn(content: @Composable () -> Unit) {
    Box(Modifier.fillMaxSize().imePadding(), contentAlignment = Alignment.Center) {
        Column(
            Modifier.widthIn(max = 480.dp).verticalScroll(rememberScrollState()).padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(16.dp),
            horizontalAlignment = Alignment.CenterHorizontally,
        ) { content() }
    }
}
