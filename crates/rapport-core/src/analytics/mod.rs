//! Customer-base analytics: the probability models of Fader & Hardie (BG/NBD, Pareto/NBD,
//! Gamma-Gamma, BG/BB), customer lifetime value, RFM scores, acquisition cohorts and churn
//! risk.
//!
//! Everything here is pure maths over purchase histories the caller has already loaded; dates
//! are parameters, never the clock. Amounts are `f64` in the workspace's base currency: the
//! models are continuous-valued maximum-likelihood fits, so converting from `Money` minor
//! units happens once at the edge rather than inside every likelihood evaluation.
//!
//! Time in the transaction models is measured in weeks (days / 7), as in the papers, so that
//! fitted parameters can be compared with the published ones.

pub mod bgbb;
pub mod bgnbd;
pub mod churn;
pub mod clv;
pub mod cohorts;
pub mod gammagamma;
pub mod optimize;
pub mod paretonbd;
pub mod rfm;
pub mod special;
pub mod summary;
pub mod transaction_model;

#[cfg(test)]
mod acceptance_tests;
#[cfg(test)]
mod testdata;

pub use transaction_model::TransactionModel;

/// Everything that can go wrong in the analytics module.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalyticsError {
    #[error("there is no data to fit or score")]
    EmptyInput,
    #[error("amount {0} is not a finite, non-negative number")]
    InvalidAmount(f64),
    #[error("the holdout period must end after the calibration period")]
    InvalidPeriod,
    #[error("parameter {name} = {value} is outside its valid range")]
    InvalidParameter { name: &'static str, value: f64 },
    #[error("purchase history is inconsistent: {0}")]
    InvalidHistory(&'static str),
    #[error("{0} did not converge")]
    NoConvergence(&'static str),
    #[error("the Gamma-Gamma model needs at least one repeat buyer with positive spend")]
    NoRepeatBuyers,
    #[error("scores and labels have different lengths ({scores} and {labels})")]
    LengthMismatch { scores: usize, labels: usize },
    #[error("AUC needs at least one positive and one negative label")]
    SingleClass,
}

/// Options shared by every maximum-likelihood fit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitOptions {
    /// L2 penalty on the natural parameters, added to the mean negative log-likelihood as in
    /// the `lifetimes` package. Zero reproduces the published maximum-likelihood estimates;
    /// a small value (0.001–0.1) keeps fits on tiny or degenerate data from running off to
    /// infinity.
    pub penalizer: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self { penalizer: 0.0 }
    }
}

impl FitOptions {
    fn validate(&self) -> Result<(), AnalyticsError> {
        if self.penalizer.is_finite() && self.penalizer >= 0.0 {
            Ok(())
        } else {
            Err(AnalyticsError::InvalidParameter {
                name: "penalizer",
                value: self.penalizer,
            })
        }
    }
}

/// The penalty term added to the mean negative log-likelihood.
fn l2_penalty(penalizer: f64, params: &[f64]) -> f64 {
    penalizer * params.iter().map(|p| p * p).sum::<f64>()
}
