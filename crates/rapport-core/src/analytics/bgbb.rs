//! The BG/BB model (Fader, Hardie & Shang 2010) for discrete transaction opportunities
//! (yearly donations, annual events): at each opportunity an active customer transacts with
//! probability p ~ Beta(α, β) and, before each later opportunity, drops out with probability
//! θ ~ Beta(γ, δ). Histories are (x transactions, last one at opportunity t_x, out of n).

use serde::{Deserialize, Serialize};

use super::optimize::{Objective, Tolerance, minimise};
use super::special::{ln_beta, log_add_exp, log_sum_exp};
use super::transaction_model::check_positive;
use super::{AnalyticsError, FitOptions, l2_penalty};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgBbParams {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub delta: f64,
}

/// A fitted BG/BB model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgBb {
    pub params: BgBbParams,
    pub log_likelihood: f64,
}

/// A discrete purchase history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscreteHistory {
    /// `x`: opportunities with a transaction.
    pub frequency: u32,
    /// `t_x`: the last opportunity with a transaction, 0 when none.
    pub recency: u32,
    /// `n`: opportunities observed.
    pub periods: u32,
}

impl DiscreteHistory {
    pub fn new(frequency: u32, recency: u32, periods: u32) -> Result<Self, AnalyticsError> {
        let valid =
            frequency <= recency && recency <= periods && (frequency == 0) == (recency == 0);
        if valid {
            Ok(Self {
                frequency,
                recency,
                periods,
            })
        } else {
            Err(AnalyticsError::InvalidHistory(
                "need x <= t_x <= n, and t_x = 0 exactly when x = 0",
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DiscreteRow {
    pub history: DiscreteHistory,
    pub weight: f64,
}

impl BgBb {
    pub fn fit(rows: &[DiscreteRow]) -> Result<Self, AnalyticsError> {
        Self::fit_with(rows, FitOptions::default())
    }

    pub fn fit_with(rows: &[DiscreteRow], options: FitOptions) -> Result<Self, AnalyticsError> {
        options.validate()?;
        let mut total_weight = 0.0;
        for row in rows {
            let h = row.history;
            DiscreteHistory::new(h.frequency, h.recency, h.periods)?;
            if !(row.weight.is_finite() && row.weight >= 0.0) {
                return Err(AnalyticsError::InvalidParameter {
                    name: "weight",
                    value: row.weight,
                });
            }
            total_weight += row.weight;
        }
        if total_weight == 0.0 {
            return Err(AnalyticsError::EmptyInput);
        }
        let objective = Likelihood {
            rows,
            total_weight,
            penalizer: options.penalizer,
        };
        let m = minimise(&objective, &[0.0; 4], Tolerance::default())?;
        let params = BgBbParams::new(m.x[0].exp(), m.x[1].exp(), m.x[2].exp(), m.x[3].exp())?;
        Ok(Self {
            params,
            log_likelihood: rows
                .iter()
                .map(|r| r.weight * params.log_likelihood(&r.history))
                .sum(),
        })
    }
}

impl BgBbParams {
    pub fn new(alpha: f64, beta: f64, gamma: f64, delta: f64) -> Result<Self, AnalyticsError> {
        check_positive("alpha", alpha)?;
        check_positive("beta", beta)?;
        check_positive("gamma", gamma)?;
        check_positive("delta", delta)?;
        Ok(Self {
            alpha,
            beta,
            gamma,
            delta,
        })
    }

    /// ln L(α, β, γ, δ | x, t_x, n): alive through all n opportunities, or dropped out
    /// after opportunity t_x + i for some i in 0..n − t_x.
    pub fn log_likelihood(&self, h: &DiscreteHistory) -> f64 {
        let Self {
            alpha,
            beta,
            gamma,
            delta,
        } = *self;
        let (x, tx, n) = (
            f64::from(h.frequency),
            f64::from(h.recency),
            f64::from(h.periods),
        );
        let (b_ab, b_gd) = (ln_beta(alpha, beta), ln_beta(gamma, delta));
        let mut total = ln_beta(alpha + x, beta + n - x) - b_ab + ln_beta(gamma, delta + n) - b_gd;
        for i in 0..(h.periods - h.recency) {
            let i = f64::from(i);
            let dropped = ln_beta(alpha + x, beta + tx - x + i) - b_ab
                + ln_beta(gamma + 1.0, delta + tx + i)
                - b_gd;
            total = log_add_exp(total, dropped);
        }
        total
    }

    /// P(alive at opportunity n + 1 | history), equation (11) of FHS 2010.
    pub fn probability_alive(&self, h: &DiscreteHistory) -> f64 {
        let (x, n) = (f64::from(h.frequency), f64::from(h.periods));
        let log_p = ln_beta(self.alpha + x, self.beta + n - x) - ln_beta(self.alpha, self.beta)
            + ln_beta(self.gamma, self.delta + n + 1.0)
            - ln_beta(self.gamma, self.delta)
            - self.log_likelihood(h);
        log_p.exp().clamp(0.0, 1.0)
    }

    /// E[transactions in opportunities n+1 … n+n* | history]. Summing the per-opportunity
    /// survival terms B(γ, δ+n+i)/B(γ, δ) equals FHS's closed form (13) but stays finite at
    /// γ = 1, where the closed form divides by zero.
    pub fn conditional_expected_transactions(&self, h: &DiscreteHistory, future: u32) -> f64 {
        let (x, n) = (f64::from(h.frequency), f64::from(h.periods));
        let b_gd = ln_beta(self.gamma, self.delta);
        let survival: Vec<f64> = (1..=future)
            .map(|i| ln_beta(self.gamma, self.delta + n + f64::from(i)) - b_gd)
            .collect();
        if survival.is_empty() {
            return 0.0;
        }
        let log_e = ln_beta(self.alpha + x + 1.0, self.beta + n - x)
            - ln_beta(self.alpha, self.beta)
            + log_sum_exp(&survival)
            - self.log_likelihood(h);
        log_e.exp()
    }
}

struct Likelihood<'a> {
    rows: &'a [DiscreteRow],
    total_weight: f64,
    penalizer: f64,
}

impl Objective for Likelihood<'_> {
    fn value(&self, logs: &[f64]) -> f64 {
        let p = BgBbParams {
            alpha: logs[0].exp(),
            beta: logs[1].exp(),
            gamma: logs[2].exp(),
            delta: logs[3].exp(),
        };
        let ll: f64 = self
            .rows
            .iter()
            .map(|r| r.weight * p.log_likelihood(&r.history))
            .sum();
        let value = -ll / self.total_weight
            + l2_penalty(self.penalizer, &[p.alpha, p.beta, p.gamma, p.delta]);
        if value.is_finite() {
            value
        } else {
            f64::INFINITY
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::special::ln_gamma;
    use proptest::prelude::*;

    fn params() -> impl Strategy<Value = BgBbParams> {
        (0.1f64..5.0, 0.1f64..5.0, 0.1f64..5.0, 0.1f64..5.0).prop_map(
            |(alpha, beta, gamma, delta)| BgBbParams {
                alpha,
                beta,
                gamma,
                delta,
            },
        )
    }

    fn histories() -> impl Strategy<Value = DiscreteHistory> {
        (1u32..12)
            .prop_flat_map(|n| (0..=n, Just(n)))
            .prop_flat_map(|(tx, n)| {
                let x = if tx == 0 {
                    Just(0u32).boxed()
                } else {
                    (1..=tx).boxed()
                };
                (x, Just(tx), Just(n))
            })
            .prop_map(|(frequency, recency, periods)| DiscreteHistory {
                frequency,
                recency,
                periods,
            })
    }

    #[test]
    fn the_probabilities_of_all_histories_of_n_opportunities_sum_to_one() {
        let p = BgBbParams {
            alpha: 1.2,
            beta: 0.75,
            gamma: 0.66,
            delta: 2.78,
        };
        let n = 6u32;
        let mut total = 0.0;
        // A (x, t_x) pattern stands for C(t_x − 1, x − 1) sequences with the same likelihood.
        for tx in 0..=n {
            for x in 0..=tx {
                let Ok(h) = DiscreteHistory::new(x, tx, n) else {
                    continue;
                };
                let sequences = if x == 0 {
                    1.0
                } else {
                    let (a, b) = (f64::from(tx - 1), f64::from(x - 1));
                    (ln_gamma(a + 1.0) - ln_gamma(b + 1.0) - ln_gamma(a - b + 1.0)).exp()
                };
                total += sequences * p.log_likelihood(&h).exp();
            }
        }
        assert!((total - 1.0).abs() < 1e-12, "{total}");
    }

    proptest! {
        #[test]
        fn p_alive_is_a_probability_and_expectations_grow(p in params(), h in histories()) {
            let alive = p.probability_alive(&h);
            prop_assert!((0.0..=1.0).contains(&alive));
            let e5 = p.conditional_expected_transactions(&h, 5);
            let e10 = p.conditional_expected_transactions(&h, 10);
            prop_assert!(e5 >= 0.0 && e10 >= e5);
        }

        #[test]
        fn the_sum_form_of_the_expectation_equals_the_closed_form(p in params(), h in histories()) {
            prop_assume!((p.gamma - 1.0).abs() > 0.05);
            let (x, n, m) = (f64::from(h.frequency), f64::from(h.periods), 5.0);
            let closed = (ln_beta(p.alpha + x + 1.0, p.beta + n - x) - ln_beta(p.alpha, p.beta)
                - p.log_likelihood(&h)
                + ln_gamma(p.gamma + p.delta) - ln_gamma(1.0 + p.delta)).exp()
                * p.delta / (p.gamma - 1.0)
                * ((ln_gamma(1.0 + p.delta + n) - ln_gamma(p.gamma + p.delta + n)).exp()
                    - (ln_gamma(1.0 + p.delta + n + m) - ln_gamma(p.gamma + p.delta + n + m)).exp());
            let sum = p.conditional_expected_transactions(&h, 5);
            prop_assert!((closed - sum).abs() <= 1e-9 * sum.max(1.0), "{} {}", closed, sum);
        }
    }
}
