//! Medical-aid claims: `POST /v1/claims/submit`.
//!
//! A claim moves money, so every submission carries an `Idempotency-Key` header: the one you set with
//! [`SubmitClaim::idempotency_key`], or a random one generated when the [`SubmitClaim`] is created. The same
//! key is sent on every retry of the call, which is what lets carewire retry a claim after a 5xx, a timeout or a
//! dropped connection without risking a second claim. Submitting a clone of the same [`SubmitClaim`] again
//! (for example after your process lost the answer) also reuses the key.

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Spec};
use carewire_core::request::generate_idempotency_key;
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Client;
use crate::enums::open_enum;
use crate::validate::{is_icd10, non_empty};

open_enum! {
    /// A claim's status. The claims response is undocumented; these are the values the webhooks imply.
    ClaimStatus {
        /// `submitted`: routed to the switcher, outcome pending.
        Submitted => "submitted",
        /// `paid`: the scheme remitted (see the `claim.paid` webhook).
        Paid => "paid",
        /// `rejected`: the scheme denied it (see the `claim.rejected` webhook).
        Rejected => "rejected",
    }
}

/// Parameters of `POST /v1/claims/submit`.
///
/// # Examples
///
/// ```
/// use carewire_medtimes::SubmitClaim;
///
/// let claim = SubmitClaim::new(["J20.9"], 45_000) // R450.00 in cents
///     .patient_id("usr_8921a")
///     .currency("ZAR") // sent lowercase
///     .tariff_codes(["0132"])
///     .idempotency_key("claim-usr_8921a-2025-02-20");
/// assert!(claim.validate().is_ok());
/// assert_eq!(claim.idempotency_key_ref(), "claim-usr_8921a-2025-02-20");
/// assert!(SubmitClaim::new(["J20.9"], 0).validate().is_err());
/// assert!(SubmitClaim::new(["bronchitis"], 100).validate().is_err());
/// ```
#[derive(Clone, Serialize)]
pub struct SubmitClaim {
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_id: Option<String>,
    amount: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    icd10_codes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tariff_codes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    nappi_codes: Vec<Value>,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
    #[serde(skip)]
    idempotency_key: String,
}

carewire_core::redacted_debug!(SubmitClaim {
    show: [amount, currency, tariff_codes],
    redact: [patient_id, icd10_codes, nappi_codes, idempotency_key],
    keys: [extra],
});

impl SubmitClaim {
    /// A claim for the diagnosis codes `icd10_codes` (at least one; primary first) and `amount` in cents
    /// (ZAR: R450.00 is `45000`). A random idempotency key is generated now.
    pub fn new<I, S>(icd10_codes: I, amount: i64) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            patient_id: None,
            amount,
            currency: None,
            icd10_codes: icd10_codes.into_iter().map(Into::into).collect(),
            tariff_codes: Vec::new(),
            nappi_codes: Vec::new(),
            extra: BTreeMap::new(),
            idempotency_key: generate_idempotency_key(),
        }
    }

    /// Your identifier of the patient (in the doc's example, not in its parameter list).
    pub fn patient_id(mut self, patient_id: impl Into<String>) -> Self {
        self.patient_id = Some(patient_id.into());
        self
    }

    /// The currency, sent lowercase (`zar`; in the doc's example only: amounts are documented as ZAR cents).
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.currency = Some(currency.into().to_ascii_lowercase());
        self
    }

    /// Tariff codes of the services billed (`"0132"`: telehealth consult; in the doc's example only).
    pub fn tariff_codes<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tariff_codes = codes.into_iter().map(Into::into).collect();
        self
    }

    /// Procedures, materials or medication dispensed. The doc types them as objects without a shape, so
    /// each is any JSON object, e.g. `json!({"code": "704180", "quantity": 1})`.
    pub fn nappi_codes<I>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = Value>,
    {
        self.nappi_codes = codes.into_iter().collect();
        self
    }

    /// Any field the docs forgot.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(key.into(), value.into());
        self
    }

    /// Sets the idempotency key (replacing the generated one). Use a key derived from your own claim record so
    /// that even a restarted process cannot submit the claim twice.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = key.into();
        self
    }

    /// The idempotency key this claim is sent with.
    pub fn idempotency_key_ref(&self) -> &str {
        &self.idempotency_key
    }

    /// Checks the claim before sending: at least one ICD-10 code, each of the form letter + two digits +
    /// optional `.` and up to four characters; `amount` greater than zero; no empty `patient_id`, currency,
    /// tariff code or idempotency key.
    pub fn validate(&self) -> Result<()> {
        if self.icd10_codes.is_empty() {
            return Err(Error::invalid_request("icd10_codes", "must contain at least one code"));
        }
        for (i, code) in self.icd10_codes.iter().enumerate() {
            if !is_icd10(code) {
                return Err(Error::invalid_request(
                    format!("icd10_codes[{i}]"),
                    "is not an ICD-10 code (a letter, two digits, then optionally `.` and up to four characters)",
                ));
            }
        }
        if self.amount <= 0 {
            return Err(Error::invalid_request("amount", "must be greater than zero (cents)"));
        }
        if let Some(patient_id) = &self.patient_id {
            non_empty("patient_id", patient_id)?;
        }
        if let Some(currency) = &self.currency {
            non_empty("currency", currency)?;
        }
        for (i, code) in self.tariff_codes.iter().enumerate() {
            non_empty(format!("tariff_codes[{i}]"), code)?;
        }
        non_empty("idempotency_key", &self.idempotency_key)
    }
}

