package app.psyter.patient.ui

import androidx.annotation.StringRes
import app.psyter.core.CallState
import app.psyter.core.CheckItem
import app.psyter.core.OutboxKind
import app.psyter.core.OutboxState
import app.psyter.core.Verdict
import app.psyter.domain.AppointmentStatus
import app.psyter.patient.R

/** The message for each stable error code (errors.ftl's `error-<code>`); unknown codes get `error-unknown`. */
object ErrorText {
    /** Every error code of errors.ftl (and psyter-i18n's ERROR_CODES) with its string resource. */
    val messages: Map<String, Int> = mapOf(
        "offline" to R.string.error_offline,
        "network" to R.string.error_network,
        "timeout" to R.string.error_timeout,
        "server" to R.string.error_server,
        "rate_limited" to R.string.error_rate_limited,
        "too_many_requests" to R.string.error_too_many_requests,
        "insecure_transport" to R.string.error_insecure_transport,
        "certificate" to R.string.error_certificate,
        "invalid_server_url" to R.string.error_invalid_server_url,
        "wrong_time" to R.string.error_wrong_time,
        "unauthorized" to R.string.error_unauthorized,
        "session_ended" to R.string.error_session_ended,
        "not_signed_in" to R.string.error_not_signed_in,
        "unsent_actions" to R.string.error_unsent_actions,
        "action_not_failed" to R.string.error_action_not_failed,
        "booking_pending" to R.string.error_booking_pending,
        "account_mismatch" to R.string.error_account_mismatch,
        "invalid_credentials" to R.string.error_invalid_credentials,
        "invalid_refresh_token" to R.string.error_invalid_refresh_token,
        "refresh_token_reused" to R.string.error_refresh_token_reused,
        "session_revoked" to R.string.error_session_revoked,
        "token_invalid" to R.string.error_token_invalid,
        "email_taken" to R.string.error_email_taken,
        "totp_already_enabled" to R.string.error_totp_already_enabled,
        "totp_invalid" to R.string.error_totp_invalid,
        "totp_not_set_up" to R.string.error_totp_not_set_up,
        "totp_required" to R.string.error_totp_required,
        "totp_state" to R.string.error_totp_state,
        "keychain_unavailable" to R.string.error_keychain_unavailable,
        "keychain" to R.string.error_keychain,
        "storage" to R.string.error_storage,
        "platform_service" to R.string.error_platform_service,
        "cache_unreadable" to R.string.error_cache_unreadable,
        "locked" to R.string.error_locked,
        "biometric_failed" to R.string.error_biometric_failed,
        "biometric_unavailable" to R.string.error_biometric_unavailable,
        "invalid_pin" to R.string.error_invalid_pin,
        "internal" to R.string.error_internal,
        "not_found" to R.string.error_not_found,
        "not_allowed" to R.string.error_not_allowed,
        "appointment_not_active" to R.string.error_appointment_not_active,
        "outside_join_window" to R.string.error_outside_join_window,
        "patient_overlap" to R.string.error_patient_overlap,
        "cancel_cutoff" to R.string.error_cancel_cutoff,
        "daily_limit_reached" to R.string.error_daily_limit_reached,
        "invalid_transition" to R.string.error_invalid_transition,
        "slot_taken" to R.string.error_slot_taken,
        "slot_too_far_ahead" to R.string.error_slot_too_far_ahead,
        "slot_too_soon" to R.string.error_slot_too_soon,
        "slot_unaligned" to R.string.error_slot_unaligned,
        "unknown_time_zone" to R.string.error_unknown_time_zone,
        "idempotency_in_flight" to R.string.error_idempotency_in_flight,
        "idempotency_key_reused" to R.string.error_idempotency_key_reused,
        "invalid_profile" to R.string.error_invalid_profile,
        "validation_failed" to R.string.error_validation_failed,
        "invalid_body" to R.string.error_invalid_body,
        "invalid_query" to R.string.error_invalid_query,
        "invalid_cursor" to R.string.error_invalid_cursor,
        "payload_too_large" to R.string.error_payload_too_large,
        "malformed_json" to R.string.error_malformed_json,
        "unsupported_media_type" to R.string.error_unsupported_media_type,
        "method_not_allowed" to R.string.error_method_not_allowed,    )

    /** The message resource for [code], or the generic one. */
    @StringRes
    fun resourceFor(code: String?): Int = code?.let(messages::get) ?: R.string.error_unknown
}

