//! Statistics on two series of runs: the ratio of their medians with a 95%
//! confidence interval (a percentile bootstrap over the runs, seeded from
//! the runs themselves so a build is reproducible byte for byte), a
//! two-sided Mann-Whitney U test, and the verdict they decide together:
//! a clear difference, level, or no clear difference. The thresholds are
//! [`LEVEL_WITHIN`] and [`ALPHA`], here and nowhere else (docs/data.md).

/// Medians closer than this (as a fraction: 3%) are level, when the rank
/// test finds no difference between the runs.
pub const LEVEL_WITHIN: f64 = 0.03;

/// The significance level of the rank test: a difference with a smaller
/// p-value is clear.
pub const ALPHA: f64 = 0.05;

/// Bootstrap resamples behind each confidence interval.
pub const RESAMPLES: usize = 10_000;

/// Two series of runs compared: `a` against `b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// Median of `a` over median of `b`.
    pub ratio: f64,
    /// The 95% confidence interval of `ratio` (percentile bootstrap).
    pub low: f64,
    pub high: f64,
    /// The two-sided p-value of the Mann-Whitney U test.
    pub p: f64,
}

/// What the data says of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The runs differ (p < [`ALPHA`]): `a`'s values are larger.
    Larger,
    /// The runs differ: `a`'s values are smaller.
    Smaller,
    /// No difference found and medians within [`LEVEL_WITHIN`].
    Level,
    /// No difference found, but medians further apart: more runs may
    /// tell.
    Unclear,
}

impl Comparison {
    /// Compares the runs `a` and `b` (any order); `None` when either is
    /// empty or a median is not above zero (a ratio means nothing there).
    pub fn of(a: &[f64], b: &[f64]) -> Option<Self> {
        let (a, b) = (sorted(a), sorted(b));
        let mut c = Self::tested_sorted(&a, &b)?;
        (c.low, c.high) = interval(&a, &b);
        Some(c)
    }

    /// The ratio and the test without the interval (`low` and `high` are
    /// NaN): all a verdict reads, for a fraction of the work.
    pub fn tested(a: &[f64], b: &[f64]) -> Option<Self> {
        Self::tested_sorted(&sorted(a), &sorted(b))
    }

    fn tested_sorted(a: &[f64], b: &[f64]) -> Option<Self> {
        let (ma, mb) = (median_sorted(a)?, median_sorted(b)?);
        if !(ma > 0.0 && mb > 0.0 && ma.is_finite() && mb.is_finite()) {
            return None;
        }
        Some(Comparison {
            ratio: ma / mb,
            low: f64::NAN,
            high: f64::NAN,
            p: mann_whitney(a, b).p,
        })
    }

    /// The verdict: a clear difference when the rank test's p-value is
    /// under [`ALPHA`]; otherwise level when the medians are within
    /// [`LEVEL_WITHIN`] of each other (either way), else unclear. It reads
    /// only the p-value and the medians, which any statistics library
    /// computes alike; the bootstrap interval says how sure the ratio is.
    pub fn verdict(&self) -> Verdict {
        if self.p < ALPHA {
            if self.ratio >= 1.0 {
                Verdict::Larger
            } else {
                Verdict::Smaller
            }
        } else if self.ratio <= 1.0 + LEVEL_WITHIN && self.ratio >= 1.0 / (1.0 + LEVEL_WITHIN) {
            Verdict::Level
        } else {
            Verdict::Unclear
        }
    }
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The median of sorted values; `None` when there are none.
pub fn median_sorted(v: &[f64]) -> Option<f64> {
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some(v[n / 2 - 1] / 2.0 + v[n / 2] / 2.0),
    }
}

/// The result of a Mann-Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U of the first sample (as scipy.stats.mannwhitneyu reports it).
    pub u: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// The two-sided Mann-Whitney U test of `a` against `b`, as
