//! Special functions the likelihoods need. Written here rather than pulled in because they
//! are short, and the models call them millions of times per fit, so they must be cheap.

use super::AnalyticsError;

/// Below this argument the asymptotic series is shifted up by the recurrence.
const ASYMPTOTIC_FROM: f64 = 10.0;
const HALF_LN_TWO_PI: f64 = 0.918_938_533_204_672_8;

/// ln Γ(x) for x > 0; NaN otherwise.
///
/// Stirling's series to the x⁻¹³ term is accurate to about 1e-17 for x ≥ 10; smaller
/// arguments are shifted up with Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)), one logarithm for
/// the whole product. Absolute error is around 1e-15 over the range the models use.
pub fn ln_gamma(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return f64::NAN;
    }
    let mut z = x;
    let mut product = 1.0;
    while z < ASYMPTOTIC_FROM {
        product *= z;
        z += 1.0;
    }
    let shift = if product == 1.0 { 0.0 } else { product.ln() };
    stirling(z) - shift
}

fn stirling(z: f64) -> f64 {
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    // Bernoulli terms B₂ₖ / (2k (2k−1) z²ᵏ⁻¹), Horner form.
    let series = inv
        * (1.0 / 12.0
            + inv2
                * (-1.0 / 360.0
                    + inv2
                        * (1.0 / 1260.0
                            + inv2
                                * (-1.0 / 1680.0
                                    + inv2
                                        * (1.0 / 1188.0
                                            + inv2 * (-691.0 / 360_360.0 + inv2 / 156.0))))));
    (z - 0.5) * z.ln() - z + HALF_LN_TWO_PI + series
}

/// ψ(x) = d/dx ln Γ(x) for x > 0, by the same shift-then-asymptotic scheme as [`ln_gamma`].
pub fn digamma(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return f64::NAN;
    }
    let mut z = x;
    let mut shift = 0.0;
    while z < ASYMPTOTIC_FROM {
        shift += 1.0 / z;
        z += 1.0;
    }
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32_760.0)))));
    z.ln() - 0.5 * inv - series - shift
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln(Σ eˣⁱ) without overflow; −∞ for an empty slice or all −∞.
pub fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY || max.is_nan() {
        return max;
    }
    max + xs.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

/// ln(eᵃ + eᵇ), the two-term case the likelihoods use on every row.
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// ln(eᵃ − eᵇ) for a ≥ b; NaN when a < b. Keeps precision when the two are close, which is
/// where the Pareto/NBD likelihood subtracts.
pub fn log_sub_exp(a: f64, b: f64) -> f64 {
    if b > a {
        return f64::NAN;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    a + (-(b - a).exp_m1()).ln()
}

const MAX_SERIES_TERMS: usize = 200_000;

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for real z < 1 and c not a
/// non-positive integer (BG/NBD legitimately asks for c = a + b − 1 < 0).
///
/// The power series converges for |z| < 1; negative z below −½ is first mapped into [0, ½)
/// by Pfaff's transformation ₂F₁(a,b;c;z) = (1−z)⁻ᵇ ₂F₁(c−a, b; c; z/(z−1)) so the series
/// never alternates slowly. Close to z = 1 the series needs many terms; the cap makes a
/// pathological argument an error instead of a hang.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64, AnalyticsError> {
    let c_is_pole = c <= 0.0 && c.fract() == 0.0;
    if z.is_nan() || z >= 1.0 || c_is_pole || !c.is_finite() || !a.is_finite() || !b.is_finite() {
        return Err(AnalyticsError::InvalidParameter {
            name: "hyp2f1 argument",
            value: z,
        });
    }
    if z < -0.5 {
        let w = z / (z - 1.0);
        return Ok((1.0 - z).powf(-b) * hyp2f1_series(c - a, b, c, w)?);
    }
    hyp2f1_series(a, b, c, z)
}

