//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while active a customer buys
//! at Poisson rate λ ~ Gamma(r, α) and drops out after an exponential lifetime with rate
//! μ ~ Gamma(s, β). Unlike BG/NBD, dropping out does not wait for a purchase, so one-time
//! buyers age into likely-dead customers.
//!
//! The likelihood follows Fader & Hardie's note "Evaluating the Pareto/NBD log-likelihood"
//! (2005): the ₂F₁ is always taken with the larger of α and β in the denominator, so its
//! argument stays in [0, 1) and the series converges, and the difference of the two ₂F₁
//! terms is taken in log space.

use serde::{Deserialize, Serialize};

use super::bgnbd::check_rows;
use super::optimize::{Objective, WARM_START_FROM_ROWS, minimise_warm};
use super::special::{hyp2f1, ln_gamma, log_add_exp, log_sub_exp};
use super::summary::{CustomerSummary, History, WeightedHistory, coarsen, collapse};
use super::transaction_model::{TransactionModel, check_horizon, check_positive};
use super::{AnalyticsError, FitOptions, l2_penalty};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// A fitted Pareto/NBD model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    pub params: ParetoNbdParams,
    /// Total log-likelihood of the fitting data at `params`.
    pub log_likelihood: f64,
}

impl ParetoNbd {
    pub fn fit<K>(summaries: &[CustomerSummary<K>]) -> Result<Self, AnalyticsError> {
        let rows = collapse(summaries.iter().map(|s| &s.history));
        Self::fit_histories(&rows, FitOptions::default())
    }

    pub fn fit_histories(
        rows: &[WeightedHistory],
        options: FitOptions,
    ) -> Result<Self, AnalyticsError> {
        options.validate()?;
        let total_weight = check_rows(rows)?;
        let objective = Likelihood {
            rows,
            total_weight,
            penalizer: options.penalizer,
        };
        let coarse_rows = (rows.len() > WARM_START_FROM_ROWS).then(|| coarsen(rows));
        let coarse = coarse_rows
            .as_deref()
            .map(|rows| Likelihood { rows, ..objective });
        let m = minimise_warm(&objective, coarse.as_ref(), 4)?;
        let params = ParetoNbdParams::new(m.x[0].exp(), m.x[1].exp(), m.x[2].exp(), m.x[3].exp())?;
        Ok(Self {
            params,
            log_likelihood: params.total_log_likelihood(rows)?,
        })
    }
}

impl ParetoNbdParams {
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self, AnalyticsError> {
        check_positive("r", r)?;
        check_positive("alpha", alpha)?;
        check_positive("s", s)?;
        check_positive("beta", beta)?;
        Ok(Self { r, alpha, s, beta })
    }

    /// ln L(r, α, s, β | x, t_x, T) of one customer.
    pub fn log_likelihood(&self, h: &History) -> Result<f64, AnalyticsError> {
        let x = f64::from(h.frequency);
        let head = ln_gamma(self.r + x) - ln_gamma(self.r);
        self.log_likelihood_given(h, head)
    }

    pub fn total_log_likelihood(&self, rows: &[WeightedHistory]) -> Result<f64, AnalyticsError> {
        rows.iter()
            .map(|row| Ok(row.weight * self.log_likelihood(&row.history)?))
            .sum()
    }

