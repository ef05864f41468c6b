//! Login throttling per account and per client address (in memory; resets on restart).

use std::collections::HashMap;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// Failure counters in a sliding window, keyed by account or address.
pub struct Throttle {
    per_account: u32,
    per_address: u32,
    window: SignedDuration,
    failures: Mutex<HashMap<String, Vec<Timestamp>>>,
}

impl Throttle {
    /// A throttle allowing the given failures per window.
    pub fn new(per_account: u32, per_address: u32, window: SignedDuration) -> Self {
        Self { per_account, per_address, window, failures: Mutex::new(HashMap::new()) }
    }

    /// Seconds to wait if either key is over its limit, else `None`.
    pub fn check(&self, account: &str, address: &str, now: Timestamp) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let a = self.wait(&mut map, &format!("acct:{account}"), self.per_account, now);
        let b = self.wait(&mut map, &format!("addr:{address}"), self.per_address, now);
        a.max(b)
    }

    fn wait(&self, map: &mut HashMap<String, Vec<Timestamp>>, key: &str, limit: u32, now: Timestamp) -> Option<u64> {
        let list = map.get_mut(key)?;
        list.retain(|t| *t > now - self.window);
        if list.len() < limit as usize {
            return None;
        }
        let oldest = list.first().copied()?;
        Some(((oldest + self.window).as_second() - now.as_second()).max(1) as u64)
    }

    /// Records a failed attempt against both keys.
    pub fn fail(&self, account: &str, address: &str, now: Timestamp) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in [format!("acct:{account}"), format!("addr:{address}")] {
            let list = map.entry(key).or_default();
            list.retain(|t| *t > now - self.window);
            list.push(now);
        }
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| *t > now - self.window));
        }
    }

    /// Clears the account's failures after a successful login.
    pub fn succeed(&self, account: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(&format!("acct:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_limit_and_reports_wait() {
        let t = Throttle::new(3, 100, SignedDuration::from_mins(15));
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().expect("ts");
        for _ in 0..3 {
            assert_eq!(t.check("a@x.io", "1.2.3.4", now), None);
            t.fail("a@x.io", "1.2.3.4", now);
        }
        assert_eq!(t.check("a@x.io", "1.2.3.4", now), Some(900));
        assert_eq!(t.check("b@x.io", "1.2.3.4", now), None, "other accounts unaffected below the address limit");
        let later = now + SignedDuration::from_mins(15) + SignedDuration::from_secs(1);
        assert_eq!(t.check("a@x.io", "1.2.3.4", later), None, "window slides");
    }
}
