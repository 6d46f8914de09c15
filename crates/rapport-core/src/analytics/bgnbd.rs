//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
//! while active a customer buys at Poisson rate λ ~ Gamma(r, α); after each purchase they
//! drop out with probability p ~ Beta(a, b). Dropping out can only happen after a purchase,
//! so a customer with no repeat purchase is certainly alive in this model (see `churn`).

use serde::{Deserialize, Serialize};

use super::optimize::{Objective, WARM_START_FROM_ROWS, minimise_warm};
use super::special::{digamma, hyp2f1, ln_gamma, log_add_exp};
use super::summary::{CustomerSummary, History, WeightedHistory, coarsen, collapse};
use super::transaction_model::{TransactionModel, check_horizon, check_positive};
use super::{AnalyticsError, FitOptions, l2_penalty};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A fitted BG/NBD model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub params: BgNbdParams,
    /// Total (not mean) log-likelihood of the fitting data at `params`.
    pub log_likelihood: f64,
}

impl BgNbd {
    /// Maximum-likelihood fit on calibration summaries.
    pub fn fit<K>(summaries: &[CustomerSummary<K>]) -> Result<Self, AnalyticsError> {
        let rows = collapse(summaries.iter().map(|s| &s.history));
        Self::fit_histories(&rows, FitOptions::default())
    }

    /// Fit on weighted histories, with options.
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
        let params = BgNbdParams::from_logs(&m.x)?;
        Ok(Self {
            params,
            log_likelihood: params.total_log_likelihood(rows),
        })
    }
}

pub(crate) fn check_rows(rows: &[WeightedHistory]) -> Result<f64, AnalyticsError> {
    let mut total = 0.0;
    for row in rows {
        row.history.validate()?;
        if !(row.weight.is_finite() && row.weight >= 0.0) {
            return Err(AnalyticsError::InvalidParameter {
                name: "weight",
                value: row.weight,
            });
        }
        total += row.weight;
    }
    if total > 0.0 {
        Ok(total)
    } else {
        Err(AnalyticsError::EmptyInput)
    }
}

impl BgNbdParams {
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self, AnalyticsError> {
        check_positive("r", r)?;
        check_positive("alpha", alpha)?;
        check_positive("a", a)?;
        check_positive("b", b)?;
        Ok(Self { r, alpha, a, b })
    }

    fn from_logs(x: &[f64]) -> Result<Self, AnalyticsError> {
        Self::new(x[0].exp(), x[1].exp(), x[2].exp(), x[3].exp())
    }

    /// ln L(r, α, a, b | x, t_x, T) of one customer.
    pub fn log_likelihood(&self, h: &History) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let x = f64::from(h.frequency);
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + h.age).ln();
        let tail = if h.frequency > 0 {
            log_add_exp(
                a3,
                a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + h.recency).ln(),
            )
        } else {
            a3
        };
        a1 + a2 + tail
    }

    pub fn total_log_likelihood(&self, rows: &[WeightedHistory]) -> f64 {
        rows.iter()
            .map(|row| row.weight * self.log_likelihood(&row.history))
            .sum()
    }

    /// The odds a/(b+x−1) ((α+T)/(α+t_x))^(r+x) of having dropped out after the last
    /// purchase against being alive; 0 for customers without a repeat purchase.
    fn dropout_odds(&self, h: &History) -> f64 {
        if h.frequency == 0 {
            return 0.0;
        }
        let x = f64::from(h.frequency);
        let log_odds = self.a.ln() - (self.b + x - 1.0).ln()
            + (self.r + x) * ((self.alpha + h.age).ln() - (self.alpha + h.recency).ln());
        log_odds.exp()
    }

    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))],
    /// the expected purchases in (T, T+t] of a customer known to be alive at T.
    fn expected_if_alive(&self, x: f64, age: f64, t: f64) -> Result<f64, AnalyticsError> {
        // At a = 1 the two factors are ∞ · 0; the limit is smooth, so straddle it.
        if (self.a - 1.0).abs() < 1e-7 {
            let lo = Self {
                a: 1.0 - 2e-7,
                ..*self
            }
            .expected_if_alive(x, age, t)?;
            let hi = Self {
                a: 1.0 + 2e-7,
                ..*self
            }
            .expected_if_alive(x, age, t)?;
            return Ok(0.5 * (lo + hi));
        }
        let Self { r, alpha, a, b } = *self;
        let span = alpha + age + t;
        let f = hyp2f1(r + x, b + x, a + b + x - 1.0, t / span)?;
        let decay = ((r + x) * ((alpha + age) / span).ln()).exp();
        Ok((a + b + x - 1.0) / (a - 1.0) * (1.0 - decay * f))
    }
}