    /// The likelihood with ln Γ(r+x) − ln Γ(r) supplied, so a fit can cache it per frequency.
    fn log_likelihood_given(
        &self,
        h: &History,
        ln_gamma_ratio: f64,
    ) -> Result<f64, AnalyticsError> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(h.frequency);
        let alive_all_along = -(r + x) * (alpha + h.age).ln() - s * (beta + h.age).ln();
        let died_in_between = s.ln() - (r + s + x).ln() + self.log_a0(h)?;
        Ok(ln_gamma_ratio
            + r * alpha.ln()
            + s * beta.ln()
            + log_add_exp(alive_all_along, died_in_between))
    }

    /// ln A₀ of Fader & Hardie's note: the probability mass of dropping out between the last
    /// purchase and T, up to the common factors.
    fn log_a0(&self, h: &History) -> Result<f64, AnalyticsError> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(h.frequency);
        let (larger, smaller, b) = if alpha < beta {
            (beta, alpha, r + x)
        } else {
            (alpha, beta, s + 1.0)
        };
        let rsx = r + s + x;
        let gap = larger - smaller;
        let at = |t: f64| -> Result<f64, AnalyticsError> {
            let q = larger + t;
            Ok(hyp2f1(rsx, b, rsx + 1.0, gap / q)?.ln() - rsx * q.ln())
        };
        let (from_last, from_end) = (at(h.recency)?, at(h.age)?);
        // Equal when t_x = T (and up to rounding when they are close): no room to drop out.
        if from_end >= from_last {
            return Ok(f64::NEG_INFINITY);
        }
        Ok(log_sub_exp(from_last, from_end))
    }

    fn probability_alive_checked(&self, h: &History) -> Result<f64, AnalyticsError> {
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(h.frequency);
        let log_odds = s.ln() - (r + s + x).ln()
            + (r + x) * (alpha + h.age).ln()
            + s * (beta + h.age).ln()
            + self.log_a0(h)?;
        Ok(1.0 / (1.0 + log_odds.exp()))
    }
}

/// [1 − y^(s−1)] / (s − 1), continuous through s = 1 where it is −ln y.
fn lifetime_factor(s: f64, y: f64) -> f64 {
    let ln_y = y.ln();
    if (s - 1.0).abs() < 1e-10 {
        -ln_y
    } else {
        -((s - 1.0) * ln_y).exp_m1() / (s - 1.0)
    }
}

/// Intervals of the Simpson rule for P(no purchase); the integrand is smooth and monotone.
const SIMPSON_INTERVALS: usize = 200;

impl TransactionModel for ParetoNbdParams {
    fn probability_alive(&self, history: &History) -> f64 {
        self.probability_alive_checked(history).unwrap_or(f64::NAN)
    }

    fn conditional_expected_purchases(
        &self,
        history: &History,
        t: f64,
    ) -> Result<f64, AnalyticsError> {
        check_horizon(t)?;
        let Self { r, alpha, s, beta } = *self;
        let x = f64::from(history.frequency);
        let big_t = history.age;
        let alive = self.probability_alive_checked(history)?;
        let rate_times_life = (r + x) * (beta + big_t) / (alpha + big_t)
            * lifetime_factor(s, (beta + big_t) / (beta + big_t + t));
        Ok(alive * rate_times_life)
    }

    fn expected_purchases(&self, t: f64) -> Result<f64, AnalyticsError> {
        check_horizon(t)?;
        let Self { r, alpha, s, beta } = *self;
        Ok(r * beta / alpha * lifetime_factor(s, beta / (beta + t)))
    }

    fn probability_no_purchase(&self, history: &History, t: f64) -> f64 {
        // Alive at T the posterior is λ ~ Gamma(r+x, α+T), μ ~ Gamma(s, β+T), independent.
        // A purchase before dropping out within t has probability ∫₀ᵗ λ e^(−(λ+μ)u) du, whose
        // expectation factorises into the integrand below.
        let Self { r, alpha, s, beta } = *self;
        let Ok(alive) = self.probability_alive_checked(history) else {
            return f64::NAN;
        };
        let (rx, at, bt) = (
            r + f64::from(history.frequency),
            alpha + history.age,
            beta + history.age,
        );
        let density = |u: f64| rx / at * (at / (at + u)).powf(rx + 1.0) * (bt / (bt + u)).powf(s);
        let h = t / SIMPSON_INTERVALS as f64;
        let mut sum = density(0.0) + density(t);
        for i in 1..SIMPSON_INTERVALS {
            let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
            sum += weight * density(i as f64 * h);
        }
        let buys = (sum * h / 3.0).clamp(0.0, 1.0);
        1.0 - alive * buys
    }
}

#[derive(Clone, Copy)]
struct Likelihood<'a> {
    rows: &'a [WeightedHistory],
    total_weight: f64,
    penalizer: f64,
}

