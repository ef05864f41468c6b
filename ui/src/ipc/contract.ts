// The IPC contract between the desktop shell (desktop/src/commands/*.rs) and this UI.
//
// Shapes are the core's and the domain's own types as serde serialises them: snake_case fields,
// RFC 3339 UTC instants as strings, UUID ids as strings, civil dates "YYYY-MM-DD", civil times
// "HH:MM:SS" (inputs may send "HH:MM"). Commands are invoked by name with snake_case arguments;
// a failed command rejects with an `IpcError`. Rust side: desktop/src/commands; a contract test on
// each side reads desktop/tests/fixtures/ipc/*.json, which the Rust side writes from real values.

/** An instant, RFC 3339 in UTC, e.g. "2026-11-22T09:30:00Z". */
export type Timestamp = string;
/** A UUID. */
export type Id = string;

/** Every failed command rejects with this. `code` is stable (`error-<code>` in errors.ftl). */
export interface IpcError {
  code: string;
  /** The error's kind: network | offline | unauthorized | forbidden | not_found | conflict | policy | validation | server | ... */
  kind: string;
  /** Extra non-sensitive detail for validation errors (e.g. the field), never shown verbatim. */
  detail?: string | null;
  /** Seconds to wait before retrying (rate limits). */
  retry_after_secs?: number | null;
}

export type Role = "patient" | "provider";
export type AppointmentStatus =
  | "proposed" | "pending" | "booked" | "arrived" | "fulfilled" | "cancelled" | "noshow"
  | "entered-in-error" | "checked-in" | "waitlist";
export type SlotStatus = "free" | "busy" | "busy-tentative" | "busy-unavailable";
export type StatusAction = "arrived" | "fulfilled" | "noshow" | "entered-in-error";
export type Gender = "female" | "male" | "other";
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";

export interface Me {
  id: Id;
  email: string;
  display_name: string;
  role: Role;
  locale: string;
  time_zone: string;
  reminder_minutes: number[];
  totp_enabled: boolean;
}

export interface RegisterRequest {
  email: string;
  password: string;
  display_name: string;
  role: Role;
  time_zone?: string | null;
  locale?: string | null;
}

export interface UpdateMe {
  display_name?: string | null;
  locale?: string | null;
  time_zone?: string | null;
  reminder_minutes?: number[] | null;
}

export interface LocalSettings {
  biometric: boolean;
  auto_lock_secs: number;
}

export type SessionPhase = "signed_out" | "active" | "locked";
/** `biometric` on the desktop means the OS's own authentication (macOS/Windows); Linux has `password`. */
export type UnlockMethod = "biometric" | "password";

export interface ProviderProfile {
  id: Id;
  display_name: string;
  title: string;
  specialties: string[];
  languages: string[];
  gender: Gender;
  price_cents: number;
  currency: string;
  rating: number;
  rating_count: number;
  bio: string;
  time_zone: string;
  session_minutes: number;
}

export interface ProviderSearch {
  q?: string | null;
  specialty?: string | null;
  language?: string | null;
  gender?: Gender | null;
  max_price_cents?: number | null;
  min_rating?: number | null;
  available_from?: Timestamp | null;
  available_to?: Timestamp | null;
  limit?: number | null;
  cursor?: string | null;
}

export interface ProviderResults {
  items: ProviderProfile[];
  next_cursor: string | null;
  /** Offline: recent results matching the words, without the server's filters. */
  from_cache: boolean;
}

export interface Slot {
  start: Timestamp;
  end: Timestamp;
  status: SlotStatus;
}

export interface SlotList {
  provider_id: Id;
  time_zone: string;
  slots: Slot[];
}

export interface TimeRange {
  start: string;
  end: string;
}

/** One weekly range: `{day, start, end}` (the range is flattened). */
export interface WeeklyHours extends TimeRange {
  day: Weekday;
}

export interface DateOverride {
  date: string;
  /** Empty: the provider is off that day. */
  hours: TimeRange[];
}

export interface AvailabilityRules {
  time_zone: string;
  weekly: WeeklyHours[];
  overrides: DateOverride[];
  buffer_before_minutes: number;
  buffer_after_minutes: number;
  minimum_notice_minutes: number;
  booking_window_days: number;
  slot_interval_minutes: number;
  session_minutes: number;
  daily_limit: number | null;
}

