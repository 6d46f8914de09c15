//! Churn risk: the probability that a customer makes no purchase in the next `k` weeks.
//!
//! Why not 1 − P(alive) from BG/NBD: in BG/NBD a customer can only drop out right after a
//! purchase, so everyone without a repeat purchase has P(alive) = 1. Ranking by it puts every
//! one-time buyer, including those silent for a year, below any repeat buyer — usually the
//! opposite of the truth, since one-time buyers are the bulk of churners. The score here is
//! P(X(T, T+k) = 0 | history) under Pareto/NBD, where lifetimes end in continuous time, so
//! it combines "probably gone" with "alive but buys rarely", and grows for a one-time buyer
//! as their first purchase recedes.
//!
//! [`evaluate_holdout`] checks the score honestly: it fits on the calibration period only and
//! labels customers by what they did in the later holdout period.

use ::time::Date;
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::paretonbd::{ParetoNbd, ParetoNbdParams};
use super::summary::{History, Transaction, summarise, weeks_between};
use super::transaction_model::TransactionModel;

/// P(no purchase in the next `horizon_weeks` | history): 0 = certainly buys, 1 = certainly not.
pub fn churn_risk(model: &impl TransactionModel, history: &History, horizon_weeks: f64) -> f64 {
    model.probability_no_purchase(history, horizon_weeks)
}

/// Area under the ROC curve of `scores` against `labels` (true = positive), by the
/// Mann–Whitney statistic: the probability that a random positive scores above a random
/// negative, ties counted as one half.
pub fn auc(scores: &[f64], labels: &[bool]) -> Result<f64, AnalyticsError> {
    if scores.len() != labels.len() {
        return Err(AnalyticsError::LengthMismatch {
            scores: scores.len(),
            labels: labels.len(),
        });
    }
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(AnalyticsError::SingleClass);
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum of the (1-based, tie-averaged) ranks of the positives.
    let (mut rank_sum, mut start) = (0.0, 0usize);
    for run in order.chunk_by(|&a, &b| scores[a].total_cmp(&scores[b]).is_eq()) {
        let mean_rank = start as f64 + (run.len() as f64 + 1.0) / 2.0;
        rank_sum += mean_rank * run.iter().filter(|&&i| labels[i]).count() as f64;
        start += run.len();
    }
    let (p, n) = (positives as f64, negatives as f64);
    Ok((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// How well the churn score separated churners in a time-based holdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChurnEvaluation {
    pub auc: f64,
    pub customers: usize,
    /// Customers with no purchase in the holdout period.
    pub churned: usize,
    pub horizon_weeks: f64,
    /// The Pareto/NBD model fitted on calibration data only.
    pub model: ParetoNbdParams,
}

/// Fits Pareto/NBD on purchases up to `calibration_end`, scores each customer's churn risk
/// over the holdout length, and measures the AUC against "no purchase in
/// (calibration_end, holdout_end]". Holdout purchases are never seen by the fit.
pub fn evaluate_holdout<K: Ord + Clone>(
    transactions: &[Transaction<K>],
    calibration_end: Date,
    holdout_end: Date,
) -> Result<ChurnEvaluation, AnalyticsError> {
    let summaries = summarise(transactions, calibration_end, Some(holdout_end))?;
    // The fit only reads the calibration histories.
    let model = ParetoNbd::fit(&summaries)?.params;
    let horizon_weeks = weeks_between(calibration_end, holdout_end);
    let scores: Vec<f64> = summaries
        .iter()
        .map(|s| churn_risk(&model, &s.history, horizon_weeks))
        .collect();
    let labels: Vec<bool> = summaries.iter().map(|s| s.holdout_purchases == 0).collect();
    Ok(ChurnEvaluation {
        auc: auc(&scores, &labels)?,
        customers: summaries.len(),
        churned: labels.iter().filter(|&&l| l).count(),
        horizon_weeks,
        model,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_perfect_score_has_auc_one_and_a_reversed_one_zero() {
        let scores = [0.1, 0.2, 0.8, 0.9];
        let labels = [false, false, true, true];
        assert_eq!(auc(&scores, &labels), Ok(1.0));
        let reversed = [0.9, 0.8, 0.2, 0.1];
        assert_eq!(auc(&reversed, &labels), Ok(0.0));
    }

    #[test]
    fn ties_count_one_half() {
        assert_eq!(auc(&[0.5, 0.5], &[true, false]), Ok(0.5));
        assert_eq!(auc(&[0.5, 0.5, 0.9], &[false, true, true]), Ok(0.75));
    }

    #[test]
    fn auc_needs_both_classes_and_matching_lengths() {
        assert_eq!(
            auc(&[0.1, 0.2], &[true, true]),
            Err(AnalyticsError::SingleClass)
        );
        assert!(matches!(
            auc(&[0.1], &[true, false]),
            Err(AnalyticsError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn a_one_time_buyer_is_more_at_risk_the_longer_ago_they_bought() {
        let model = ParetoNbdParams {
            r: 0.553,
            alpha: 10.578,
            s: 0.606,
            beta: 11.669,
        };
        let h = |age| History {
            frequency: 0,
            recency: 0.0,
            age,
        };
        assert!(churn_risk(&model, &h(35.0), 39.0) > churn_risk(&model, &h(5.0), 39.0));
    }

    proptest! {
        #[test]
        fn auc_matches_counting_all_pairs(pairs in proptest::collection::vec((0u8..6, any::<bool>()), 2..60)) {
            let scores: Vec<f64> = pairs.iter().map(|p| f64::from(p.0)).collect();
            let labels: Vec<bool> = pairs.iter().map(|p| p.1).collect();
            prop_assume!(labels.iter().any(|&l| l) && labels.iter().any(|&l| !l));
            let mut wins = 0.0;
            let mut total = 0.0;
            for (i, &li) in labels.iter().enumerate() {
                for (j, &lj) in labels.iter().enumerate() {
                    if li && !lj {
                        total += 1.0;
                        wins += if scores[i] > scores[j] { 1.0 } else if scores[i] == scores[j] { 0.5 } else { 0.0 };
                    }
                }
            }
            let a = auc(&scores, &labels).unwrap_or(f64::NAN);
            prop_assert!((a - wins / total).abs() < 1e-12);
        }
    }
}