/** Labels for the core's enums and codes, in the app's language. */
object Labels {
    /** Why a call ended or stopped (CallView.reason) as video.ftl's `call-reason-<code>`. */
    private val callReasons: Map<String, Int> = mapOf(
        "call_left" to R.string.call_reason_call_left,
        "call_window_closed" to R.string.call_reason_call_window_closed,
        "outside_join_window" to R.string.call_reason_outside_join_window,
        "call_permission_denied" to R.string.call_reason_call_permission_denied,
        "call_banned" to R.string.call_reason_call_banned,
        "call_joined_elsewhere" to R.string.call_reason_call_joined_elsewhere,
        "call_gave_up" to R.string.call_reason_call_gave_up,
        "call_token_refused" to R.string.call_reason_call_token_refused,
        "call_engine_config" to R.string.call_reason_call_engine_config,    )

    /** The explanation for a call's [reason] code: a call reason, else an error message. */
    @StringRes
    fun callReason(reason: String): Int = callReasons[reason] ?: ErrorText.resourceFor(reason)

    /** A call state's label. */
    @StringRes
    fun callState(state: CallState): Int = when (state) {
        CallState.IDLE -> R.string.call_state_idle
        CallState.CHECKING -> R.string.call_state_checking
        CallState.READY -> R.string.call_state_ready
        CallState.JOINING -> R.string.call_state_joining
        CallState.CONNECTED -> R.string.call_state_connected
        CallState.RECONNECTING -> R.string.call_state_reconnecting
        CallState.ENDED -> R.string.call_state_ended
        CallState.FAILED -> R.string.call_state_failed
    }

    /** An appointment status (FHIR words, appointments.ftl). */
    @StringRes
    fun status(status: AppointmentStatus): Int = when (status) {
        AppointmentStatus.PROPOSED -> R.string.status_proposed
        AppointmentStatus.PENDING -> R.string.status_pending
        AppointmentStatus.BOOKED -> R.string.status_booked
        AppointmentStatus.ARRIVED -> R.string.status_arrived
        AppointmentStatus.FULFILLED -> R.string.status_fulfilled
        AppointmentStatus.CANCELLED -> R.string.status_cancelled
        AppointmentStatus.NOSHOW -> R.string.status_noshow
        AppointmentStatus.ENTERED_IN_ERROR -> R.string.status_entered_in_error
        AppointmentStatus.CHECKED_IN -> R.string.status_checked_in
        AppointmentStatus.WAITLIST -> R.string.status_waitlist
    }

    /** Where a saved action is on its way to the server (null: done, nothing to show). */
    @StringRes
    fun outboxState(state: OutboxState): Int? = when (state) {
        OutboxState.QUEUED -> R.string.action_queued
        OutboxState.SENDING -> R.string.action_sending
        OutboxState.FAILED -> R.string.action_failed
        OutboxState.DONE -> null
    }

    /** What a saved action does. */
    @StringRes
    fun outboxKind(kind: OutboxKind): Int = when (kind) {
        OutboxKind.BOOK -> R.string.outbox_book
        OutboxKind.CANCEL -> R.string.outbox_cancel
        OutboxKind.RESCHEDULE -> R.string.outbox_reschedule
        OutboxKind.STATUS -> R.string.outbox_status
        OutboxKind.NOTE -> R.string.outbox_note
    }

    /** A pre-call check item. */
    @StringRes
    fun checkItem(item: CheckItem): Int = when (item) {
        CheckItem.MICROPHONE -> R.string.precall_microphone
        CheckItem.CAMERA -> R.string.precall_camera
        CheckItem.NETWORK -> R.string.precall_network
    }

    /** A pre-call verdict. */
    @StringRes
    fun verdict(verdict: Verdict): Int = when (verdict) {
        Verdict.PASS -> R.string.verdict_pass
        Verdict.WARN -> R.string.verdict_warn
        Verdict.FAIL -> R.string.verdict_fail
    }

    /** The specialty slugs the app knows (the reference server's ten), in display order. */
    val specialties: List<String> =
        listOf("anxiety", "depression", "couples", "trauma", "child", "addiction", "grief", "sleep", "eating", "ocd")

    /** A specialty slug's label, or null for a slug this version does not know (shown as it is). */
    @StringRes
    fun specialty(slug: String): Int? = when (slug) {
        "anxiety" -> R.string.specialty_anxiety
        "depression" -> R.string.specialty_depression
        "couples" -> R.string.specialty_couples
        "trauma" -> R.string.specialty_trauma
        "child" -> R.string.specialty_child
        "addiction" -> R.string.specialty_addiction
        "grief" -> R.string.specialty_grief
        "sleep" -> R.string.specialty_sleep
        "eating" -> R.string.specialty_eating
        "ocd" -> R.string.specialty_ocd
        else -> null
    }

    /** A language tag's label for the two app languages, or null (shown by the system's name for it). */
    @StringRes
    fun language(tag: String): Int? = when (tag.substringBefore('-')) {
        "en" -> R.string.language_en
        "ar" -> R.string.language_ar
        else -> null
    }
}