impl Objective for Likelihood<'_> {
    fn value(&self, logs: &[f64]) -> f64 {
        let p = ParetoNbdParams {
            r: logs[0].exp(),
            alpha: logs[1].exp(),
            s: logs[2].exp(),
            beta: logs[3].exp(),
        };
        let lg_r = ln_gamma(p.r);
        let mut cached = (u32::MAX, 0.0);
        let mut ll = 0.0;
        for row in self.rows {
            let x = row.history.frequency;
            if cached.0 != x {
                cached = (x, ln_gamma(p.r + f64::from(x)) - lg_r);
            }
            match p.log_likelihood_given(&row.history, cached.1) {
                Ok(v) => ll += row.weight * v,
                Err(_) => return f64::INFINITY,
            }
        }
        let value =
            -ll / self.total_weight + l2_penalty(self.penalizer, &[p.r, p.alpha, p.s, p.beta]);
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
    use proptest::prelude::*;

    const PUBLISHED: ParetoNbdParams = ParetoNbdParams {
        r: 0.553,
        alpha: 10.578,
        s: 0.606,
        beta: 11.669,
    };

    fn history(x: u32, t_x: f64, t: f64) -> History {
        History {
            frequency: x,
            recency: t_x,
            age: t,
        }
    }

    #[test]
    fn a_one_time_buyer_looks_less_alive_the_longer_ago_they_bought() {
        let recent = PUBLISHED.probability_alive(&history(0, 0.0, 5.0));
        let old = PUBLISHED.probability_alive(&history(0, 0.0, 50.0));
        assert!(old < recent && recent < 1.0, "{old} {recent}");
    }

    #[test]
    fn the_likelihood_is_the_same_on_both_sides_of_alpha_equal_beta() {
        let h = history(3, 20.0, 38.0);
        let below = ParetoNbdParams {
            alpha: 11.0 - 1e-9,
            beta: 11.0,
            ..PUBLISHED
        };
        let above = ParetoNbdParams {
            alpha: 11.0 + 1e-9,
            beta: 11.0,
            ..PUBLISHED
        };
        let (lo, hi) = (
            below.log_likelihood(&h).unwrap_or(f64::NAN),
            above.log_likelihood(&h).unwrap_or(f64::NAN),
        );
        assert!((lo - hi).abs() < 1e-7, "{lo} {hi}");
    }

    #[test]
    fn expected_purchases_at_s_equal_to_one_are_the_limit() {
        let at_one = ParetoNbdParams {
            s: 1.0,
            ..PUBLISHED
        }
        .expected_purchases(20.0)
        .unwrap_or(0.0);
        let near = ParetoNbdParams {
            s: 1.0 + 1e-6,
            ..PUBLISHED
        }
        .expected_purchases(20.0)
        .unwrap_or(1.0);
        assert!((at_one - near).abs() < 1e-5);
    }

    fn params() -> impl Strategy<Value = ParetoNbdParams> {
        (0.05f64..5.0, 0.5f64..50.0, 0.05f64..5.0, 0.5f64..50.0)
            .prop_map(|(r, alpha, s, beta)| ParetoNbdParams { r, alpha, s, beta })
    }

    fn histories() -> impl Strategy<Value = History> {
        (0u32..30, 0.0f64..1.0, 0.1f64..80.0)
            .prop_map(|(x, share, t)| history(x, if x == 0 { 0.0 } else { share * t }, t))
    }

    proptest! {
        #[test]
        fn p_alive_and_p_silent_are_probabilities(p in params(), h in histories()) {
            let alive = p.probability_alive(&h);
            prop_assert!((0.0..=1.0).contains(&alive), "{}", alive);
            let silent = p.probability_no_purchase(&h, 10.0);
            prop_assert!((0.0..=1.0).contains(&silent), "{}", silent);
        }

        #[test]
        fn expectations_are_non_negative_and_grow_with_the_horizon(
            p in params(), h in histories(), t in 0.5f64..100.0
        ) {
            let short = p.conditional_expected_purchases(&h, t).unwrap_or(f64::NAN);
            let long = p.conditional_expected_purchases(&h, 2.0 * t).unwrap_or(f64::NAN);
            prop_assert!(short >= 0.0 && long >= short, "{} {}", short, long);
            let silent_short = p.probability_no_purchase(&h, t);
            let silent_long = p.probability_no_purchase(&h, 2.0 * t);
            prop_assert!(silent_long <= silent_short + 1e-12);
        }
    }
}
