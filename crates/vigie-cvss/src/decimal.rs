//! `Dec`: exact decimal arithmetic (sign, arbitrary-size magnitude, power-of-ten scale) for the
//! v2 and v3 equations. The specifications define their scores over the decimal constants as
//! written (0.85, 6.42, 1.08, ...); binary floating point turns some exact tenths into x.x0000001
//! and rounds them up a step (the CVSS 3.0 calculator's known defect), so the equations are
//! evaluated here without any rounding, and only the specifications' own rounding is applied.

use std::cmp::Ordering;

/// Limb base: each limb holds nine decimal digits.
const BASE: u64 = 1_000_000_000;

/// An exact decimal number: `(-1)^neg * mag / 10^scale`, `mag` little-endian in base 10^9.
#[derive(Debug, Clone)]
pub(crate) struct Dec {
    neg: bool,
    mag: Vec<u32>,
    scale: u32,
}

/// `units / 10^scale`, e.g. `d(85, 2)` is 0.85.
pub(crate) fn d(units: u64, scale: u32) -> Dec {
    Dec {
        neg: false,
        mag: from_u64(units),
        scale,
    }
}

impl Dec {
    pub(crate) fn zero() -> Dec {
        d(0, 0)
    }

    /// The exact decimal value of a finite, non-negative binary double (`None` otherwise):
    /// `m x 2^e` is `m x 5^-e / 10^-e` for negative `e`.
    pub(crate) fn from_f64(x: f64) -> Option<Dec> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exp) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), biased - 1075)
        };
        let m = d(mantissa, 0);
        Some(if exp >= 0 {
            m.mul(&d(2, 0).pow(exp.unsigned_abs()))
        } else {
            let n = exp.unsigned_abs();
            let mut out = m.mul(&d(5, 0).pow(n));
            out.scale = n;
            out
        })
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    /// Strictly above zero.
    pub(crate) fn is_positive(&self) -> bool {
        !self.neg && !self.is_zero()
    }

    pub(crate) fn add(&self, other: &Dec) -> Dec {
        let scale = self.scale.max(other.scale);
        let a = rescale(&self.mag, scale - self.scale);
        let b = rescale(&other.mag, scale - other.scale);
        let (neg, mag) = if self.neg == other.neg {
            (self.neg, mag_add(&a, &b))
        } else {
            match mag_cmp(&a, &b) {
                Ordering::Less => (other.neg, mag_sub(&b, &a)),
                _ => (self.neg, mag_sub(&a, &b)),
            }
        };
        Dec::make(neg, mag, scale)
    }

    pub(crate) fn sub(&self, other: &Dec) -> Dec {
        self.add(&Dec {
            neg: !other.neg,
            ..other.clone()
        })
    }

    pub(crate) fn mul(&self, other: &Dec) -> Dec {
        Dec::make(
            self.neg != other.neg,
            mag_mul(&self.mag, &other.mag),
            self.scale + other.scale,
        )
    }

    pub(crate) fn pow(&self, exp: u32) -> Dec {
        let mut out = d(1, 0);
        for _ in 0..exp {
            out = out.mul(self);
        }
        out
    }

    pub(crate) fn min(self, other: Dec) -> Dec {
        if self.cmp(&other) == Ordering::Greater {
            other
        } else {
            self
        }
    }

    /// Round up to one decimal (the smallest tenth at or above), in tenths; negative values
    /// give 0.
    pub(crate) fn ceil_tenths(&self) -> u32 {
        if !self.is_positive() {
            return 0;
        }
        let (floor, exact) = self.floor_units(1);
        if exact {
            floor
        } else {
            floor.saturating_add(1)
        }
    }

    /// Round half up to one decimal, in tenths; negative values give 0.
    pub(crate) fn round_half_up_tenths(&self) -> u32 {
        if !self.is_positive() {
            return 0;
        }
        self.add(&d(5, 2)).floor_units(1).0
    }

    /// CVSS 3.1 `Roundup` (specification appendix A): `int_input = round(input * 100000)`; if
    /// `int_input % 10000 == 0` the result is `int_input / 100000`, else
    /// `(floor(int_input / 10000) + 1) / 10`. In tenths; negative values give 0.
    pub(crate) fn roundup_31_tenths(&self) -> u32 {
        if !self.is_positive() {
            return 0;
        }
        let int_input = self.add(&d(5, 6)).floor_units(5).0;
        if int_input.is_multiple_of(10_000) {
            int_input / 10_000
        } else {
            int_input / 10_000 + 1
        }
    }

    /// `floor(self * 10^decimals)` for a non-negative value (saturating at `u32::MAX`), and
    /// whether nothing was cut off.
    fn floor_units(&self, decimals: u32) -> (u32, bool) {
        let mut mag = self.mag.clone();
        let mut exact = true;
        if decimals >= self.scale {
            mag = rescale(&mag, decimals - self.scale);
        } else {
            let mut drop = self.scale - decimals;
            while drop > 0 {
                let step = drop.min(9);
                let (q, r) = mag_divrem_small(&mag, pow10(step));
                exact &= r == 0;
                mag = q;
                drop -= step;
            }
        }
        (to_u32_saturating(&mag), exact)
    }

    fn make(neg: bool, mut mag: Vec<u32>, scale: u32) -> Dec {
        trim(&mut mag);
        let neg = neg && !mag.is_empty();
        Dec { neg, mag, scale }
    }
}

