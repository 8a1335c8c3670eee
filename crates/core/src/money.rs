//! Amounts of money as vendors send them, kept exact: [`Decimal`] reads a JSON number or a numeric string
//! (`150`, `150.5`, `"59.00"`) without going through `f64` arithmetic, and converts to integer minor units
//! when the caller knows the currency's exponent.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An exact decimal amount: `units / 10^scale`.
///
/// Vendors send prices as JSON numbers (`150.5`) or strings (`"150.50"`); both decode, and nothing is lost
/// to binary floating point. It serializes back as a JSON number when that is exact, else as a string.
///
/// # Examples
///
/// ```
/// use carewire_core::money::Decimal;
///
/// let price: Decimal = serde_json::from_str("150.5").unwrap();
/// assert_eq!(price.to_minor_units(2), Some(15050));
/// assert_eq!(price.to_string(), "150.5");
/// let fee: Decimal = serde_json::from_str(r#""59.00""#).unwrap();
/// assert_eq!(fee, Decimal::new(59, 0));
/// assert_eq!(fee.to_minor_units(2), Some(5900));
/// assert_eq!("0.005".parse::<Decimal>().unwrap().to_minor_units(2), None); // not a whole cent
/// ```
#[derive(Clone, Copy, Default)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// The largest scale kept (digits after the point).
const MAX_SCALE: u32 = 18;

impl Decimal {
    /// `units / 10^scale`: `Decimal::new(15050, 2)` is 150.50.
    ///
    /// # Panics
    ///
    /// If `scale` is over 18.
    #[allow(clippy::cast_lossless)] // `i128::from` is not `const`
    pub const fn new(units: i64, scale: u32) -> Self {
        assert!(scale <= MAX_SCALE, "scale over 18");
        Self { units: units as i128, scale }
    }

    /// An amount in minor units of a currency with `exponent` decimals (`from_minor_units(15050, 2)`).
    pub const fn from_minor_units(minor: i64, exponent: u32) -> Self {
        Self::new(minor, exponent)
    }

    /// The amount in minor units of a currency with `exponent` decimals; `None` when it is not a whole
    /// number of them or does not fit in an `i64`.
    pub fn to_minor_units(&self, exponent: u32) -> Option<i64> {
        let (units, scale) = self.normalized();
        let minor = if exponent >= scale {
            units.checked_mul(10_i128.checked_pow(exponent - scale)?)?
        } else {
            let div = 10_i128.pow(scale - exponent);
            if units % div != 0 {
                return None;
            }
            units / div
        };
        i64::try_from(minor).ok()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.units < 0
    }

    /// Trailing zeros after the point removed, so that equal amounts compare equal.
    fn normalized(&self) -> (i128, u32) {
        let (mut units, mut scale) = (self.units, self.scale);
        while scale > 0 && units % 10 == 0 {
            units /= 10;
            scale -= 1;
        }
        (units, scale)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.normalized() == other.normalized()
    }
}

impl Eq for Decimal {}

impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.normalized().hash(state);
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (units, scale) = (self.units, self.scale);
        if scale == 0 {
            return write!(f, "{units}");
        }
        let div = 10_u128.pow(scale);
        let abs = units.unsigned_abs();
        let sign = if units < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:0width$}", abs / div, abs % div, width = scale as usize)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

