# Psyter app messages, en-US: session, roles, sync and outbox states, units.
#
# Variables: strings are inserted as given; numbers are formatted for the locale. Selectors on numbers
# use the CLDR plural categories of the locale (en-US: one, other; exact numbers like [0] win first).

## Session

# $name: the user's display name. $role: the wire word, "patient" or "provider".
signed-in-as =
    Signed in as { $name } ({ $role ->
        [provider] { role-provider }
       *[patient] { role-patient }
    })
signed-out = You’ve signed out.
session-locked = The app is locked. Unlock it to continue.
    .action = Unlock

## Roles

role-patient = Patient
role-provider = Provider

## Sync state

sync-idle = Up to date
sync-syncing = Syncing…
sync-offline = Offline. Your changes will sync when you reconnect.
sync-error = Couldn’t sync. We’ll try again automatically.
    .action = Try again
# $count: actions saved on this device and not yet sent.
sync-pending-actions =
    { $count ->
        [0] Nothing waiting to sync
        [one] { $count } change waiting to sync
       *[other] { $count } changes waiting to sync
    }

## Outbox: one saved action (book, cancel, ...) on its way to the server

action-queued = Waiting to send
action-sending = Sending…
action-failed = Couldn’t send

## Units

# $count: a number of minutes.
minutes =
    { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
