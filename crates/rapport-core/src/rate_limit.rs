//! The login limiter: a generic cell rate algorithm (GCRA).
//!
//! GCRA keeps one number per key — the theoretical arrival time (TAT) — which makes it cheap
//! to store in the database, where it must live so the limit holds across app nodes.
//! `burst` requests pass at once; after that one more passes every `period / burst`.

use std::time::Duration;

use crate::time::Timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    pub burst: u32,
    pub period: Duration,
}

impl Quota {
    /// DESIGN §6: a burst of 10 a minute.
    pub const LOGIN: Quota = Quota {
        burst: 10,
        period: Duration::from_secs(60),
    };

    fn emission_interval(self) -> Duration {
        self.period / self.burst.max(1)
    }

    fn tolerance(self) -> Duration {
        self.emission_interval() * self.burst.max(1).saturating_sub(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Let it through and store `new_tat` for the key.
    Allow { new_tat: Timestamp },
    /// Refuse; the caller may try again after `retry_after`. The stored TAT is unchanged.
    Deny { retry_after: Duration },
}

/// Decides one request at `now` given the stored TAT (None for a key never seen).
pub fn decide(stored_tat: Option<Timestamp>, now: Timestamp, quota: Quota) -> Decision {
    let tat = stored_tat.map_or(now, |t| t.max(now));
    let allow_at = tat.saturating_sub(quota.tolerance());
    if allow_at > now {
        Decision::Deny {
            retry_after: allow_at.since(now),
        }
    } else {
        Decision::Allow {
            new_tat: tat.saturating_add(quota.emission_interval()),
        }
    }
}

/// When a stored TAT no longer affects any decision and its row can be deleted.
pub fn is_stale(stored_tat: Timestamp, now: Timestamp) -> bool {
    stored_tat <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(times_secs: &[i64], quota: Quota) -> Vec<bool> {
        let mut tat = None;
        times_secs
            .iter()
            .map(|s| match decide(tat, Timestamp::from_secs(*s), quota) {
                Decision::Allow { new_tat } => {
                    tat = Some(new_tat);
                    true
                }
                Decision::Deny { .. } => false,
            })
            .collect()
    }

    #[test]
    fn ten_at_once_pass_the_eleventh_waits() {
        let got = run(&[0; 12], Quota::LOGIN);
        assert_eq!(got, [vec![true; 10], vec![false; 2]].concat());
    }

    #[test]
    fn one_more_every_six_seconds_after_the_burst() {
        let mut times = vec![0; 10];
        times.extend([1, 5, 6, 7, 12]);
        let got = run(&times, Quota::LOGIN);
        assert_eq!(&got[10..], &[false, false, true, false, true]);
    }

    #[test]
    fn retry_after_says_when_the_next_request_passes() {
        let quota = Quota::LOGIN;
        let mut tat = None;
        for _ in 0..10 {
            if let Decision::Allow { new_tat } = decide(tat, Timestamp::from_secs(0), quota) {
                tat = Some(new_tat);
            }
        }
        let Decision::Deny { retry_after } = decide(tat, Timestamp::from_secs(0), quota) else {
            panic!("the eleventh request passed");
        };
        assert_eq!(retry_after, Duration::from_secs(6));
        let later = Timestamp::from_secs(0).saturating_add(retry_after);
        assert!(matches!(decide(tat, later, quota), Decision::Allow { .. }));
    }

    proptest! {
        /// Over any window of `period`, at most `burst` + window/interval requests pass.
        #[test]
        fn never_more_than_the_quota(mut gaps in proptest::collection::vec(0u64..5_000, 1..200)) {
            let quota = Quota::LOGIN;
            gaps.sort_unstable();
            let mut tat = None;
            let mut passed = Vec::new();
            let mut now = 0i64;
            for gap_ms in gaps {
                now += i64::try_from(gap_ms).unwrap_or(0) * 1_000;
                if let Decision::Allow { new_tat } = decide(tat, Timestamp::from_micros(now), quota) {
                    tat = Some(new_tat);
                    passed.push(now);
                }
            }
            let period = i64::try_from(quota.period.as_micros()).unwrap_or(i64::MAX);
            for (i, start) in passed.iter().enumerate() {
                let in_window = passed[i..].iter().take_while(|t| **t < start + period).count();
                prop_assert!(in_window <= 2 * quota.burst as usize, "{in_window} in one period");
            }
        }
    }
}