impl PartialEq for Dec {
    fn eq(&self, other: &Dec) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Dec {}

impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Dec) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Dec {
    fn cmp(&self, other: &Dec) -> Ordering {
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (neg, _) => {
                let scale = self.scale.max(other.scale);
                let a = rescale(&self.mag, scale - self.scale);
                let b = rescale(&other.mag, scale - other.scale);
                let order = mag_cmp(&a, &b);
                if neg {
                    order.reverse()
                } else {
                    order
                }
            }
        }
    }
}

fn pow10(n: u32) -> u32 {
    10u32.pow(n)
}

fn from_u64(mut v: u64) -> Vec<u32> {
    let mut mag = Vec::new();
    while v > 0 {
        mag.push((v % BASE) as u32);
        v /= BASE;
    }
    mag
}

fn to_u32_saturating(mag: &[u32]) -> u32 {
    let mut v: u64 = 0;
    for &limb in mag.iter().rev() {
        v = v.saturating_mul(BASE).saturating_add(u64::from(limb));
        if v > u64::from(u32::MAX) {
            return u32::MAX;
        }
    }
    v as u32
}

fn trim(mag: &mut Vec<u32>) {
    while mag.last() == Some(&0) {
        mag.pop();
    }
}

/// `mag * 10^n`.
fn rescale(mag: &[u32], mut n: u32) -> Vec<u32> {
    let mut out = mag.to_vec();
    while n > 0 {
        let step = n.min(9);
        out = mag_mul_small(&out, pow10(step));
        n -= step;
    }
    out
}

fn mag_cmp(a: &[u32], b: &[u32]) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

fn mag_add(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().max(b.len()) + 1);
    let mut carry = 0u64;
    for i in 0..a.len().max(b.len()) {
        let sum = u64::from(a.get(i).copied().unwrap_or(0))
            + u64::from(b.get(i).copied().unwrap_or(0))
            + carry;
        out.push((sum % BASE) as u32);
        carry = sum / BASE;
    }
    if carry > 0 {
        out.push(carry as u32);
    }
    out
}

/// `a - b` for `a >= b`.
fn mag_sub(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut borrow = 0i64;
    for (i, &limb) in a.iter().enumerate() {
        let mut diff = i64::from(limb) - i64::from(b.get(i).copied().unwrap_or(0)) - borrow;
        borrow = 0;
        if diff < 0 {
            diff += BASE as i64;
            borrow = 1;
        }
        out.push(diff as u32);
    }
    trim(&mut out);
    out
}