export interface Appointment {
  id: Id;
  patient_id: Id;
  patient_name: string;
  provider_id: Id;
  provider_name: string;
  provider_time_zone: string;
  start: Timestamp;
  end: Timestamp;
  status: AppointmentStatus;
  reason: string;
  cancel_reason: string | null;
  cancelled_by: Role | null;
  price_cents: number;
  currency: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export type OutboxKind = "book" | "cancel" | "reschedule" | "status" | "note";
export type OutboxState = "queued" | "sending" | "failed" | "done";

export interface PendingAction {
  outbox_id: number;
  appointment_id: string;
  kind: OutboxKind;
  state: OutboxState;
  error_code: string | null;
}

export interface AppointmentView {
  appointment: Appointment;
  pending: PendingAction | null;
}

export interface ViewPage {
  items: AppointmentView[];
  next: string | null;
}

export interface AppointmentFilter {
  statuses?: AppointmentStatus[];
  provider_id?: Id | null;
  from?: Timestamp | null;
  to?: Timestamp | null;
}

export type BookOutcome =
  | { outcome: "booked"; appointment: Appointment }
  | { outcome: "queued"; appointment: AppointmentView };

export type ActionOutcome = { outcome: "applied" } | { outcome: "queued"; outbox_id: number };

/** What the user may do to an appointment now, and the rule behind it (shown before acting). */
export interface ChangePolicy {
  can_cancel: boolean;
  can_reschedule: boolean;
  /** The last instant a patient may cancel or move it. */
  cutoff: Timestamp;
  /** Why cancel is refused, as an error code (e.g. `inside_cutoff`), when it is. */
  cancel_refusal: string | null;
  /** Why reschedule is refused, when it is. */
  reschedule_refusal: string | null;
  /** Inside the video join window now. */
  can_join: boolean;
}

export interface Note {
  appointment_id: Id;
  text: string;
  updated_at: Timestamp;
}

export type CallState = "idle" | "checking" | "ready" | "joining" | "connected" | "reconnecting" | "ended" | "failed";

export interface QualitySample {
  at: Timestamp;
  uplink: number;
  downlink: number;
}

export interface CallRecord {
  connected_at: Timestamp | null;
  ended_at: Timestamp | null;
  reconnections: number;
  remote_joins: number;
  audio_only_ms: number;
  audio_only_since: Timestamp | null;
  /** `[at, state]` pairs. */
  timeline: [Timestamp, CallState][];
  quality: QualitySample[];
}

export interface CallView {
  state: CallState;
  reason: string | null;
  audio_only: boolean;
}

export type Verdict = "pass" | "warn" | "fail";
export type CheckItem = "microphone" | "camera" | "network";
export interface CheckResult {
  item: CheckItem;
  verdict: Verdict;
  /** Fluent id of the explanation (video.ftl). */
  message_id: string;
  /** The explanation, already localised in the session's locale. */
  message: string;
}
export interface PreCallReport {
  items: CheckResult[];
}

export type SyncActivity = { type: "idle" } | { type: "syncing" } | { type: "offline" } | { type: "failed"; code: string };

export interface SyncStatus {
  activity: SyncActivity;
  last_synced_at: Timestamp | null;
  pending_actions: number;
}

export interface SyncReport {
  sent: number;
  refused: number;
  pages: number;
  changes: number;
}

export interface Reminder {
  id: string;
  appointment_id: string;
  fire_at: Timestamp;
  minutes_before: number;
  title: string;
  body: string;
}

/** Appointment statistics of a period (provider: earnings from fulfilled consultations). */
export interface Stats {
  total: number;
  by_status: Partial<Record<AppointmentStatus, number>>;
  earnings_cents: number;
  currency: string;
}

export interface AppInfo {
  version: string;
  server_url: string;
  profile: string;
  /** The system's preferred locale, e.g. "ar" or "en-US". */
  system_locale: string;
  /** The platform: "linux" | "macos" | "windows". */
  platform: string;
}

/** Core events, forwarded as the Tauri event `core://event`. */
export type CoreEvent =
  | { type: "session_ended" }
  | { type: "locked" }
  | { type: "sync_started" }
  | { type: "sync_progress"; pages: number; changes: number }
  | { type: "sync_finished"; changes: number }
  | { type: "sync_failed"; code: string }
  | { type: "outbox_changed"; pending: number }
  | { type: "action_failed"; outbox_id: number; code: string }
  | { type: "cache_rebuilt" }
  | { type: "outbox_lost" }
  | { type: "reminders_planned"; scheduled: number };

// ---- Video engine bridge --------------------------------------------------------------------------
// The core drives the media engine; on the desktop the engine runs in the webview (or in a system
// browser page). The shell sends `core://engine` events carrying an EngineCommand; the engine answers
// with `engine_event` / `engine_devices` commands.

export interface JoinParams {
  app_id: string;
  channel: string;
  token: string;
  uid: number;
}

export type EngineCommand =
  | { op: "join"; params: JoinParams; engine: "agora" | "sandbox"; server_url: string }
  | { op: "leave" }
  | { op: "renew_token"; token: string }
  | { op: "set_audio_muted"; muted: boolean }
  | { op: "set_video_muted"; muted: boolean }
  | { op: "switch_device"; device: Device; device_id: string }
  | { op: "set_audio_only"; audio_only: boolean }
  | { op: "start_probe" };

export type EngineConnection = "disconnected" | "connecting" | "connected" | "reconnecting" | "failed";
export type ConnectionReason =
  | "normal" | "network" | "left" | "token_expired" | "token_invalid" | "banned" | "same_uid_elsewhere"
  | "join_failed" | "config" | "server";
export type Device = "microphone" | "camera" | "speaker";

export type EngineEvent =
  | { type: "connection"; state: EngineConnection; reason: ConnectionReason }
  | { type: "quality"; uplink: number; downlink: number }
  | { type: "token_will_expire" }
  | { type: "token_expired" }
  | { type: "remote_joined"; uid: number }
  | { type: "remote_left"; uid: number }
  | { type: "remote_published"; uid: number; audio: boolean; video: boolean }
  | { type: "device_error"; device: Device }
  | { type: "permission_denied"; device: Device }
  | { type: "probe"; uplink: number; downlink: number; rtt_ms: number };

export interface DeviceStatus {
  microphone: boolean;
  microphone_allowed: boolean;
  camera: boolean;
  camera_allowed: boolean;
}

/**
 * Every command: name -> [arguments, result]. Tauri is called as `invoke(name, args)`.
 */
export interface Commands {
  app_info: [Record<string, never>, AppInfo];
  session_phase: [Record<string, never>, SessionPhase];
  /** Tells the core the user is active (resets the idle auto-lock); call at most every few seconds. */
  session_touch: [Record<string, never>, null];
  auth_login: [{ email: string; password: string; totp_code: string | null }, Me];
  auth_register: [{ request: RegisterRequest }, Me];
  auth_logout: [{ force: boolean }, boolean];
  auth_lock: [Record<string, never>, null];
  auth_unlock_method: [Record<string, never>, UnlockMethod];
  auth_unlock_password: [{ password: string; totp_code: string | null }, null];
  auth_unlock_os: [{ reason: string }, null];
  me: [Record<string, never>, Me];
  settings_update: [{ update: UpdateMe }, Me];
  settings_local: [Record<string, never>, LocalSettings];
  settings_set_auto_lock: [{ secs: number }, LocalSettings];
  settings_set_biometric: [{ enabled: boolean }, LocalSettings];
  providers_search: [{ search: ProviderSearch }, ProviderResults];
  providers_profile: [{ id: Id }, ProviderProfile];
  providers_slots: [{ id: Id; from: Timestamp | null; to: Timestamp | null }, SlotList];
  availability_get: [Record<string, never>, AvailabilityRules];
  availability_put: [{ rules: AvailabilityRules }, AvailabilityRules];
  /** Slots the rules would give between `from` and `to` (computed locally, no server): the live preview. */
  availability_preview: [{ rules: AvailabilityRules; from: Timestamp; to: Timestamp }, Slot[]];
  appointments_upcoming: [{ filter: AppointmentFilter; limit: number; cursor: string | null }, ViewPage];
  appointments_past: [{ filter: AppointmentFilter; limit: number; cursor: string | null }, ViewPage];
  /** Offline full-text search of the cached history. */
  appointments_search: [{ query: string; limit: number }, AppointmentView[]];
  appointments_get: [{ id: Id }, AppointmentView];
  appointments_policy: [{ id: Id }, ChangePolicy];
  appointments_note: [{ id: Id }, Note | null];
  appointments_calls: [{ id: Id }, CallRecord[]];
  appointments_pending: [Record<string, never>, PendingAction[]];
  appointments_dismiss: [{ outbox_id: number }, null];
  appointments_retry: [{ outbox_id: number }, null];
  appointments_book: [{ provider_id: Id; start: Timestamp; reason: string }, BookOutcome];
  appointments_cancel: [{ id: Id; reason: string }, ActionOutcome];
  appointments_reschedule: [{ id: Id; start: Timestamp }, ActionOutcome];
  appointments_set_status: [{ id: Id; action: StatusAction }, ActionOutcome];
  appointments_write_note: [{ id: Id; text: string }, ActionOutcome];
  stats: [{ from: Timestamp; to: Timestamp }, Stats];
  sync_status: [Record<string, never>, SyncStatus];
  sync_now: [Record<string, never>, SyncReport];
  reminders_scheduled: [Record<string, never>, Reminder[]];
  video_check: [{ id: Id }, PreCallReport];
  video_join: [{ id: Id }, CallView];
  video_leave: [Record<string, never>, null];
  video_view: [Record<string, never>, CallView | null];
  video_mute_audio: [{ muted: boolean }, null];
  video_mute_video: [{ muted: boolean }, null];
  video_switch_device: [{ device: Device; device_id: string }, null];
  /** Opens the call page in the system browser (for webviews without WebRTC); returns its URL. */
  video_open_in_browser: [{ id: Id; lang?: string | null }, string];
  engine_event: [{ event: EngineEvent }, null];
  engine_devices: [{ status: DeviceStatus }, null];
}

/** Tauri events the shell emits: name -> payload. */
export interface Events {
  "core://event": CoreEvent;
  "core://sync-status": SyncStatus;
  "core://call-view": CallView;
  "core://engine": EngineCommand;
  /** A `psyter://appointment/<id>` link was opened (or a reminder notification clicked). */
  "core://open-appointment": { id: Id };
}
