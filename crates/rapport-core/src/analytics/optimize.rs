//! Unconstrained minimisation for the model fits. Parameters are optimised on the log scale,
//! so every model parameter stays positive without constraints.
//!
//! BFGS does the work: with four parameters and smooth likelihoods it converges in a few
//! dozen gradient evaluations. Should it stall (a flat or badly scaled start), Nelder–Mead
//! restarts walk to the basin and BFGS polishes from there. Everything is deterministic: the
//! same data always gives the same fit.

use super::AnalyticsError;

/// A function to minimise. Models with a cheap analytic gradient override
/// [`Objective::value_and_gradient`]; the rest get central differences.
pub trait Objective {
    fn value(&self, x: &[f64]) -> f64;

    /// Writes the gradient into `gradient` and returns the value.
    fn value_and_gradient(&self, x: &[f64], gradient: &mut [f64]) -> f64 {
        central_differences(self, x, gradient)
    }

    /// True when the gradient costs about as much as the value, so the line search should
    /// take it at every trial point instead of evaluating the accepted point twice.
    fn gradient_is_cheap(&self) -> bool {
        false
    }
}

/// The gradient by central differences. The step is relative so that the truncation and
/// rounding errors balance for values of order one.
pub fn central_differences<O: Objective + ?Sized>(o: &O, x: &[f64], gradient: &mut [f64]) -> f64 {
    let mut probe = x.to_vec();
    for i in 0..x.len() {
        let h = 1e-5 * x[i].abs().max(1.0);
        probe[i] = x[i] + h;
        let up = o.value(&probe);
        probe[i] = x[i] - h;
        let down = o.value(&probe);
        probe[i] = x[i];
        gradient[i] = (up - down) / (2.0 * h);
    }
    o.value(x)
}

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub evaluations: usize,
    /// BFGS's inverse-Hessian estimate at `x` (row-major), to warm-start a related fit.
    pub inverse_hessian: Vec<f64>,
}

/// Stopping rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Converged when no gradient component exceeds this.
    pub gradient: f64,
    pub max_iterations: usize,
}

impl Default for Tolerance {
    fn default() -> Self {
        Self {
            gradient: 1e-8,
            max_iterations: 500,
        }
    }
}

/// Minimises `objective` from `start`.
pub fn minimise<O: Objective + ?Sized>(
    objective: &O,
    start: &[f64],
    tolerance: Tolerance,
) -> Result<Minimum, AnalyticsError> {
    minimise_from(objective, start, None, tolerance)
}

/// [`minimise`] with an initial inverse-Hessian estimate, e.g. from a fit of similar data:
/// near the optimum BFGS then takes Newton-like steps from the first iteration.
pub fn minimise_from<O: Objective + ?Sized>(
    objective: &O,
    start: &[f64],
    inverse_hessian: Option<&[f64]>,
    tolerance: Tolerance,
) -> Result<Minimum, AnalyticsError> {
    let mut evaluations = 0;
    let first = bfgs(
        objective,
        start,
        inverse_hessian,
        tolerance,
        &mut evaluations,
    );
    if first.converged {
        return Ok(first.into_minimum(evaluations));
    }
    // A stalled BFGS usually sits on a plateau; simplex steps do not need a useful gradient.
    let mut best = first.x.clone();
    for _ in 0..3 {
        best = nelder_mead(objective, &best, 1.0, 2000, &mut evaluations);
        let polished = bfgs(objective, &best, None, tolerance, &mut evaluations);
        if polished.converged {
            return Ok(polished.into_minimum(evaluations));
        }
        best = polished.x;
    }
    Err(AnalyticsError::NoConvergence("maximum-likelihood fit"))
}

/// Above this many rows a fit first runs on coarsened data (see `summary::coarsen`).
pub(crate) const WARM_START_FROM_ROWS: usize = 2000;

