//! [`Money`]: an exact decimal amount in an ISO-4217 [`Currency`].

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO-4217 currency code: three ASCII uppercase letters.
///
/// ```
/// use prm_core::domain::Currency;
/// assert_eq!(Currency::new("JPY").unwrap().minor_units(), 0);
/// assert_eq!(Currency::new("KWD").unwrap().minor_units(), 3);
/// assert_eq!(Currency::new("XYZ").unwrap().minor_units(), 2); // unknown codes: 2
/// assert!(Currency::new("usd").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl schemars::JsonSchema for Currency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Currency".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO-4217 currency code"
        })
    }
}

impl Currency {
    /// Validates a code (three ASCII uppercase letters; the code need not be in ISO-4217).
    pub fn new(code: &str) -> Result<Self, String> {
        if let &[a, b, c] = code.as_bytes()
            && code.bytes().all(|b| b.is_ascii_uppercase())
        {
            Ok(Self([a, b, c]))
        } else {
            Err(format!(
                "`{code}` is not a currency code (three uppercase letters)"
            ))
        }
    }

    /// The code, e.g. `"EUR"`.
    pub fn code(&self) -> &str {
        // three ASCII uppercase letters, checked by `new`
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Digits after the decimal point of the currency's minor unit (ISO-4217; unknown codes 2).
    pub fn minor_units(&self) -> u32 {
        match self.code() {
            "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI"
            | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
            "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
            "CLF" | "UYW" => 4,
            _ => 2,
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

/// Money arithmetic errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Two amounts in different currencies met in one operation; prm never converts.
    #[error("currency mismatch at `{path}`: {left} vs {right}")]
    CurrencyMismatch {
        /// Where.
        path: String,
        /// The left operand's currency.
        left: Currency,
        /// The right operand's currency.
        right: Currency,
    },
    /// A decimal result does not fit (about 7.9e28).
    #[error("decimal overflow at `{path}`")]
    Overflow {
        /// Where.
        path: String,
    },
}

impl MoneyError {
    /// The stable code (`CurrencyMismatch`, `DecimalOverflow`).
    pub fn code(&self) -> &'static str {
        match self {
            MoneyError::CurrencyMismatch { .. } => "CurrencyMismatch",
            MoneyError::Overflow { .. } => "DecimalOverflow",
        }
    }

    /// The offending input's path.
    pub fn path(&self) -> &str {
        match self {
            MoneyError::CurrencyMismatch { path, .. } | MoneyError::Overflow { path } => path,
        }
    }
}

/// An exact amount in a currency. JSON: `{"amount": "123.45", "currency": "EUR"}` (the amount
/// may be a string or a number on input; it is always a string on output).
///
/// ```
/// use prm_core::domain::{Money, Currency};
/// use rust_decimal::Decimal;
/// let eur = Currency::new("EUR").unwrap();
/// let a = Money::new(Decimal::new(10001, 2), eur.clone());
/// let b = Money::new(Decimal::new(5, 1), eur);
/// assert_eq!(a.checked_add(&b).unwrap().amount, Decimal::new(10051, 2));
///
/// let yen = Money::new(Decimal::from(5), Currency::new("JPY").unwrap());
/// assert_eq!(a.checked_add(&yen).unwrap_err().code(), "CurrencyMismatch");
///
/// let json = serde_json::to_string(&a).unwrap();
/// assert_eq!(json, r#"{"amount":"100.01","currency":"EUR"}"#);
/// let back: Money = serde_json::from_str(r#"{"amount": 100.01, "currency": "EUR"}"#).unwrap();
/// assert_eq!(back, a);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Money {
    /// The amount, exact.
    #[serde(serialize_with = "crate::domain::serde_decimal::serialize")]
    #[schemars(with = "Decimal")]
    pub amount: Decimal,
    /// The ISO-4217 currency.
    pub currency: Currency,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero in a currency.
    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                path: String::new(),
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`; an error for different currencies or overflow.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow { path: String::new() })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self - other`; an error for different currencies or overflow.
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow { path: String::new() })?;
        Ok(Money::new(amount, self.currency))
    }

    /// The amount rounded half-even to the currency's minor unit.
    ///
    /// ```
    /// use prm_core::domain::{Money, Currency};
    /// use rust_decimal::Decimal;
    /// let m = Money::new(Decimal::new(1005, 3), Currency::new("USD").unwrap());
    /// assert_eq!(m.round_to_minor().amount, Decimal::new(100, 2)); // 1.005 -> 1.00 (half-even)
    /// ```
    #[must_use]
    pub fn round_to_minor(&self) -> Money {
        let amount = self
            .amount
            .round_dp_with_strategy(self.currency.minor_units(), RoundingStrategy::MidpointNearestEven);
        Money::new(amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}
