//! Failed logins counted per account name and per client address: after
//! `lock_after` failures within `window` an account name is locked for
//! `lock_for` (its right password included: that is the point), and an
//! address that fails `address_limit` times within `window` waits until the
//! oldest of those failures leaves the window. Names are counted whether or
//! not such an account exists, so a lock reveals nothing.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub lock_after: u32,
    pub lock_for: Duration,
    pub address_limit: u32,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            lock_after: 5,
            lock_for: Duration::from_secs(15 * 60),
            address_limit: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Default)]
struct Failures {
    at: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

impl Failures {
    fn forget_before(&mut self, start: Option<Instant>) {
        while self.at.front().is_some_and(|t| Some(*t) < start) {
            self.at.pop_front();
        }
    }
}

/// The counts, kept in memory (a restart forgets them).
#[derive(Default)]
pub struct Throttle {
    limits: Limits,
    names: HashMap<String, Failures>,
    addresses: HashMap<IpAddr, Failures>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Throttle {
        Throttle {
            limits,
            ..Throttle::default()
        }
    }

    /// `Err(wait)` when a login for `name` from `address` must not be tried now.
    pub fn check(
        &mut self,
        name: &str,
        address: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let start = now.checked_sub(self.limits.window);
        if let Some(f) = self.names.get_mut(name) {
            f.forget_before(start);
            if let Some(until) = f.locked_until {
                if until > now {
                    return Err(until - now);
                }
                f.locked_until = None;
            }
        }
        if let Some(f) = address.and_then(|a| self.addresses.get_mut(&a)) {
            f.forget_before(start);
            if f.at.len() >= self.limits.address_limit as usize {
                let oldest = f.at.front().copied().unwrap_or(now);
                return Err((oldest + self.limits.window).saturating_duration_since(now));
            }
        }
        Ok(())
    }

    /// Counts a failed login.
    pub fn failed(&mut self, name: &str, address: Option<IpAddr>, now: Instant) {
        if self.names.len() > 10_000 {
            self.names
                .retain(|_, f| f.locked_until.is_some_and(|u| u > now));
        }
        let limits = self.limits;
        let f = self.names.entry(name.to_owned()).or_default();
        f.at.push_back(now);
        f.forget_before(now.checked_sub(limits.window));
        if f.at.len() >= limits.lock_after as usize {
            f.locked_until = Some(now + limits.lock_for);
            f.at.clear();
        }
        if let Some(address) = address {
            if self.addresses.len() > 10_000 {
                self.addresses.clear();
            }
            self.addresses.entry(address).or_default().at.push_back(now);
        }
    }

    /// A successful login clears the name's failures.
    pub fn succeeded(&mut self, name: &str) {
        self.names.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            lock_after: 3,
            lock_for: Duration::from_secs(60),
            address_limit: 5,
            window: Duration::from_secs(100),
        }
    }

    #[test]
    fn a_name_is_locked_after_repeated_failures_and_unlocked_later() {
        let mut t = Throttle::new(limits());
        let now = Instant::now();
        for i in 0..3 {
            assert!(t.check("ana", None, now).is_ok(), "attempt {i}");
            t.failed("ana", None, now);
        }
        assert_eq!(t.check("ana", None, now), Err(Duration::from_secs(60)));
        assert!(
            t.check("ben", None, now).is_ok(),
            "other names are not locked"
        );
        assert!(t.check("ana", None, now + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn old_failures_leave_the_window_and_a_success_clears_them() {
        let mut t = Throttle::new(limits());
        let now = Instant::now();
        t.failed("ana", None, now);
        t.failed("ana", None, now);
        t.failed("ana", None, now + Duration::from_secs(150));
        assert!(t.check("ana", None, now + Duration::from_secs(150)).is_ok());
        t.succeeded("ana");
        t.failed("ana", None, now + Duration::from_secs(151));
        t.failed("ana", None, now + Duration::from_secs(152));
        assert!(t.check("ana", None, now + Duration::from_secs(152)).is_ok());
    }

    #[test]
    fn an_address_trying_many_names_waits() {
        let mut t = Throttle::new(limits());
        let now = Instant::now();
        let ip: IpAddr = [203, 0, 113, 5].into();
        for i in 0..5 {
            t.failed(&format!("name{i}"), Some(ip), now + Duration::from_secs(i));
        }
        let wait = t.check("someone", Some(ip), now + Duration::from_secs(10));
        assert_eq!(wait, Err(Duration::from_secs(90)));
        assert!(t
            .check("someone", Some([203, 0, 113, 6].into()), now)
            .is_ok());
        assert!(t
            .check("someone", Some(ip), now + Duration::from_secs(101))
            .is_ok());
    }
}
