# Psyter appointment messages, en-US: statuses, lists, booking and cancelling, reminders.
#
# $provider: the provider's display name. $when: a date and/or time already formatted for the locale.

## Appointment status (FHIR R4 words)

status-proposed = Proposed
status-pending = Awaiting confirmation
status-booked = Booked
status-arrived = Arrived
status-fulfilled = Completed
status-cancelled = Cancelled
status-noshow = Missed
status-entered-in-error = Entered in error
status-checked-in = Checked in
status-waitlist = On the waitlist

## Lists

upcoming-heading = Upcoming
history-heading = Past appointments
no-appointments = You have no appointments yet.
# $count: the number of appointments in the list.
appointments-count =
    { $count ->
        [0] No appointments
        [one] { $count } appointment
       *[other] { $count } appointments
    }

## Booking and cancelling

booked-confirmation = You’re booked with { $provider } on { $when }.
booking-queued-offline = You’re offline. Your booking with { $provider } on { $when } will be sent when you reconnect.
cancelled-confirmation = Your appointment has been cancelled.
cancel-queued-offline = You’re offline. Your cancellation will be sent when you reconnect.

## Reminders

reminder-title = Upcoming session
# $minutes: minutes until the session starts. $when: its start time.
reminder-body =
    { $minutes ->
        [0] Your session with { $provider } is starting now ({ $when }).
        [one] Your session with { $provider } starts in { $minutes } minute ({ $when }).
       *[other] Your session with { $provider } starts in { $minutes } minutes ({ $when }).
    }
# $count: reminders scheduled on this device.
reminders-planned =
    { $count ->
        [0] No reminders scheduled
        [one] { $count } reminder scheduled
       *[other] { $count } reminders scheduled
    }