/// `scipy.stats.mannwhitneyu(a, b)` computes it by default: the exact
/// distribution of U when one sample has 8 values or fewer and no value
/// is tied, else the normal approximation with the tie correction and a
/// continuity correction of one half.
pub fn mann_whitney(a: &[f64], b: &[f64]) -> MannWhitney {
    let (n1, n2) = (a.len(), b.len());
    if n1 == 0 || n2 == 0 {
        return MannWhitney { u: 0.0, p: 1.0 };
    }
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&v| (v, true))
        .chain(b.iter().map(|&v| (v, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    // Average ranks (1-based) and the sizes of tied groups.
    let mut rank_sum_a = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i + 1;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let t = (j - i) as f64;
        let rank = (i + 1 + j) as f64 / 2.0;
        rank_sum_a += rank * all[i..j].iter().filter(|x| x.1).count() as f64;
        tie_term += t * t * t - t;
        i = j;
    }
    let (f1, f2) = (n1 as f64, n2 as f64);
    let u1 = rank_sum_a - f1 * (f1 + 1.0) / 2.0;
    let u = u1.max(f1 * f2 - u1);
    let p = if (n1 <= 8 || n2 <= 8) && tie_term == 0.0 {
        2.0 * exact_u_sf(n1, n2, u)
    } else {
        let n = f1 + f2;
        let s = (f1 * f2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
        let z = (u - f1 * f2 / 2.0 - 0.5) / s;
        if s > 0.0 {
            erfc(z / std::f64::consts::SQRT_2)
        } else {
            1.0
        }
    };
    MannWhitney {
        u: u1,
        p: p.clamp(0.0, 1.0),
    }
}

/// P(U >= u) under the null hypothesis, for samples of `n1` and `n2`
/// values with no ties: the count of arrangements with U >= u over all of
/// them. The counts are the coefficients of the Gaussian binomial
/// coefficient, prod over i in 1..=k of (1 - q^(m+i)) / (1 - q^i), with k
/// the smaller size and m the larger.
fn exact_u_sf(n1: usize, n2: usize, u: f64) -> f64 {
    let (k, m) = (n1.min(n2), n1.max(n2));
    let top = k * m;
    let mut c = vec![0.0f64; top + 1];
    c[0] = 1.0;
    for i in 1..=k {
        // Times (1 - q^(m+i)), then over (1 - q^i); degrees above `top`
        // cancel out in the end, so they are dropped.
        let up = m + i;
        for d in (up..=top).rev() {
            c[d] -= c[d - up];
        }
        for d in i..=top {
            c[d] += c[d - i];
        }
    }
    let total: f64 = c.iter().sum();
    // U is a whole number or half of one; the least whole number >= u.
    let from = u.ceil().max(0.0) as usize;
    let above: f64 = c.iter().skip(from).sum();
    above / total
}

/// The complementary error function, to about 1e-14 relative: a series
/// for small arguments, a continued fraction for large ones.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.5 {
        // erf(x) = 2/sqrt(pi) exp(-x²) sum 2^n x^(2n+1) / (1·3·...·(2n+1))
        let mut term = x;
        let mut sum = x;
        let mut n = 0.0;
        while term > sum * 1e-17 {
            n += 1.0;
            term *= 2.0 * x * x / (2.0 * n + 1.0);
            sum += term;
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * (-x * x).exp() * sum
    } else {
        // erfc(x) = exp(-x²)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
        // by the modified Lentz method.
        let tiny = 1e-300;
        let mut f = x;
        let mut c = x;
        let mut d = 0.0;
        for k in 1..300 {
            let a = k as f64 / 2.0;
            d = x + a * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = x + a / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-x * x).exp() / std::f64::consts::PI.sqrt() / f
    }
}

/// [`bootstrap_ratio`] of `a` and `b` (sorted) with [`RESAMPLES`] and the
/// seed of the runs, remembered for the build: the pages, the print page
/// and the matrices quote the same comparisons many times.
fn interval(a: &[f64], b: &[f64]) -> (f64, f64) {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Key = (Vec<u64>, Vec<u64>);
    static SEEN: OnceLock<Mutex<HashMap<Key, (f64, f64)>>> = OnceLock::new();
    let key: Key = (
        a.iter().map(|v| v.to_bits()).collect(),
        b.iter().map(|v| v.to_bits()).collect(),
    );
    let seen = SEEN.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = seen.lock().ok().and_then(|m| m.get(&key).copied()) {
        return hit;
    }
    let found = bootstrap_ratio(a, b, RESAMPLES, seed_of(a, b));
    if let Ok(mut m) = seen.lock() {
        m.insert(key, found);
    }
    found
}

/// The 95% percentile-bootstrap interval of median(a) / median(b), both
/// sorted and not empty: `resamples` times, each series resampled with
/// replacement on its own; the 2.5th and 97.5th percentiles of the ratios
/// (linear between neighbours, as numpy's `percentile`).
pub fn bootstrap_ratio(a: &[f64], b: &[f64], resamples: usize, seed: u64) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mut rng = SplitMix64(seed);
    let mut ratios = Vec::with_capacity(resamples);
    let (mut ca, mut cb) = (vec![0u32; a.len()], vec![0u32; b.len()]);
    for _ in 0..resamples {
        let ma = resampled_median(a, &mut ca, &mut rng);
        let mb = resampled_median(b, &mut cb, &mut rng);
        ratios.push(ma / mb);
    }
    ratios.sort_by(f64::total_cmp);
    (percentile(&ratios, 2.5), percentile(&ratios, 97.5))
}