impl TransactionModel for BgNbdParams {
    fn probability_alive(&self, history: &History) -> f64 {
        1.0 / (1.0 + self.dropout_odds(history))
    }

    fn conditional_expected_purchases(
        &self,
        history: &History,
        t: f64,
    ) -> Result<f64, AnalyticsError> {
        check_horizon(t)?;
        let x = f64::from(history.frequency);
        Ok(self.expected_if_alive(x, history.age, t)? * self.probability_alive(history))
    }

    fn expected_purchases(&self, t: f64) -> Result<f64, AnalyticsError> {
        check_horizon(t)?;
        // A new customer is alive at 0 with history x = 0, T = 0.
        self.expected_if_alive(0.0, 0.0, t)
    }

    fn probability_no_purchase(&self, history: &History, t: f64) -> f64 {
        // Alive at T, the customer can only drop out at a purchase, so "no purchase" means
        // zero Poisson events: E[e^(−λt)] under the posterior Gamma(r+x, α+T).
        let x = f64::from(history.frequency);
        let silent = ((self.r + x)
            * ((self.alpha + history.age) / (self.alpha + history.age + t)).ln())
        .exp();
        let alive = self.probability_alive(history);
        1.0 - alive + alive * silent
    }
}

/// The mean negative log-likelihood over log-parameters, with its analytic gradient.
#[derive(Clone, Copy)]
struct Likelihood<'a> {
    rows: &'a [WeightedHistory],
    total_weight: f64,
    penalizer: f64,
}

/// Terms that depend on the frequency only, recomputed when the (sorted) rows move to the
/// next frequency rather than on every row.
struct PerFrequency {
    x: u32,
    ln_terms: f64,
    d_r: f64,
    d_a: f64,
    d_b: f64,
}

impl Likelihood<'_> {
    fn evaluate(&self, logs: &[f64], gradient: Option<&mut [f64]>) -> f64 {
        let (r, alpha, a, b) = (logs[0].exp(), logs[1].exp(), logs[2].exp(), logs[3].exp());
        let (ln_alpha, ln_a) = (logs[1], logs[2]);
        let (psi_r, psi_b, psi_ab) = (digamma(r), digamma(b), digamma(a + b));
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let per_frequency = |x: u32| {
            let xf = f64::from(x);
            PerFrequency {
                x,
                ln_terms: ln_gamma(r + xf) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + xf)
                    - lg_b
                    - ln_gamma(a + b + xf),
                d_r: digamma(r + xf) - psi_r + ln_alpha,
                d_a: psi_ab - digamma(a + b + xf),
                d_b: digamma(b + xf) - psi_b + psi_ab - digamma(a + b + xf),
            }
        };
        let mut cache = per_frequency(0);
        let (mut ll, mut g) = (0.0, [0.0f64; 4]);
        for row in self.rows {
            let h = &row.history;
            if h.frequency != cache.x {
                cache = per_frequency(h.frequency);
            }
            let x = f64::from(h.frequency);
            let ln_at = (alpha + h.age).ln();
            let a3 = -(r + x) * ln_at;
            let (tail, w3, dr_tail, dalpha_tail, da_tail, db_tail);
            if h.frequency > 0 {
                let ln_ar = (alpha + h.recency).ln();
                let bx = b + x - 1.0;
                let a4 = ln_a - bx.ln() - (r + x) * ln_ar;
                // log_add_exp with the mixing weights from the same exponential.
                let w4;
                if a4 <= a3 {
                    let e = (a4 - a3).exp();
                    tail = a3 + e.ln_1p();
                    w4 = e / (1.0 + e);
                    w3 = 1.0 - w4;
                } else {
                    let e = (a3 - a4).exp();
                    tail = a4 + e.ln_1p();
                    w3 = e / (1.0 + e);
                    w4 = 1.0 - w3;
                }
                dr_tail = -w3 * ln_at - w4 * ln_ar;
                dalpha_tail = -(r + x) * (w3 / (alpha + h.age) + w4 / (alpha + h.recency));
                da_tail = w4 / a;
                db_tail = -w4 / bx;
            } else {
                tail = a3;
                dr_tail = -ln_at;
                dalpha_tail = -(r + x) / (alpha + h.age);
                (da_tail, db_tail) = (0.0, 0.0);
            }
            let w = row.weight;
            ll += w * (cache.ln_terms + tail);
            g[0] += w * (cache.d_r + dr_tail);
            g[1] += w * (r / alpha + dalpha_tail);
            g[2] += w * (cache.d_a + da_tail);
            g[3] += w * (cache.d_b + db_tail);
        }
        let params = [r, alpha, a, b];
        let value = -ll / self.total_weight + l2_penalty(self.penalizer, &params);
        if let Some(out) = gradient {
            for i in 0..4 {
                // Chain rule for p = e^θ: d/dθ = p d/dp.
                out[i] = params[i] * (-g[i] / self.total_weight)
                    + 2.0 * self.penalizer * params[i] * params[i];
            }
        }
        if value.is_finite() {
            value
        } else {
            f64::INFINITY
        }
    }
}

