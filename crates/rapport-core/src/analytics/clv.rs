//! Customer lifetime value: expected purchases from a transaction model times expected spend
//! from Gamma-Gamma, discounted monthly.
//!
//! CLV = Σᵢ₌₁ᴴ (E[X(T, T+tᵢ)] − E[X(T, T+tᵢ₋₁)]) · E[spend] / (1 + d)ⁱ with tᵢ = i months in
//! weeks, the scheme of the `lifetimes` package: each month's expected purchases, valued at
//! the customer's expected spend, discounted to the end of calibration. A month is
//! 365.25 / 12 / 7 ≈ 4.348 weeks.

use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::gammagamma::GammaGammaParams;
use super::summary::History;
use super::transaction_model::TransactionModel;

pub const WEEKS_PER_MONTH: f64 = 365.25 / 12.0 / 7.0;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClvOptions {
    /// Horizon in months.
    pub months: u32,
    /// Discount rate per month, e.g. 0.01 for about 12.7% a year.
    pub monthly_discount_rate: f64,
}

/// Expected discounted value of a customer over `options.months`, given their calibration
/// history and mean repeat spend.
pub fn customer_lifetime_value(
    purchases: &impl TransactionModel,
    spend: &GammaGammaParams,
    history: &History,
    mean_repeat_spend: f64,
    options: ClvOptions,
) -> Result<f64, AnalyticsError> {
    let d = options.monthly_discount_rate;
    if !(d.is_finite() && d > -1.0) {
        return Err(AnalyticsError::InvalidParameter {
            name: "monthly_discount_rate",
            value: d,
        });
    }
    let value = spend.conditional_expected_spend(history.frequency, mean_repeat_spend)?;
    let mut total = 0.0;
    let mut previous = 0.0;
    let mut discount = 1.0;
    for i in 1..=options.months {
        let cumulative =
            purchases.conditional_expected_purchases(history, f64::from(i) * WEEKS_PER_MONTH)?;
        discount /= 1.0 + d;
        total += (cumulative - previous) * value * discount;
        previous = cumulative;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::bgnbd::BgNbdParams;
    use proptest::prelude::*;

    const MODEL: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    const SPEND: GammaGammaParams = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };

    #[test]
    fn without_discounting_clv_is_expected_purchases_times_expected_spend() {
        let h = History {
            frequency: 2,
            recency: 30.43,
            age: 38.86,
        };
        let options = ClvOptions {
            months: 12,
            monthly_discount_rate: 0.0,
        };
        let clv = customer_lifetime_value(&MODEL, &SPEND, &h, 40.0, options).unwrap_or(f64::NAN);
        let purchases = MODEL
            .conditional_expected_purchases(&h, 12.0 * WEEKS_PER_MONTH)
            .unwrap_or(f64::NAN);
        let spend = SPEND
            .conditional_expected_spend(2, 40.0)
            .unwrap_or(f64::NAN);
        assert!(
            (clv - purchases * spend).abs() < 1e-9,
            "{clv} {}",
            purchases * spend
        );
    }

    proptest! {
        #[test]
        fn clv_grows_with_the_horizon_and_shrinks_with_the_discount_rate(
            x in 0u32..20, share in 0.0f64..1.0, age in 1.0f64..80.0, months in 1u32..36,
        ) {
            let h = History { frequency: x, recency: if x == 0 { 0.0 } else { share * age }, age };
            let at = |months, rate| customer_lifetime_value(
                &MODEL, &SPEND, &h, 30.0, ClvOptions { months, monthly_discount_rate: rate },
            ).unwrap_or(f64::NAN);
            prop_assert!(at(months, 0.01) >= 0.0);
            prop_assert!(at(months + 1, 0.01) >= at(months, 0.01));
            prop_assert!(at(months, 0.02) <= at(months, 0.01));
        }
    }
}
