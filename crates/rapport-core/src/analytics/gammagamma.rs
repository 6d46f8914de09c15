//! The Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma
//! model of monetary value"): each transaction's value is Gamma(p, ν) with ν ~ Gamma(q, γ)
//! across customers, independent of purchase counts. It is fitted on repeat buyers only,
//! with x = number of repeat days and their mean value (the first purchase is left out, as
//! in the note). Customers whose mean repeat spend is 0 are left out too: a Gamma
//! likelihood has no mass there.

use serde::{Deserialize, Serialize};

use super::optimize::{Objective, Tolerance, minimise};
use super::special::{digamma, ln_gamma};
use super::summary::CustomerSummary;
use super::transaction_model::check_positive;
use super::{AnalyticsError, FitOptions, l2_penalty};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// A fitted Gamma-Gamma model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub params: GammaGammaParams,
    pub log_likelihood: f64,
    /// Repeat buyers the model was fitted on.
    pub customers: f64,
}

/// Identical (frequency, mean spend) pairs with their count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpendRow {
    /// Number of repeat purchases, at least 1.
    pub frequency: u32,
    pub mean_spend: f64,
    pub weight: f64,
}

impl GammaGamma {
    /// Fits on the repeat buyers among `summaries`, using their mean repeat spend.
    pub fn fit<K>(summaries: &[CustomerSummary<K>]) -> Result<Self, AnalyticsError> {
        let rows = spend_rows(
            summaries
                .iter()
                .map(|s| (s.history.frequency, s.mean_repeat_spend)),
        );
        Self::fit_rows(&rows, FitOptions::default())
    }

    pub fn fit_rows(rows: &[SpendRow], options: FitOptions) -> Result<Self, AnalyticsError> {
        options.validate()?;
        let usable: Vec<SpendRow> = rows
            .iter()
            .copied()
            .filter(|r| r.frequency > 0 && r.mean_spend > 0.0 && r.weight > 0.0)
            .collect();
        if usable
            .iter()
            .any(|r| !r.mean_spend.is_finite() || !r.weight.is_finite())
        {
            return Err(AnalyticsError::InvalidHistory(
                "spend and weights must be finite",
            ));
        }
        let customers: f64 = usable.iter().map(|r| r.weight).sum();
        if customers == 0.0 {
            return Err(AnalyticsError::NoRepeatBuyers);
        }
        let objective = Likelihood {
            rows: &usable,
            total_weight: customers,
            penalizer: options.penalizer,
        };
        let m = minimise(&objective, &[0.0; 3], Tolerance::default())?;
        let params = GammaGammaParams::new(m.x[0].exp(), m.x[1].exp(), m.x[2].exp())?;
        Ok(Self {
            params,
            log_likelihood: -objective.evaluate(&m.x, None) * customers
                + l2_penalty(options.penalizer, &[params.p, params.q, params.gamma]) * customers,
            customers,
        })
    }
}

/// Collapses (frequency, mean spend) pairs into weighted rows sorted by frequency, keeping
/// only repeat buyers with positive spend.
pub fn spend_rows(pairs: impl IntoIterator<Item = (u32, f64)>) -> Vec<SpendRow> {
    let mut keys: Vec<(u32, u64)> = pairs
        .into_iter()
        .filter(|&(x, m)| x > 0 && m > 0.0 && m.is_finite())
        .map(|(x, m)| (x, m.to_bits()))
        .collect();
    keys.sort_unstable();
    keys.chunk_by(|a, b| a == b)
        .map(|run| SpendRow {
            frequency: run[0].0,
            mean_spend: f64::from_bits(run[0].1),
            weight: run.len() as f64,
        })
        .collect()
}

impl GammaGammaParams {
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self, AnalyticsError> {
        check_positive("p", p)?;
        check_positive("q", q)?;
        check_positive("gamma", gamma)?;
        Ok(Self { p, q, gamma })
    }

    /// E[mean spend | x repeat purchases with mean `mean_spend`] = (γ + m x) p / (p x + q − 1):
    /// a weighted average of the population mean and the customer's own mean. With x = 0 it
    /// is the population mean. Needs q > 1 for the mean to exist.
    pub fn conditional_expected_spend(
        &self,
        frequency: u32,
        mean_spend: f64,
    ) -> Result<f64, AnalyticsError> {
        if self.q <= 1.0 {
            return Err(AnalyticsError::InvalidParameter {
                name: "q (must exceed 1 for a finite mean)",
                value: self.q,
            });
        }
        if !(mean_spend.is_finite() && mean_spend >= 0.0) {
            return Err(AnalyticsError::InvalidAmount(mean_spend));
        }
        let x = f64::from(frequency);
        let m = if frequency == 0 { 0.0 } else { mean_spend };
        Ok((self.gamma + m * x) * self.p / (self.p * x + self.q - 1.0))
    }
}