fn hyp2f1_series(a: f64, b: f64, c: f64, z: f64) -> Result<f64, AnalyticsError> {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..MAX_SERIES_TERMS {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-16 * sum.abs() || term == 0.0 {
            return Ok(sum);
        }
    }
    Err(AnalyticsError::NoConvergence("hypergeometric series"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(actual: f64, expected: f64, tol: f64) {
        let err = (actual - expected).abs() / expected.abs().max(1.0);
        assert!(err <= tol, "{actual} vs {expected}: error {err:e}");
    }

    #[test]
    fn ln_gamma_matches_known_values_to_1e14() {
        let pi = std::f64::consts::PI;
        let table = [
            (1.0, 0.0),
            (2.0, 0.0),
            (0.5, 0.5 * pi.ln()),
            (1.5, (pi.sqrt() / 2.0).ln()),
            (3.0, 2f64.ln()),
            (10.0, 362_880f64.ln()),
            (100.0, 359.134_205_369_575_4),
            (0.1, 2.252_712_651_734_206),
            (1e-5, 11.512_919_692_895_824),
            (7.3, 7.147_892_523_022_248),
            (1000.5, 5_908.674_175_848_678),
        ];
        for (x, expected) in table {
            close(ln_gamma(x), expected, 1e-14);
        }
    }

    #[test]
    fn ln_gamma_of_a_non_positive_number_is_nan() {
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(-1.5).is_nan());
    }

    #[test]
    fn digamma_matches_known_values() {
        let euler = 0.577_215_664_901_532_9;
        close(digamma(1.0), -euler, 1e-14);
        close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14);
        close(digamma(10.0), 2.251_752_589_066_721, 1e-14);
        close(digamma(0.1), -10.423_754_940_411_076, 1e-14);
    }

    #[test]
    fn ln_beta_matches_the_closed_form_for_integers() {
        // B(3, 4) = 2! 3! / 6! = 1/60.
        close(ln_beta(3.0, 4.0), (1.0f64 / 60.0).ln(), 1e-14);
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        for z in [-0.9f64, -0.3, 0.0, 0.2, 0.5, 0.9, 0.99] {
            let log_form = if z == 0.0 { 1.0 } else { -(1.0 - z).ln() / z };
            close(
                hyp2f1(1.0, 1.0, 2.0, z).unwrap_or(f64::NAN),
                log_form,
                1e-13,
            );
            close(
                hyp2f1(2.5, 0.7, 0.7, z).unwrap_or(f64::NAN),
                (1.0 - z).powf(-2.5),
                1e-13,
            );
        }
        let s: f64 = 0.6;
        close(
            hyp2f1(0.5, 0.5, 1.5, s * s).unwrap_or(f64::NAN),
            s.asin() / s,
            1e-14,
        );
    }

    #[test]
    fn hyp2f1_rejects_z_at_or_beyond_one() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_err());
    }

    #[test]
    fn log_sum_exp_survives_huge_and_empty_inputs() {
        close(log_sum_exp(&[1000.0, 1000.0]), 1000.0 + 2f64.ln(), 1e-15);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
        close(log_add_exp(-1000.0, -1000.0), -1000.0 + 2f64.ln(), 1e-15);
        close(log_sub_exp(2f64.ln(), 0.0), 0.0, 1e-15);
    }

    proptest! {
        #[test]
        fn ln_gamma_obeys_the_recurrence(x in 0.01f64..50.0) {
            let lhs = ln_gamma(x + 1.0);
            let rhs = ln_gamma(x) + x.ln();
            prop_assert!((lhs - rhs).abs() <= 1e-13 * lhs.abs().max(1.0));
        }

        #[test]
        fn digamma_obeys_the_recurrence(x in 0.01f64..50.0) {
            let lhs = digamma(x + 1.0);
            let rhs = digamma(x) + 1.0 / x;
            prop_assert!((lhs - rhs).abs() <= 1e-12 * lhs.abs().max(1.0));
        }
    }
}
