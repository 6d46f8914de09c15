//! The acceptance criteria of issue 7: the published estimates on the public data sets,
//! reproduced to the printed digits.

use ::time::macros::date;

use super::bgbb::{BgBb, DiscreteHistory, DiscreteRow};
use super::bgnbd::BgNbd;
use super::gammagamma::GammaGamma;
use super::paretonbd::ParetoNbd;
use super::summary::{CustomerSummary, summarise};
use super::testdata;

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