impl Objective for Likelihood<'_> {
    fn value(&self, x: &[f64]) -> f64 {
        self.evaluate(x, None)
    }

    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64 {
        self.evaluate(x, Some(gradient))
    }

    fn gradient_is_cheap(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::optimize::central_differences;
    use proptest::prelude::*;

    /// The estimates Fader, Hardie & Lee (2005) report for the CDNOW sample.
    const PUBLISHED: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    fn history(x: u32, t_x: f64, t: f64) -> History {
        History {
            frequency: x,
            recency: t_x,
            age: t,
        }
    }

    #[test]
    fn the_published_conditional_expectation_for_x2_is_reproduced() {
        // FHL 2005, section 5: x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the
        // next 39 weeks.
        let e = PUBLISHED
            .conditional_expected_purchases(&history(2, 30.43, 38.86), 39.0)
            .unwrap_or(f64::NAN);
        assert_eq!(format!("{e:.3}"), "1.226");
    }

    #[test]
    fn a_customer_without_repeat_purchases_is_certainly_alive() {
        assert_eq!(PUBLISHED.probability_alive(&history(0, 0.0, 30.0)), 1.0);
    }

    #[test]
    fn the_analytic_gradient_matches_central_differences() {
        let rows = collapse(&[
            history(0, 0.0, 30.0),
            history(3, 20.0, 35.0),
            history(1, 2.0, 3.0),
        ]);
        let objective = Likelihood {
            rows: &rows,
            total_weight: 3.0,
            penalizer: 0.01,
        };
        let at = [-0.5, 1.2, -0.3, 0.8];
        let (mut analytic, mut numeric) = ([0.0; 4], [0.0; 4]);
        objective.value_and_gradient(&at, &mut analytic);
        central_differences(&objective, &at, &mut numeric);
        for i in 0..4 {
            assert!(
                (analytic[i] - numeric[i]).abs() < 1e-7,
                "{analytic:?} {numeric:?}"
            );
        }
    }

    #[test]
    fn the_expectation_at_a_equal_to_one_is_finite() {
        let p = BgNbdParams {
            a: 1.0,
            ..PUBLISHED
        };
        let e = p.expected_purchases(10.0).unwrap_or(f64::NAN);
        let near = BgNbdParams {
            a: 1.001,
            ..PUBLISHED
        }
        .expected_purchases(10.0)
        .unwrap_or(0.0);
        assert!((e - near).abs() < 1e-3, "{e} {near}");
    }

    fn params() -> impl Strategy<Value = BgNbdParams> {
        (0.05f64..5.0, 0.5f64..50.0, 0.1f64..5.0, 0.1f64..10.0)
            .prop_map(|(r, alpha, a, b)| BgNbdParams { r, alpha, a, b })
    }

    fn histories() -> impl Strategy<Value = History> {
        (0u32..30, 0.0f64..1.0, 0.1f64..80.0)
            .prop_map(|(x, share, t)| history(x, if x == 0 { 0.0 } else { share * t }, t))
    }

    proptest! {
        #[test]
        fn p_alive_is_a_probability(p in params(), h in histories()) {
            let alive = p.probability_alive(&h);
            prop_assert!((0.0..=1.0).contains(&alive));
            let silent = p.probability_no_purchase(&h, 10.0);
            prop_assert!((0.0..=1.0).contains(&silent));
        }

        #[test]
        fn expectations_are_non_negative_and_grow_with_the_horizon(
            p in params(), h in histories(), t in 0.5f64..100.0
        ) {
            let short = p.conditional_expected_purchases(&h, t).unwrap_or(f64::NAN);
            let long = p.conditional_expected_purchases(&h, 2.0 * t).unwrap_or(f64::NAN);
            prop_assert!(short >= 0.0 && long >= short * (1.0 - 1e-9), "{} {}", short, long);
            let u_short = p.expected_purchases(t).unwrap_or(f64::NAN);
            let u_long = p.expected_purchases(2.0 * t).unwrap_or(f64::NAN);
            prop_assert!(u_short >= 0.0 && u_long >= u_short * (1.0 - 1e-9));
        }
    }
}