fn mag_mul(a: &[u32], b: &[u32]) -> Vec<u32> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut acc = vec![0u64; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            let slot = &mut acc[i + j];
            let cur = *slot + u64::from(x) * u64::from(y) + carry;
            *slot = cur % BASE;
            carry = cur / BASE;
        }
        let mut k = i + b.len();
        while carry > 0 {
            let cur = acc[k] + carry;
            acc[k] = cur % BASE;
            carry = cur / BASE;
            k += 1;
        }
    }
    let mut out: Vec<u32> = acc.into_iter().map(|v| v as u32).collect();
    trim(&mut out);
    out
}

fn mag_mul_small(a: &[u32], k: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + 1);
    let mut carry = 0u64;
    for &limb in a {
        let cur = u64::from(limb) * u64::from(k) + carry;
        out.push((cur % BASE) as u32);
        carry = cur / BASE;
    }
    while carry > 0 {
        out.push((carry % BASE) as u32);
        carry /= BASE;
    }
    trim(&mut out);
    out
}

fn mag_divrem_small(a: &[u32], k: u32) -> (Vec<u32>, u32) {
    let mut out = vec![0u32; a.len()];
    let mut rem = 0u64;
    for (i, &limb) in a.iter().enumerate().rev() {
        let cur = rem * BASE + u64::from(limb);
        out[i] = (cur / u64::from(k)) as u32;
        rem = cur % u64::from(k);
    }
    trim(&mut out);
    (out, rem as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_exact() {
        // 0.1 + 0.2 == 0.3, which binary floating point gets wrong.
        assert_eq!(d(1, 1).add(&d(2, 1)), d(3, 1));
        assert_eq!(d(3, 1).sub(&d(5, 1)), d(0, 0).sub(&d(2, 1)));
        assert!(!d(3, 1).sub(&d(5, 1)).is_positive());
        assert_eq!(d(85, 2).mul(&d(77, 2)), d(6545, 4));
        // 0.98^15 has 30 decimals: 0.739...; check against the integer 98^15.
        let p = d(98, 2).pow(15);
        assert_eq!(p, d(98, 0).pow(15).mul(&d(1, 30)));
        assert!(d(0, 0).sub(&d(2, 2)).pow(15) < Dec::zero());
        assert_eq!(d(2, 0).pow(100).mul(&d(1, 0)), d(1 << 50, 0).pow(2));
    }

    #[test]
    fn rounding() {
        assert_eq!(d(402, 2).ceil_tenths(), 41);
        assert_eq!(d(400, 2).ceil_tenths(), 40);
        assert_eq!(d(45, 2).round_half_up_tenths(), 5);
        assert_eq!(d(44999, 5).round_half_up_tenths(), 4);
        assert_eq!(d(4000001, 6).roundup_31_tenths(), 40);
        assert_eq!(d(400001, 5).roundup_31_tenths(), 41);
        assert_eq!(d(402, 2).roundup_31_tenths(), 41);
        assert_eq!(Dec::zero().sub(&d(1, 0)).ceil_tenths(), 0);
        assert_eq!(d(10, 0).ceil_tenths(), 100);
    }

    #[test]
    fn doubles_convert_exactly() {
        assert_eq!(Dec::from_f64(0.5), Some(d(5, 1)));
        assert_eq!(Dec::from_f64(8.0), Some(d(8, 0)));
        assert_eq!(Dec::from_f64(0.0), Some(Dec::zero()));
        // 0.1 as a double is 0.1000000000000000055511151231257827021181583404541015625.
        let tenth = Dec::from_f64(0.1).expect("finite");
        assert!(tenth > d(1, 1) && tenth < d(1000000000000000056, 19));
        // 8.45 as a double is just below 8.45: it rounds down, 8.45 + 1e-6 rounds up.
        assert_eq!(
            Dec::from_f64(8.45).map(|x| x.round_half_up_tenths()),
            Some(84)
        );
        assert_eq!(
            Dec::from_f64(8.45 + 1e-6).map(|x| x.round_half_up_tenths()),
            Some(85)
        );
        assert!(Dec::from_f64(f64::NAN).is_none());
        assert!(Dec::from_f64(-1.0).is_none());
        assert!(Dec::from_f64(5e-324).is_some());
    }
}
