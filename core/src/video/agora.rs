//! Agora's three connection vocabularies mapped onto the engine events: the Web SDK (NG)
//! `connection-state-change` (state strings and `ConnectionDisconnectedReason`), and the native SDKs'
//! `connectionStateChanged` (iOS `AgoraConnectionState` / Android `CONNECTION_STATE_*`, which share the
//! numbers 1-5, with `ConnectionChangedReason` 0-22). Shells pass the raw values; the core decides.

use jiff::Timestamp;
use psyter_agora_token::RtcPrivilege;

use super::engine::{ConnectionReason, EngineConnection, EngineEvent};

/// When an AccessToken2 stops admitting to the channel: its issue time plus the earlier of the token's
/// own lifetime and the join privilege's (0 means "no limit" on the wire). `None` for anything that
/// does not parse as an AccessToken2 (the server's `expires_at` then stands alone).
pub fn token_expiry(token: &str) -> Option<Timestamp> {
    let parsed = psyter_agora_token::parse(token).ok()?;
    let join = parsed.rtc().and_then(|rtc| rtc.privilege_expire(RtcPrivilege::JoinChannel)).filter(|s| *s > 0);
    let token_life = Some(parsed.expire_secs()).filter(|s| *s > 0);
    let life = [join, token_life].into_iter().flatten().min()?;
    Timestamp::from_second(i64::from(parsed.issue_ts()) + i64::from(life)).ok()
}

/// A Web SDK `connection-state-change`: `cur_state` such as `"RECONNECTING"`, and for `DISCONNECTED`
/// the reason such as `"NETWORK_ERROR"`. Unknown words map to the safest meaning (network trouble).
pub fn web_connection(cur_state: &str, reason: Option<&str>) -> EngineEvent {
    let state = match cur_state {
        "CONNECTING" => EngineConnection::Connecting,
        "CONNECTED" => EngineConnection::Connected,
        "RECONNECTING" => EngineConnection::Reconnecting,
        "DISCONNECTING" | "DISCONNECTED" => EngineConnection::Disconnected,
        _ => EngineConnection::Reconnecting,
    };
    let reason = match reason {
        None => ConnectionReason::Normal,
        Some("LEAVE") => ConnectionReason::Left,
        Some("NETWORK_ERROR") => ConnectionReason::Network,
        Some("SERVER_ERROR") => ConnectionReason::Server,
        Some("UID_BANNED" | "IP_BANNED" | "CHANNEL_BANNED") => ConnectionReason::Banned,
        Some(_) => ConnectionReason::Network,
    };
    // The Web SDK reports a dropped connection as DISCONNECTED with NETWORK_ERROR after its own retries.
    let state = match (state, reason) {
        (EngineConnection::Disconnected, ConnectionReason::Network | ConnectionReason::Server) => {
            EngineConnection::Failed
        }
        (state, _) => state,
    };
    EngineEvent::Connection { state, reason }
}

/// A native `connectionStateChanged(state, reason)` from iOS or Android.
pub fn native_connection(state: i32, reason: i32) -> EngineEvent {
    let state = match state {
        1 => EngineConnection::Disconnected,
        2 => EngineConnection::Connecting,
        3 => EngineConnection::Connected,
        4 => EngineConnection::Reconnecting,
        5 => EngineConnection::Failed,
        _ => EngineConnection::Reconnecting,
    };
    let reason = match reason {
        // connecting, join success, renew token, rejoin success, echo test, setting proxy
        0 | 1 | 11 | 12 | 15 | 17 => ConnectionReason::Normal,
        // interrupted, IP changed, keep-alive timeout, lost, IP changed by user
        2 | 13 | 14 | 16 | 18 => ConnectionReason::Network,
        3 | 10 => ConnectionReason::Banned,
        4 => ConnectionReason::JoinFailed,
        5 => ConnectionReason::Left,
        6 | 7 | 20 => ConnectionReason::Config,
        8 => ConnectionReason::TokenInvalid,
        9 => ConnectionReason::TokenExpired,
        19 => ConnectionReason::SameUidElsewhere,
        _ => ConnectionReason::Network,
    };
    EngineEvent::Connection { state, reason }
}

/// A network-quality report on Agora's 0-6 scale (both SDKs); values outside it count as unknown.
pub fn quality(uplink: i32, downlink: i32) -> EngineEvent {
    let clamp = |q: i32| u8::try_from(q).ok().filter(|q| *q <= 6).unwrap_or(0);
    EngineEvent::Quality { uplink: clamp(uplink), downlink: clamp(downlink) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConnectionReason as R;
    use EngineConnection as S;

    fn conn(e: EngineEvent) -> (S, R) {
        match e {
            EngineEvent::Connection { state, reason } => (state, reason),
            other => panic!("not a connection event: {other:?}"),
        }
    }

    #[test]
    fn web_states_and_reasons() {
        assert_eq!(conn(web_connection("CONNECTED", None)), (S::Connected, R::Normal));
        assert_eq!(conn(web_connection("RECONNECTING", None)), (S::Reconnecting, R::Normal));
        assert_eq!(conn(web_connection("DISCONNECTED", Some("LEAVE"))), (S::Disconnected, R::Left));
        assert_eq!(conn(web_connection("DISCONNECTED", Some("NETWORK_ERROR"))), (S::Failed, R::Network));
        assert_eq!(conn(web_connection("DISCONNECTED", Some("UID_BANNED"))), (S::Disconnected, R::Banned));
        assert_eq!(conn(web_connection("WHATEVER", Some("NEW_REASON"))), (S::Reconnecting, R::Network));
    }

    #[test]
    fn native_states_and_reasons() {
        assert_eq!(conn(native_connection(3, 1)), (S::Connected, R::Normal));
        assert_eq!(conn(native_connection(4, 2)), (S::Reconnecting, R::Network));
        assert_eq!(conn(native_connection(5, 4)), (S::Failed, R::JoinFailed));
        assert_eq!(conn(native_connection(1, 5)), (S::Disconnected, R::Left));
        assert_eq!(conn(native_connection(5, 3)), (S::Failed, R::Banned));
        assert_eq!(conn(native_connection(5, 19)), (S::Failed, R::SameUidElsewhere));
        assert_eq!(conn(native_connection(4, 9)), (S::Reconnecting, R::TokenExpired));
        assert_eq!(conn(native_connection(5, 8)), (S::Failed, R::TokenInvalid));
        assert_eq!(conn(native_connection(99, -1)), (S::Reconnecting, R::Network));
    }

    #[test]
    fn token_expiry_is_the_earliest_of_token_and_join_privilege() {
        let token = psyter_agora_token::build_rtc_token(
            "970CA35de60c44645bbae8a215061b33",
            "5CFd2fd1755d40ecb72977518be15d3b",
            "psyter-x",
            7,
            psyter_agora_token::Role::Publisher,
            600,
            900,
            1_900_000_000,
            42,
        )
        .expect("token");
        assert_eq!(token_expiry(&token), Timestamp::from_second(1_900_000_600).ok());
        assert_eq!(token_expiry("sandbox.jwt.token"), None);
    }

    #[test]
    fn quality_is_clamped_to_the_scale() {
        assert_eq!(quality(1, 6), EngineEvent::Quality { uplink: 1, downlink: 6 });
        assert_eq!(quality(-3, 9), EngineEvent::Quality { uplink: 0, downlink: 0 });
    }
}