/// Minimises `objective` on the full data, starting from the optimum and curvature of
/// `coarse` (the same likelihood on coarsened data) when that fit succeeds, otherwise from
/// all log-parameters at 0 (every parameter 1).
pub(crate) fn minimise_warm<O: Objective + ?Sized, C: Objective + ?Sized>(
    objective: &O,
    coarse: Option<&C>,
    dimension: usize,
) -> Result<Minimum, AnalyticsError> {
    let origin = vec![0.0; dimension];
    let tolerance = Tolerance::default();
    if let Some(coarse) = coarse
        && let Ok(m) = minimise(coarse, &origin, tolerance)
        && m.x.iter().all(|v| v.is_finite())
        && let Ok(fine) = minimise_from(objective, &m.x, Some(&m.inverse_hessian), tolerance)
    {
        return Ok(fine);
    }
    minimise(objective, &origin, tolerance)
}

/// Relative decrease per iteration below which BFGS counts as stalled.
const STALL_DECREASE: f64 = 1e-14;
/// A stalled BFGS has converged when no gradient component exceeds this.
const STALL_GRADIENT: f64 = 1e-6;

struct BfgsEnd {
    x: Vec<f64>,
    value: f64,
    converged: bool,
    inverse_hessian: Vec<f64>,
}

impl BfgsEnd {
    fn into_minimum(self, evaluations: usize) -> Minimum {
        Minimum {
            x: self.x,
            value: self.value,
            evaluations,
            inverse_hessian: self.inverse_hessian,
        }
    }
}

/// The largest move along any coordinate in one line search, on the log scale: a factor of
/// e⁵ per step is plenty and keeps the first, badly scaled steps out of overflow.
const MAX_STEP: f64 = 5.0;

fn bfgs<O: Objective + ?Sized>(
    o: &O,
    start: &[f64],
    initial_inverse_hessian: Option<&[f64]>,
    tolerance: Tolerance,
    evaluations: &mut usize,
) -> BfgsEnd {
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut f = o.value_and_gradient(&x, &mut g);
    *evaluations += 1;
    if !f.is_finite() {
        return BfgsEnd {
            x,
            value: f,
            converged: false,
            inverse_hessian: identity(n),
        };
    }
    let cheap_gradient = o.gradient_is_cheap();
    let mut stalled = 0;
    let mut h = match initial_inverse_hessian {
        Some(h0) if h0.len() == n * n && h0.iter().all(|v| v.is_finite()) => h0.to_vec(),
        _ => identity(n),
    };
    let mut first_step = initial_inverse_hessian.is_none();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for _ in 0..tolerance.max_iterations {
        if max_abs(&g) <= tolerance.gradient {
            return BfgsEnd {
                x,
                value: f,
                converged: true,
                inverse_hessian: h,
            };
        }
        let mut p = mat_vec(&h, &g, -1.0);
        let mut slope = dot(&g, &p);
        if slope.is_nan() || slope >= 0.0 {
            h = identity(n);
            p = g.iter().map(|v| -v).collect();
            slope = dot(&g, &p);
        }
        let longest = max_abs(&p);
        let mut step = if longest > MAX_STEP {
            MAX_STEP / longest
        } else {
            1.0
        };
        // Backtracking until the Armijo condition holds.
        let mut accepted = false;
        let mut f_new = f64::INFINITY;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * p[i];
            }
            f_new = if cheap_gradient {
                o.value_and_gradient(&x_new, &mut g_new)
            } else {
                o.value(&x_new)
            };
            *evaluations += 1;
            if f_new.is_finite() && f_new <= f + 1e-4 * step * slope {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            // No decrease along a descent direction: we are at the noise floor of the
            // objective. That is a minimum if the gradient is already small.
            return BfgsEnd {
                x,
                value: f,
                converged: max_abs(&g) <= tolerance.gradient.sqrt(),
                inverse_hessian: h,
            };
        }
        if !cheap_gradient {
            f_new = o.value_and_gradient(&x_new, &mut g_new);
            *evaluations += 1;
        }
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * norm(&s) * norm(&y) {
            if first_step {
                // Scale the initial inverse Hessian to the observed curvature.
                let scale = sy / dot(&y, &y);
                h = identity(n);
                h.iter_mut().for_each(|v| *v *= scale);
                first_step = false;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        let decrease = f - f_new;
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        f = f_new;
        // With numeric gradients the tolerance can sit below the noise floor; steps that no
        // longer change the value, with a gradient already tiny, are the optimum too.
        stalled = if decrease <= STALL_DECREASE * f.abs().max(1.0) {
            stalled + 1
        } else {
            0
        };
        if stalled >= 3 && max_abs(&g) <= STALL_GRADIENT {
            return BfgsEnd {
                x,
                value: f,
                converged: true,
                inverse_hessian: h,
            };
        }
    }
    BfgsEnd {
        x,
        value: f,
        converged: max_abs(&g) <= tolerance.gradient,
        inverse_hessian: h,
    }
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / sᵀy, for a row-major n×n H.
fn bfgs_update(h: &mut [f64], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy = mat_vec(h, y, 1.0);
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i * n + j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
        }
    }
}