/// The median of `from.len()` values drawn from `from` (sorted, not
/// empty) with replacement. `from` being sorted, the k-th smallest value
/// drawn is the value at the k-th smallest index drawn: the draws are
/// counted per index (`counts`, as long as `from`), not sorted.
fn resampled_median(from: &[f64], counts: &mut [u32], rng: &mut SplitMix64) -> f64 {
    let n = from.len();
    counts.fill(0);
    for _ in 0..n {
        counts[rng.below(n)] += 1;
    }
    // The value of rank `k` (0-based) among those drawn.
    let nth = |k: usize| {
        let mut seen = 0;
        for (i, &c) in counts.iter().enumerate() {
            seen += c as usize;
            if seen > k {
                return from[i];
            }
        }
        from[n - 1]
    };
    if n % 2 == 1 {
        nth(n / 2)
    } else {
        nth(n / 2 - 1) / 2.0 + nth(n / 2) / 2.0
    }
}

/// The `q`th percentile of sorted values, linear between neighbours.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let at = q / 100.0 * last as f64;
    let lo = at.floor() as usize;
    let hi = (lo + 1).min(last);
    let frac = at - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// A seed made from the runs themselves (FNV-1a over their bits), so the
/// same results give the same interval on every build and machine.
pub fn seed_of(a: &[f64], b: &[f64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |x: u64| {
        for byte in x.to_le_bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(a.len() as u64);
    a.iter().for_each(|v| eat(v.to_bits()));
    eat(b.len() as u64);
    b.iter().for_each(|v| eat(v.to_bits()));
    h
}

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast, and good enough
/// to draw resamples.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (Lemire's multiply-shift; the bias is below
    /// 2^-50 for the sizes here).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want.abs().max(f64::MIN_POSITIVE)
    }

    /// Pinned against scipy 1.17.1 (`from scipy import stats`):
    /// `r = stats.mannwhitneyu(a, b, alternative="two-sided")`, printed as
    /// `repr(float(r.statistic)), repr(float(r.pvalue))`. The default
    /// method ("auto") is exact for `exact5v4` and `exact3v12` (one side
    /// of 8 values or fewer, no ties), the normal approximation with tie
    /// and continuity corrections for the others.
    #[test]
    fn mann_whitney_matches_scipy() {
        type Case<'a> = (&'a str, &'a [f64], &'a [f64], f64, f64);
        let cases: [Case; 5] = [
            (
                "ties",
                &[1., 2., 2., 3., 4., 5., 6., 7., 8., 9.],
                &[3., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12.],
                31.0,
                0.0967612398108442,
            ),
            (
                "http50",
                &[
                    79745.88, 81024.92, 80612.54, 77918.05, 80961.76, 80290.85, 80432.0, 79127.31,
                    80821.72, 80744.19,
                ],
                &[
                    78055.72, 78234.66, 79007.25, 77601.83, 76890.1, 78623.45, 80101.33, 77450.12,
                    78870.64, 78333.91,
                ],
                91.0,
                0.0022022199424970783,
            ),
            (
                "exact5v4",
                &[1.1, 2.2, 3.3, 4.4, 5.5],
                &[2.5, 6.1, 7.2, 8.3],
                3.0,
                0.1111111111111111,
            ),
            (
                "exact3v12",
                &[10.5, 11.25, 13.0],
                &[1., 2., 3., 4., 5., 6., 7., 8., 9., 9.5, 12., 14.],
                31.0,
                0.07032967032967033,
            ),
            (
                "apart",
                &[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.],
                &[11., 12., 13., 14., 15., 16., 17., 18., 19., 20.],
                0.0,
                0.00018267179110955002,
            ),
        ];
        for (name, a, b, u, p) in cases {
            let got = mann_whitney(a, b);
            assert_eq!(got.u, u, "{name}");
            assert!(close(got.p, p, 1e-9), "{name}: {} against {p}", got.p);
            // Two-sided: the same p-value either way round.
            assert!(close(mann_whitney(b, a).p, p, 1e-9), "{name} swapped");
        }
        assert_eq!(mann_whitney(&[], &[1.0]).p, 1.0);
        assert_eq!(mann_whitney(&[2.0, 2.0], &[2.0, 2.0]).p, 1.0);
    }

    /// scipy.special.erfc(x), printed with repr.
    #[test]
    fn erfc_matches_scipy() {
        for (x, want) in [
            (0.0, 1.0),
            (0.3, 0.6713732405408726),
            (1.0, 0.15729920705028516),
            (2.0, 0.004677734981047266),
            (2.4999, 0.0004071699003334512),
            (2.5, 0.00040695201744495886),
            (3.7, 1.6715105790914599e-07),
            (6.0, 2.1519736712498913e-17),
            (-1.2, 1.9103139782296354),
        ] {
            assert!(close(erfc(x), want, 1e-12), "erfc({x}) = {}", erfc(x));
        }
    }

    /// 31 values at the normal quantiles (i + 0.5)/31, i = 0..30, around
    /// 1000 with sd 50 (`a = 1000 + 50 * stats.norm.ppf(q)`), and the same
    /// around 800 with sd 40. `stats.bootstrap((a, b), lambda x, y,
    /// axis=-1: np.median(x, axis=axis) / np.median(y, axis=axis),
    /// method="percentile", n_resamples=10000, random_state=seed)` gives
    /// 1.2095-1.2901 (seed 0), 1.2095-1.2876 (seed 1), 1.2135-1.2918
    /// (seed 2): the endpoints move by 0.3% with the seed. Ours must land
    /// within 1% of seed 0's.
    #[test]
    fn bootstrap_interval_is_close_to_scipy() {
        let a: [f64; 31] = [
            892.940093951399,
            916.9651194722979,
            929.9627469434712,
            939.4383934539327,
            947.129288575681,
            953.7377720072924,
            959.6229478939962,
            964.9954893696216,
            969.9910612005077,
            974.7033172917094,
            979.2006389905163,
            983.5354326510939,
            987.7496888481339,
            991.8785313679357,
            995.9526354759352,
            1000.0,
            1004.0473645240648,
            1008.1214686320643,
            1012.2503111518661,
            1016.4645673489061,
            1020.7993610094837,
            1025.2966827082905,
            1030.0089387994922,
            1035.0045106303783,
            1040.377052106004,
            1046.2622279927075,
            1052.870711424319,
            1060.5616065460672,
            1070.037253056529,
            1083.0348805277022,
            1107.0599060486009,
        ];
        // b = 800 + 40 * ppf(q) = 800 + (a - 1000) * 0.8.
        let b: Vec<f64> = a.iter().map(|v| 800.0 + (v - 1000.0) * 0.8).collect();
        let c = Comparison::of(&a, &b).unwrap();
        assert!(close(c.ratio, 1.25, 1e-12), "{}", c.ratio);
        assert!(close(c.low, 1.2095296668673137, 0.01), "{}", c.low);
        assert!(close(c.high, 1.2901001176266327, 0.01), "{}", c.high);
    }

    #[test]
    fn the_interval_is_the_same_for_the_same_runs_and_holds_the_ratio() {
        let a = [
            94885.82, 90863.96, 72846.79, 87545.0, 91002.5, 88771.3, 93120.0,
        ];
        let b = [77301.2, 80110.9, 75992.0, 79550.4, 81003.3, 78112.7];
        let first = Comparison::of(&a, &b).unwrap();
        // Order does not matter: the runs are sorted before seeding.
        let mut shuffled = a;
        shuffled.reverse();
        assert_eq!(Comparison::of(&shuffled, &b), Some(first));
        assert!(
            first.low <= first.ratio && first.ratio <= first.high,
            "{first:?}"
        );
        assert!(first.low < first.high);
        // Other runs, another seed and another interval.
        let mut other = a;
        other[0] += 1.0;
        assert_ne!(seed_of(&other, &b), seed_of(&a, &b));
        // A different seed moves the interval only a little.
        let mut sa = a;
        sa.sort_by(f64::total_cmp);
        let mut sb = b;
        sb.sort_by(f64::total_cmp);
        let (lo, hi) = bootstrap_ratio(&sa, &sb, RESAMPLES, 12345);
        assert!(close(lo, first.low, 0.02) && close(hi, first.high, 0.02));
    }

    #[test]
    fn verdicts_follow_the_rank_test_and_the_level_band() {
        let base: Vec<f64> = (0..10).map(|i| 100.0 + f64::from(i)).collect();
        let far: Vec<f64> = base.iter().map(|v| v * 2.0).collect();
        assert_eq!(
            Comparison::of(&far, &base).unwrap().verdict(),
            Verdict::Larger
        );
        assert_eq!(
            Comparison::of(&base, &far).unwrap().verdict(),
            Verdict::Smaller
        );
        // Interleaved runs 1% apart: level.
        let near: Vec<f64> = base.iter().map(|v| v * 1.01).collect();
        let c = Comparison::of(&near, &base).unwrap();
        assert!(c.p >= ALPHA, "{c:?}");
        assert_eq!(c.verdict(), Verdict::Level);
        // Wide, overlapping runs with medians 10% apart: unclear.
        let wide_a = [50.0, 80.0, 110.0, 140.0, 170.0];
        let wide_b = [45.0, 70.0, 100.0, 130.0, 160.0];
        let c = Comparison::of(&wide_a, &wide_b).unwrap();
        assert_eq!(c.verdict(), Verdict::Unclear, "{c:?}");
        assert_eq!(Comparison::of(&[], &base), None);
        assert_eq!(Comparison::of(&[0.0], &base), None);
    }
}
