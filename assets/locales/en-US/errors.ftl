# Psyter error messages, en-US.
#
# One message per stable error code: `error-<code>` with `_` written as `-` (see `ERROR_CODES` in
# psyter-i18n). Patients and providers read these, so keep them short, calm and actionable: say what
# happened in plain words and what to do next. No codes, status numbers or jargon.

# Fallback for any code without its own message.
error-unknown = Something went wrong. Please try again.

## Connection and server

error-offline = You’re offline. Your changes will sync when you’re back online.
error-network = We couldn’t reach the server. Please check your connection and try again.
error-timeout = The server is taking too long to respond. Please try again.
error-server = Something went wrong on our side. Please try again in a moment.
error-rate-limited = Too many attempts. Please wait a moment and try again.
error-too-many-requests = Too many requests. Please wait a moment and try again.
error-insecure-transport = This server address isn’t secure. Please use an https:// address.
error-certificate = We couldn’t confirm the server’s identity, so we didn’t connect. Please check the server address or contact support.
error-invalid-server-url = That server address isn’t valid. Please check it and try again.
error-wrong-time = Your device’s clock seems to be wrong. Please set the correct time and try again.

## Signing in and security

error-unauthorized = Please sign in again to continue.
error-session-ended = Your sign-in has ended. Please sign in again.
error-not-signed-in = You’re not signed in. Please sign in to continue.
error-unsent-actions = Some of your changes haven’t reached the server yet. Sync first, or sign out anyway to discard them.
error-action-not-failed = Only a change the server refused can be dismissed.
error-booking-pending = This booking hasn’t reached the server yet. Try again once it has synced.
error-account-mismatch = This device is set up for a different account. Please sign out first to use another account.
error-invalid-credentials = The email or password is incorrect.
error-invalid-refresh-token = Your sign-in has expired. Please sign in again.
error-refresh-token-reused = For your security, you’ve been signed out. Please sign in again.
error-session-revoked = You’ve been signed out. Please sign in again.
error-token-invalid = Your sign-in is no longer valid. Please sign in again.
error-email-taken = An account with this email already exists. Try signing in instead.
error-totp-already-enabled = Two-step verification is already turned on.
error-totp-invalid = That verification code isn’t right. Please check your authenticator app and try again.
error-totp-not-set-up = Two-step verification hasn’t been set up yet.
error-totp-required = Please enter the code from your authenticator app.
error-totp-state = Two-step verification can’t be changed right now. Please refresh and try again.

## This device: secure storage, offline data, app lock

error-keychain-unavailable = Secure storage isn’t available on this device, so we can’t keep you signed in.
error-keychain = We couldn’t use this device’s secure storage. Please try again.
error-storage = We couldn’t save data on this device. Please check the available space and try again.
error-platform-service = A service of this device (camera, microphone or notifications) didn’t respond. Please check the app’s permissions and try again.
error-cache-unreadable = Your saved offline data couldn’t be read. It will be downloaded again when you’re online.
error-locked = The app is locked. Unlock it to continue.
error-biometric-failed = We couldn’t confirm it’s you. Please try again or use your PIN.
error-biometric-unavailable = Biometric unlock isn’t available on this device. Please use your PIN.
error-invalid-pin = That PIN isn’t right. Please try again.
error-internal = Something unexpected happened. Please try again.

## Appointments and booking

error-not-found = We couldn’t find that. It may have been removed.
error-not-allowed = You don’t have permission to do that.
error-appointment-not-active = This appointment is no longer active.
error-outside-join-window = This session isn’t open yet. You can join shortly before it starts.
error-patient-overlap = You already have an appointment at this time.
error-cancel-cutoff = It’s too close to the start time to cancel or reschedule here. Please contact your provider.
error-daily-limit-reached = This provider has no more openings that day. Please choose another day.
error-invalid-transition = This appointment can’t be changed that way right now.
error-slot-taken = That time was just booked by someone else. Please choose another slot.
error-slot-too-far-ahead = That time is too far ahead to book. Please choose an earlier slot.
error-slot-too-soon = That time is too soon to book. Please choose a later slot.
error-slot-unaligned = That time isn’t one of the provider’s available slots. Please pick a slot from the list.
error-unknown-time-zone = That time zone isn’t recognized. Please choose another one.
error-idempotency-in-flight = Your previous request is still being processed. Please wait a moment.
error-idempotency-key-reused = This request conflicts with an earlier one. Please refresh and try again.

## Details the server could not accept

error-invalid-profile = A profile name uses 1–64 characters: lowercase letters, digits, - and _.
error-validation-failed = Some details aren’t valid. Please review them and try again.
error-invalid-body = Some details weren’t accepted. Please check them and try again.
error-invalid-query = That search couldn’t be run. Please change it and try again.
error-invalid-cursor = This list is out of date. Please refresh.
error-payload-too-large = That’s too large to send. Please shorten it and try again.
error-malformed-json = The request couldn’t be read. Please update the app and try again.
error-unsupported-media-type = The request format isn’t supported. Please update the app.
error-method-not-allowed = That action isn’t supported. Please update the app.