struct Likelihood<'a> {
    rows: &'a [SpendRow],
    total_weight: f64,
    penalizer: f64,
}

impl Likelihood<'_> {
    fn evaluate(&self, logs: &[f64], gradient: Option<&mut [f64]>) -> f64 {
        let (p, q, gamma) = (logs[0].exp(), logs[1].exp(), logs[2].exp());
        let (lg_q, psi_q, ln_gamma_scale) = (ln_gamma(q), digamma(q), logs[2]);
        // (x, ln Γ(px+q) − ln Γ(px) − ln Γ(q), ψ(px+q) − ψ(px), ψ(px+q), ln x)
        let per_frequency = |x: u32| {
            let px = p * f64::from(x);
            (
                x,
                ln_gamma(px + q) - ln_gamma(px) - lg_q,
                digamma(px + q) - digamma(px),
                digamma(px + q),
                f64::from(x).ln(),
            )
        };
        let mut cache = per_frequency(1);
        let (mut ll, mut g) = (0.0, [0.0f64; 3]);
        for row in self.rows {
            if row.frequency != cache.0 {
                cache = per_frequency(row.frequency);
            }
            let (_, ln_terms, psi_diff, psi_pxq, ln_x) = cache;
            let x = f64::from(row.frequency);
            let (px, ln_m) = (p * x, row.mean_spend.ln());
            let ln_scale = (gamma + row.mean_spend * x).ln();
            let w = row.weight;
            ll += w
                * (ln_terms + q * ln_gamma_scale + (px - 1.0) * ln_m + px * ln_x
                    - (px + q) * ln_scale);
            g[0] += w * x * (psi_diff + ln_m + ln_x - ln_scale);
            g[1] += w * (psi_pxq - psi_q + ln_gamma_scale - ln_scale);
            g[2] += w * (q / gamma - (px + q) / (gamma + row.mean_spend * x));
        }
        let params = [p, q, gamma];
        let value = -ll / self.total_weight + l2_penalty(self.penalizer, &params);
        if let Some(out) = gradient {
            for i in 0..3 {
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

    #[test]
    fn the_analytic_gradient_matches_central_differences() {
        let rows = spend_rows([(1, 20.0), (3, 35.5), (3, 35.5), (7, 12.0)]);
        let objective = Likelihood {
            rows: &rows,
            total_weight: 4.0,
            penalizer: 0.01,
        };
        let at = [1.1, 0.9, 2.3];
        let (mut analytic, mut numeric) = ([0.0; 3], [0.0; 3]);
        objective.value_and_gradient(&at, &mut analytic);
        central_differences(&objective, &at, &mut numeric);
        for i in 0..3 {
            assert!(
                (analytic[i] - numeric[i]).abs() < 1e-7,
                "{analytic:?} {numeric:?}"
            );
        }
    }

    #[test]
    fn fitting_without_repeat_buyers_is_an_error() {
        let rows = spend_rows([(0, 10.0), (2, 0.0)]);
        assert_eq!(
            GammaGamma::fit_rows(&rows, FitOptions::default()),
            Err(AnalyticsError::NoRepeatBuyers)
        );
    }

    proptest! {
        #[test]
        fn the_expected_spend_lies_between_the_population_and_the_customer_mean(
            x in 1u32..50, m in 0.01f64..1000.0,
            p in 0.5f64..20.0, q in 1.1f64..20.0, gamma in 0.5f64..100.0,
        ) {
            let params = GammaGammaParams { p, q, gamma };
            let population = params.conditional_expected_spend(0, 0.0).unwrap_or(f64::NAN);
            let e = params.conditional_expected_spend(x, m).unwrap_or(f64::NAN);
            let (lo, hi) = (population.min(m), population.max(m));
            prop_assert!(e >= lo * (1.0 - 1e-12) && e <= hi * (1.0 + 1e-12), "{} {} {}", e, lo, hi);
        }
    }
}