/// The answer to a claim submission. Medtimes documents no response, so every field is optional and
/// everything else is kept in `extra`; the outcome arrives later as a `claim.paid` or `claim.rejected`
/// webhook. What [`Claims::submit`] accepts as an answer is described there.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Claim {
    /// The claim id, if Medtimes returns one.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The object type, if any.
    #[serde(default)]
    pub object: Option<String>,
    /// The status, if any.
    #[serde(default)]
    pub status: Option<ClaimStatus>,
    /// The amount in cents, if echoed.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub amount: Option<i64>,
    /// The currency, if echoed.
    #[serde(default)]
    pub currency: Option<String>,
    /// Every other field of the response.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Claim {
    /// Interprets a decoded answer of `POST /v1/claims/submit`, never failing: the answer is undocumented
    /// (there is no claim id or schema), so an object decodes field by field (a field of an unexpected type
    /// stays in `extra` under its own name); `null` gives a claim without fields; any other value (a JSON
    /// array or string) is kept in `extra["response"]`. [`Claims::submit`] only passes it a JSON object, or
    /// `null` for a 202/204 without a body.
    pub fn from_response(body: Value) -> Self {
        let map = match body {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => Map::from_iter([("response".to_owned(), other)]),
        };
        let (fits, misfits): (Map<String, Value>, Map<String, Value>) = map.into_iter().partition(|(key, value)| {
            serde_json::from_value::<Self>(Value::Object(Map::from_iter([(key.clone(), value.clone())]))).is_ok()
        });
        let mut claim = serde_json::from_value::<Self>(Value::Object(fits)).unwrap_or_else(|_| Self {
            id: None,
            object: None,
            status: None,
            amount: None,
            currency: None,
            extra: BTreeMap::new(),
        });
        claim.extra.extend(misfits);
        claim
    }
}

carewire_core::redacted_debug!(Claim { show: [id, object, status, amount, currency], keys: [extra] });

/// Claim operations; from [`Client::claims`].
#[derive(Clone, Debug)]
pub struct Claims {
    client: Client,
}

impl Claims {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Submits an EDI claim to the medical-aid switcher: `POST /v1/claims/submit`, with the claim's
    /// `Idempotency-Key` on every attempt.
    ///
    /// The answer is undocumented, so any JSON object is a submitted claim, whatever its fields (see
    /// [`Claim::from_response`]), and so is a `202 Accepted` or `204 No Content` without a body. Anything
    /// else with a 2xx status is [`Error::Decode`]: an HTML page, a 200 with an empty body, bytes that are
    /// not JSON or not UTF-8, a JSON array or string. Such an answer usually comes from a proxy, not from
    /// Medtimes, so the claim may never have been submitted; submit the same [`SubmitClaim`] (or a clone)
    /// again: it carries the same idempotency key, so Medtimes cannot create the claim twice.
    ///
    /// ```no_run
    /// use carewire::medtimes::{Client, SubmitClaim};
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let claim = SubmitClaim::new(["J06.9"], 45_000).patient_id("usr_8921a").tariff_codes(["0190"]);
    /// // Keep the claim (or its key) until you have the answer: resubmitting it cannot claim twice.
    /// let submitted = client.claims().submit(claim.clone()).await?;
    /// println!("claim {:?}: {:?}", submitted.id, submitted.status);
    /// # Ok(()) }
    /// ```
    pub fn submit(&self, params: SubmitClaim) -> Call<SubmitClaim> {
        self.client.send(params)
    }
}

impl Operation for SubmitClaim {
    type Output = Claim;
    // A claim carries its idempotency key, so every attempt is safe to retry.
    const SPEC: Spec = Spec::post("/v1/claims/submit").name("claims.submit").client_body().idempotent(true);

    fn request(&self, enc: &Encodings) -> Result<Request> {
        self.validate()?;
        Ok(enc.body(Self::SPEC.request().idempotency_key(self.idempotency_key.clone()), self))
    }

    fn decode(&self, raw: RawResponse) -> Result<Claim> {
        let no_body = raw.body.iter().all(u8::is_ascii_whitespace);
        if no_body && matches!(raw.meta.status, 202 | 204) {
            return Ok(Claim::from_response(Value::Null));
        }
        // Only an object is accepted: an empty body decodes as `null`, HTML and invalid UTF-8 do not parse.
        let answer: Map<String, Value> = raw.json()?;
        Ok(Claim::from_response(Value::Object(answer)))
    }
}