/// Why a text is not a decimal amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal amount (digits, one optional point, an optional leading sign, at most 18 decimals)")]
pub struct ParseDecimalError;

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (negative, digits) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
            return Err(ParseDecimalError);
        }
        let frac = frac.trim_end_matches('0');
        let scale = u32::try_from(frac.len()).map_err(|_| ParseDecimalError)?;
        if scale > MAX_SCALE || whole.len() > 20 {
            return Err(ParseDecimalError);
        }
        let mut units: i128 = 0;
        for b in whole.bytes().chain(frac.bytes()) {
            units = units.checked_mul(10).and_then(|u| u.checked_add(i128::from(b - b'0'))).ok_or(ParseDecimalError)?;
        }
        Ok(Self { units: if negative { -units } else { units }, scale })
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (units, scale) = self.normalized();
        if scale == 0
            && let Ok(n) = i64::try_from(units)
        {
            return serializer.serialize_i64(n);
        }
        // A float is exact when its shortest form reads back as the same decimal.
        let text = self.to_string();
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() && f.to_string().parse::<Self>().ok() == Some(*self) => serializer.serialize_f64(f),
            _ => serializer.serialize_str(&text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::new(v, 0))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                Ok(Decimal { units: i128::from(v), scale: 0 })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                // The shortest text that reads back as this float is what the vendor wrote.
                let text = if v.is_finite() { v.to_string() } else { String::new() };
                text.parse().map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                v.parse().map_err(|_| E::invalid_value(de::Unexpected::Other("a non-numeric string"), &self))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// For `#[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]` on an `Option<Decimal>`:
/// a number or a numeric string is `Some`, `null` or a blank string is `None`; anything else is an error.
///
/// ```
/// use carewire_core::money::Decimal;
///
/// #[derive(serde::Deserialize)]
/// struct Card {
///     #[serde(default, deserialize_with = "carewire_core::money::opt_decimal")]
///     balance: Option<Decimal>,
/// }
/// let card: Card = serde_json::from_str(r#"{"balance": ""}"#).unwrap();
/// assert_eq!(card.balance, None);
/// let card: Card = serde_json::from_str(r#"{"balance": "5500.00"}"#).unwrap();
/// assert_eq!(card.balance, Some(Decimal::new(5500, 0)));
/// ```
pub fn opt_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Decimal>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number, a numeric string, null or a blank string")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            opt_decimal(d)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Decimal::new(v, 0)))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Decimal { units: i128::from(v), scale: 0 }))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Decimal::deserialize(de::value::F64Deserializer::<E>::new(v)).map(Some)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if v.trim().is_empty() {
                return Ok(None);
            }
            v.parse().map(Some).map_err(|_| E::invalid_value(de::Unexpected::Other("a non-numeric string"), &self))
        }
    }
    deserializer.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_strings_exactly() {
        let cases = [("150", "150"), ("150.5", "150.5"), ("\"150.50\"", "150.5"), ("-0.1", "-0.1"), ("0.3", "0.3")];
        for (json, shown) in cases {
            let d: Decimal = serde_json::from_str(json).unwrap();
            assert_eq!(d.to_string(), shown, "{json}");
        }
        let sum: Decimal = serde_json::from_str("0.30000000000000004").unwrap();
        assert_ne!(sum, "0.3".parse().unwrap());
        for bad in ["\"abc\"", "\"1.2.3\"", "\"\"", "\".\"", "true", "null", "\"1e5\""] {
            assert!(serde_json::from_str::<Decimal>(bad).is_err(), "{bad}");
        }
        assert!("123456789012345678901".parse::<Decimal>().is_err());
    }

    #[test]
    fn minor_units_and_round_trip() {
        let d: Decimal = "59.99".parse().unwrap();
        assert_eq!(d.to_minor_units(2), Some(5999));
        assert_eq!(d.to_minor_units(3), Some(59990));
        assert_eq!(d.to_minor_units(0), None);
        assert_eq!(Decimal::from_minor_units(5999, 2), d);
        assert_eq!(serde_json::to_string(&d).unwrap(), "59.99");
        assert_eq!(serde_json::to_string(&Decimal::new(5900, 2)).unwrap(), "59");
        let big: Decimal = "12345678901234567.25".parse().unwrap();
        assert_eq!(serde_json::to_string(&big).unwrap(), "\"12345678901234567.25\"");
        assert_eq!(serde_json::from_str::<Decimal>(&serde_json::to_string(&big).unwrap()).unwrap(), big);
        assert_eq!(format!("{:?}", Decimal::new(-5, 1)), "Decimal(-0.5)");
    }
}