/// Nelder–Mead with the standard coefficients, from a simplex of side `size` around `start`.
fn nelder_mead<O: Objective + ?Sized>(
    o: &O,
    start: &[f64],
    size: f64,
    max_evaluations: usize,
    evaluations: &mut usize,
) -> Vec<f64> {
    let n = start.len();
    let mut eval = |x: &[f64]| {
        *evaluations += 1;
        let v = o.value(x);
        if v.is_finite() { v } else { f64::INFINITY }
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), eval(start)));
    for i in 0..n {
        let mut v = start.to_vec();
        v[i] += size;
        let fv = eval(&v);
        simplex.push((v, fv));
    }
    let mut used = n + 1;
    while used < max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[n].1);
        if (worst - best).abs() <= 1e-12 * (best.abs() + 1e-12) {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|i| simplex[..n].iter().map(|(v, _)| v[i]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|i| centroid[i] + t * (simplex[n].0[i] - centroid[i]))
                .collect()
        };
        let reflected = along(-1.0);
        let fr = eval(&reflected);
        used += 1;
        if fr < simplex[0].1 {
            let expanded = along(-2.0);
            let fe = eval(&expanded);
            used += 1;
            simplex[n] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (reflected, fr);
        } else {
            let contracted = if fr < simplex[n].1 {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = eval(&contracted);
            used += 1;
            if fc < simplex[n].1.min(fr) {
                simplex[n] = (contracted, fc);
            } else {
                let best_point = simplex[0].0.clone();
                for (v, fv) in simplex.iter_mut().skip(1) {
                    for i in 0..n {
                        v[i] = best_point[i] + 0.5 * (v[i] - best_point[i]);
                    }
                    *fv = eval(v);
                    used += 1;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0).0
}

fn identity(n: usize) -> Vec<f64> {
    let mut m = vec![0.0; n * n];
    for i in 0..n {
        m[i * n + i] = 1.0;
    }
    m
}

fn mat_vec(m: &[f64], v: &[f64], sign: f64) -> Vec<f64> {
    let n = v.len();
    (0..n)
        .map(|i| sign * (0..n).map(|j| m[i * n + j] * v[j]).sum::<f64>())
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;
    impl Objective for Rosenbrock {
        fn value(&self, x: &[f64]) -> f64 {
            (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
        }
    }

    struct Quadratic;
    impl Objective for Quadratic {
        fn value(&self, x: &[f64]) -> f64 {
            x.iter()
                .enumerate()
                .map(|(i, v)| (i as f64 + 1.0) * (v - i as f64).powi(2))
                .sum()
        }
    }

    #[test]
    fn bfgs_finds_the_minimum_of_the_rosenbrock_valley() {
        let m = minimise(&Rosenbrock, &[-1.2, 1.0], Tolerance::default());
        let m = m.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
    }

    #[test]
    fn a_separable_quadratic_is_solved_exactly() {
        let m = minimise(&Quadratic, &[5.0, 5.0, 5.0, 5.0], Tolerance::default());
        let m = m.unwrap_or_else(|e| panic!("{e}"));
        for (i, v) in m.x.iter().enumerate() {
            assert!((v - i as f64).abs() < 1e-7, "{m:?}");
        }
    }

    #[test]
    fn nelder_mead_walks_downhill_without_a_gradient() {
        let mut evaluations = 0;
        let x = nelder_mead(&Quadratic, &[3.0, 3.0], 1.0, 5000, &mut evaluations);
        assert!(x[0].abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4, "{x:?}");
    }
}
