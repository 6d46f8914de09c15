//! What CLV and churn need from a purchase-count model, so they work with BG/NBD and
//! Pareto/NBD alike.

use super::AnalyticsError;
use super::summary::History;

/// Predictions of a fitted model of purchase counts. Time is in weeks.
pub trait TransactionModel {
    /// P(the customer is still active at the end of calibration | history).
    fn probability_alive(&self, history: &History) -> f64;

    /// E[number of purchases in (T, T + t] | history].
    fn conditional_expected_purchases(
        &self,
        history: &History,
        t: f64,
    ) -> Result<f64, AnalyticsError>;

    /// E[number of purchases in (0, t]] for a customer just acquired at time 0.
    fn expected_purchases(&self, t: f64) -> Result<f64, AnalyticsError>;

    /// P(no purchase at all in (T, T + t] | history): dead, or alive and silent.
    fn probability_no_purchase(&self, history: &History, t: f64) -> f64;
}

pub(crate) fn check_horizon(t: f64) -> Result<(), AnalyticsError> {
    if t.is_finite() && t >= 0.0 {
        Ok(())
    } else {
        Err(AnalyticsError::InvalidParameter {
            name: "horizon",
            value: t,
        })
    }
}

pub(crate) fn check_positive(name: &'static str, value: f64) -> Result<(), AnalyticsError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(AnalyticsError::InvalidParameter { name, value })
    }
}
