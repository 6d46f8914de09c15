//! The acceptance criteria of issue 7: the published estimates on the public data sets,
//! reproduced to the printed digits.

use ::time::macros::date;

use super::bgbb::{BgBb, DiscreteHistory, DiscreteRow};
use super::bgnbd::BgNbd;
use super::churn::evaluate_holdout;
use super::cohorts::cohorts;
use super::gammagamma::GammaGamma;
use super::paretonbd::ParetoNbd;
use super::rfm::rfm;
use super::summary::{CustomerSummary, summarise};
use super::testdata;
use super::transaction_model::TransactionModel;

fn cdnow_calibration() -> Vec<CustomerSummary<u32>> {
    summarise(
        &testdata::cdnow(),
        date!(1997 - 09 - 30),
        Some(date!(1998 - 06 - 30)),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_cdnow_calibration_summary_matches_fader_and_hardie() {
    let s = cdnow_calibration();
    assert_eq!(s.len(), 2357);
    let one_time = s.iter().filter(|c| c.history.frequency == 0).count();
    assert_eq!(one_time, 1411);
    assert_eq!(s.len() - one_time, 946);
    let first_day = s.iter().find(|c| c.customer == 1).map(|c| c.history.age);
    assert_eq!(
        first_day.map(|t| format!("{t:.2}")).as_deref(),
        Some("38.86")
    );
    let repeats: u32 = s.iter().map(|c| c.history.frequency).sum();
    let holdout: u32 = s.iter().map(|c| c.holdout_purchases).sum();
    println!("repeat purchases in calibration {repeats}, in holdout {holdout}");
}

#[test]
fn bg_nbd_on_cdnow_gives_the_published_estimates() {
    let fit = BgNbd::fit(&cdnow_calibration()).unwrap_or_else(|e| panic!("{e}"));
    let p = fit.params;
    println!("{fit:?}");
    assert_eq!(
        format!("{:.3} {:.3} {:.3} {:.3}", p.r, p.alpha, p.a, p.b),
        "0.243 4.414 0.793 2.426"
    );
    assert_eq!(format!("{:.1}", fit.log_likelihood), "-9582.4");
}

#[test]
fn pareto_nbd_on_cdnow_gives_the_published_estimates() {
    let fit = ParetoNbd::fit(&cdnow_calibration()).unwrap_or_else(|e| panic!("{e}"));
    let p = fit.params;
    println!("{fit:?}");
    assert_eq!(
        format!("{:.3} {:.3} {:.3} {:.3}", p.r, p.alpha, p.s, p.beta),
        "0.553 10.578 0.606 11.669"
    );
    assert_eq!(format!("{:.1}", fit.log_likelihood), "-9595.0");
}

#[test]
fn gamma_gamma_on_the_cdnow_repeat_buyers_gives_the_published_estimates() {
    let fit = GammaGamma::fit(&cdnow_calibration()).unwrap_or_else(|e| panic!("{e}"));
    let p = fit.params;
    println!("{fit:?}");
    assert_eq!(fit.customers, 946.0);
    assert_eq!(
        format!("{:.2} {:.2} {:.2}", p.p, p.q, p.gamma),
        "6.25 3.74 15.44"
    );
}

#[test]
fn bg_bb_on_the_donations_gives_the_published_estimates() {
    let rows: Vec<DiscreteRow> = testdata::donations()
        .into_iter()
        .map(|(x, tx, n, weight)| DiscreteRow {
            history: DiscreteHistory::new(x, tx, n).unwrap_or_else(|e| panic!("{e}")),
            weight,
        })
        .collect();
    assert_eq!(rows.iter().map(|r| r.weight).sum::<f64>(), 11_104.0);
    let fit = BgBb::fit(&rows).unwrap_or_else(|e| panic!("{e}"));
    let p = fit.params;
    println!("{fit:?}");
    assert_eq!(
        format!("{:.3} {:.3} {:.3} {:.3}", p.alpha, p.beta, p.gamma, p.delta),
        "1.204 0.750 0.657 2.783"
    );
    assert_eq!(format!("{:.1}", fit.log_likelihood), "-33225.6");
}

#[test]
fn published_bg_nbd_predictions_are_reproduced_by_the_fitted_model() {
    let fit = BgNbd::fit(&cdnow_calibration()).unwrap_or_else(|e| panic!("{e}"));
    let h = super::summary::History::new(2, 30.43, 38.86).unwrap_or_else(|e| panic!("{e}"));
    let e = fit
        .params
        .conditional_expected_purchases(&h, 39.0)
        .unwrap_or(f64::NAN);
    assert_eq!(format!("{e:.3}"), "1.226");
}

#[test]
fn bg_nbd_forecasts_the_holdout_repeat_purchases_in_aggregate() {
    let summaries = cdnow_calibration();
    let fit = BgNbd::fit(&summaries).unwrap_or_else(|e| panic!("{e}"));
    let forecast: f64 = summaries
        .iter()
        .map(|s| {
            fit.params
                .conditional_expected_purchases(&s.history, 39.0)
                .unwrap_or(f64::NAN)
        })
        .sum();
    let actual: u32 = summaries.iter().map(|s| s.holdout_purchases).sum();
    println!("39-week holdout: forecast {forecast:.1}, actual {actual}");
    assert_eq!(actual, 1882);
    // The model forecasts about 1653 here, 12% short: CDNOW's holdout (autumn 1997 to mid
    // 1998, with a Christmas season the calibration never saw) buys more than a stationary
    // model expects. A sanity bound, not a published figure.
    assert!(
        (forecast / f64::from(actual) - 1.0).abs() < 0.15,
        "{forecast}"
    );
}

#[test]
fn the_churn_score_separates_holdout_churners_on_cdnow() {
    let evaluation = evaluate_holdout(
        &testdata::cdnow(),
        date!(1997 - 09 - 30),
        date!(1998 - 06 - 30),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    println!("{evaluation:?}");
    assert_eq!(evaluation.customers, 2357);
    assert!(evaluation.auc > 0.7, "{}", evaluation.auc);
}

#[test]
fn rfm_and_cohorts_cover_every_cdnow_customer() {
    let data = testdata::cdnow();
    let scores = rfm(&data, date!(1997 - 09 - 30)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scores.len(), 2357);
    assert!(
        scores
            .iter()
            .all(|s| (1..=5).contains(&s.r) && (1..=5).contains(&s.f))
    );
    let table = cohorts(&data, date!(1998 - 06 - 30));
    // The sample was acquired in the first quarter of 1997.
    assert_eq!(
        table.iter().map(|c| (c.year, c.month)).collect::<Vec<_>>(),
        [(1997, 1), (1997, 2), (1997, 3)]
    );
    assert_eq!(table.iter().map(|c| c.size).sum::<u32>(), 2357);
    assert_eq!(table[0].active.len(), 18);
    println!(
        "{:?}",
        table
            .iter()
            .map(|c| (c.size, c.active.clone()))
            .collect::<Vec<_>>()
    );
}
