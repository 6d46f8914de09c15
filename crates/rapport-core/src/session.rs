//! When a UI session is still alive.

use std::time::Duration;

use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionTimeouts {
    /// Ends a session nobody has used for this long.
    pub idle: Duration,
    /// Ends every session this long after sign-in, used or not.
    pub absolute: Duration,
    /// Writes `last_seen_at` at most this often, so reads do not turn into writes.
    pub touch_every: Duration,
}

impl Default for SessionTimeouts {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(2 * 60 * 60),
            absolute: Duration::from_secs(12 * 60 * 60),
            touch_every: Duration::from_secs(60),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    Live { touch: bool },
    Expired,
}

pub fn evaluate(
    created_at: Timestamp,
    last_seen_at: Timestamp,
    now: Timestamp,
    t: SessionTimeouts,
) -> SessionState {
    if now.since(created_at) >= t.absolute || now.since(last_seen_at) >= t.idle {
        return SessionState::Expired;
    }
    SessionState::Live {
        touch: now.since(last_seen_at) >= t.touch_every,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeout_table() {
        let t = SessionTimeouts {
            idle: Duration::from_secs(100),
            absolute: Duration::from_secs(1000),
            touch_every: Duration::from_secs(10),
        };
        let s = Timestamp::from_secs;
        let cases = [
            (0, 0, 0, SessionState::Live { touch: false }),
            (0, 0, 9, SessionState::Live { touch: false }),
            (0, 0, 10, SessionState::Live { touch: true }),
            (0, 0, 99, SessionState::Live { touch: true }),
            (0, 0, 100, SessionState::Expired),
            (0, 950, 999, SessionState::Live { touch: true }),
            (0, 990, 1000, SessionState::Expired),
            (0, 50, 40, SessionState::Live { touch: false }),
        ];
        for (created, seen, now, expected) in cases {
            assert_eq!(
                evaluate(s(created), s(seen), s(now), t),
                expected,
                "{created} {seen} {now}"
            );
        }
    }
}
