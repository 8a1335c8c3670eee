//! [`PatientIdentity`]: who an SSO sign-in creates or updates in MDLIVE (the `auth` object of
//! `POST /api/v1/sso_auth/auth_token`), with the required fields checked before anything is sent.

use chrono::NaiveDate;
use serde::Serialize;

use carewire_core::{Error, Result};

carewire_core::open_enum! {
    /// A patient's gender as MDLIVE's sign-in takes it.
    redacted Gender {
        /// `M`: male.
        Male => "M" | "male",
        /// `F`: female.
        Female => "F" | "female",
        /// `U`: non-binary.
        NonBinary => "U" | "non-binary" | "nonbinary",
    }
}

carewire_core::open_enum! {
    /// How the patient relates to the primary account holder.
    Relationship {
        /// `Self`: the patient is the primary account holder.
        Primary => "Self",
        /// `Spouse`.
        Spouse => "Spouse",
        /// `Child`.
        Child => "Child",
        /// `Other Adult`.
        OtherAdult => "Other Adult",
    }
}

/// The patient an SSO sign-in is for: MDLIVE creates the patient, or updates it, from these fields.
///
/// Required (checked before sending, the error naming the field): `first_name`, `last_name`, `gender`,
/// `birthdate`, `subscriber_id`, `phone`, `address1`, `city`, `state`, `zip`, `relationship`. The `member_id`
/// is optional for MDLIVE but needed when the client computes an enterprise hash. Fields not given are sent as
/// empty strings, as the doc's example does (`email` included: the doc marks it required and sends `""`).
///
/// The client keeps the identity of every patient signed in, so that it can sign them in again when their
/// token can no longer be extended; [`PatientSession::sign_out`](crate::PatientSession::sign_out) forgets it.
///
/// ```
/// use carewire::mdlive::{Gender, PatientIdentity, Relationship};
/// use chrono::NaiveDate;
///
/// let identity = PatientIdentity::new("Ada", "Lovelace")
///     .gender(Gender::Female)
///     .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
///     .subscriber_id("SUB-1001")
///     .member_id("M-1001")
///     .phone("555-555-5555")
///     .email("ada@example.com")
///     .address("1 Main St", "Sunrise", "FL", "33303")
///     .relationship(Relationship::Primary);
/// identity.validate()?;
/// assert!(!format!("{identity:?}").contains("Ada"));
/// # Ok::<(), carewire::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct PatientIdentity {
    first_name: String,
    last_name: String,
    gender: Option<Gender>,
    birthdate: Option<NaiveDate>,
    subscriber_id: String,
    member_id: Option<String>,
    phone: String,
    email: String,
    address1: String,
    address2: String,
    city: String,
    state: String,
    zip: String,
    relationship: Option<Relationship>,
    primary: PrimaryHolder,
}

/// The primary account holder, when the patient is not it (all optional).
#[derive(Clone, Default, PartialEq)]
struct PrimaryHolder {
    first_name: String,
    last_name: String,
    gender: Option<Gender>,
    birthdate: Option<NaiveDate>,
    subscriber_id: String,
    member_id: String,
    address1: String,
    address2: String,
    city: String,
    state: String,
    zip: String,
}

impl std::fmt::Debug for PatientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatientIdentity")
            .field("relationship", &self.relationship)
            .field("member_id", &carewire_core::redact::Redacted(&self.member_id))
            .finish_non_exhaustive()
    }
}

macro_rules! text_setters {
    ($($(#[$doc:meta])* $name:ident => $($field:ident).+;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.$($field).+ = value.into();
                self
            }
        )*
    };
}

impl PatientIdentity {
    /// An identity with the patient's first and last name; set the other required fields with the setters.
    pub fn new(first_name: impl Into<String>, last_name: impl Into<String>) -> Self {
        Self { first_name: first_name.into(), last_name: last_name.into(), ..Self::default() }
    }

    text_setters! {
        /// The subscriber id (required).
        subscriber_id => subscriber_id;
        /// The contact phone number, any format (`555-555-5555`; required).
        phone => phone;
        /// The email address.
        email => email;
        /// The second line of the mailing address.
        address2 => address2;
        /// The primary holder's first name.
        primary_first_name => primary.first_name;
        /// The primary holder's last name.
        primary_last_name => primary.last_name;
        /// The primary holder's subscriber id.
        primary_subscriber_id => primary.subscriber_id;
        /// The primary holder's member id.
        primary_member_id => primary.member_id;
        /// The first line of the primary holder's address.
        primary_address1 => primary.address1;
        /// The second line of the primary holder's address.
        primary_address2 => primary.address2;
        /// The primary holder's city.
        primary_city => primary.city;
        /// The primary holder's state (two letters).
        primary_state => primary.state;
        /// The primary holder's zip code.
        primary_zip => primary.zip;
    }

    /// The patient's gender (required).
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }
    /// The date of birth (required), sent as `YYYY-MM-DD`.
    pub fn birthdate(mut self, birthdate: NaiveDate) -> Self {
        self.birthdate = Some(birthdate);
        self
    }
    /// The member id: optional for MDLIVE, but an enterprise hash is computed over it.
    pub fn member_id(mut self, member_id: impl Into<String>) -> Self {
        self.member_id = Some(member_id.into());
        self
    }
    /// The mailing address: first line, city, two-letter state and zip code (all required).
    pub fn address(
        mut self,
        address1: impl Into<String>,
        city: impl Into<String>,
        state: impl Into<String>,
        zip: impl Into<String>,
    ) -> Self {
        self.address1 = address1.into();
        self.city = city.into();
        self.state = state.into();
        self.zip = zip.into();
        self
    }
    /// How the patient relates to the primary account holder (required).
    pub fn relationship(mut self, relationship: Relationship) -> Self {
        self.relationship = Some(relationship);
        self
    }
    /// The primary holder's gender.
    pub fn primary_gender(mut self, gender: Gender) -> Self {
        self.primary.gender = Some(gender);
        self
    }
    /// The primary holder's date of birth, sent as `DD-MM-YYYY`: MDLIVE documents this one day first,
    /// unlike `birthdate`.
    pub fn primary_birthdate(mut self, birthdate: NaiveDate) -> Self {
        self.primary.birthdate = Some(birthdate);
        self
    }

    /// The member id, if one was given.
    pub fn member_id_ref(&self) -> Option<&str> {
        self.member_id.as_deref().filter(|m| !m.trim().is_empty())
    }

    /// Checks that every required field is there; the error names the first missing one
    /// (`auth.subscriber_id`).
    pub fn validate(&self) -> Result<()> {
        let required = [
            ("auth.first_name", self.first_name.as_str()),
            ("auth.last_name", self.last_name.as_str()),
            ("auth.subscriber_id", self.subscriber_id.as_str()),
            ("auth.phone", self.phone.as_str()),
            ("auth.address1", self.address1.as_str()),
            ("auth.city", self.city.as_str()),
            ("auth.state", self.state.as_str()),
            ("auth.zip", self.zip.as_str()),
        ];
        if self.gender.is_none() {
            return Err(Error::invalid_request("auth.gender", "is required"));
        }
        if self.birthdate.is_none() {
            return Err(Error::invalid_request("auth.birthdate", "is required"));
        }
        if self.relationship.is_none() {
            return Err(Error::invalid_request("auth.relationship", "is required"));
        }
        if let Some((field, _)) = required.iter().find(|(_, v)| v.trim().is_empty()) {
            return Err(Error::invalid_request(*field, "is required"));
        }
        if !is_state(&self.state) {
            return Err(Error::invalid_request("auth.state", "must be a two-letter state abbreviation"));
        }
        if !self.primary.state.is_empty() && !is_state(&self.primary.state) {
            return Err(Error::invalid_request("auth.primary_state", "must be a two-letter state abbreviation"));
        }
        Ok(())
    }

    /// The `auth` object, as sent.
    pub(crate) fn wire(&self) -> WireIdentity<'_> {
        fn gender(g: Option<&Gender>) -> &str {
            g.map(Gender::as_str).unwrap_or_default()
        }
        WireIdentity {
            first_name: &self.first_name,
            last_name: &self.last_name,
            gender: gender(self.gender.as_ref()),
            birthdate: self.birthdate.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            subscriber_id: &self.subscriber_id,
            member_id: self.member_id.as_deref().unwrap_or_default(),
            phone: &self.phone,
            email: &self.email,
            address1: &self.address1,
            address2: &self.address2,
            city: &self.city,
            state: &self.state,
            zip: &self.zip,
            relationship: self.relationship.as_ref().map(Relationship::as_str).unwrap_or_default(),
            primary_first_name: &self.primary.first_name,
            primary_last_name: &self.primary.last_name,
            primary_gender: gender(self.primary.gender.as_ref()),
            primary_birthdate: self.primary.birthdate.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default(),
            primary_subscriber_id: &self.primary.subscriber_id,
            primary_member_id: &self.primary.member_id,
            primary_address1: &self.primary.address1,
            primary_address2: &self.primary.address2,
            primary_city: &self.primary.city,
            primary_state: &self.primary.state,
            primary_zip: &self.primary.zip,
        }
    }
}

fn is_state(state: &str) -> bool {
    state.len() == 2 && state.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The `auth` object on the wire.
#[derive(Serialize)]
pub(crate) struct WireIdentity<'a> {
    first_name: &'a str,
    last_name: &'a str,
    gender: &'a str,
    birthdate: String,
    subscriber_id: &'a str,
    member_id: &'a str,
    phone: &'a str,
    email: &'a str,
    address1: &'a str,
    address2: &'a str,
    city: &'a str,
    state: &'a str,
    zip: &'a str,
    relationship: &'a str,
    primary_first_name: &'a str,
    primary_last_name: &'a str,
    primary_gender: &'a str,
    primary_birthdate: String,
    primary_subscriber_id: &'a str,
    primary_member_id: &'a str,
    primary_address1: &'a str,
    primary_address2: &'a str,
    primary_city: &'a str,
    primary_state: &'a str,
    primary_zip: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> PatientIdentity {
        PatientIdentity::new("firstname", "lastname")
            .gender(Gender::Male)
            .birthdate(NaiveDate::from_ymd_opt(1960, 12, 31).unwrap())
            .subscriber_id("subscriberid")
            .phone("555-555-5555")
            .address("address1", "Sunrise", "FL", "33303")
            .relationship(Relationship::Primary)
    }

    #[test]
    fn every_required_field_is_named() {
        assert!(complete().validate().is_ok());
        let cases: [(&str, PatientIdentity); 6] = [
            ("auth.first_name", PatientIdentity { first_name: " ".into(), ..complete() }),
            ("auth.gender", PatientIdentity { gender: None, ..complete() }),
            ("auth.birthdate", PatientIdentity { birthdate: None, ..complete() }),
            ("auth.subscriber_id", PatientIdentity { subscriber_id: String::new(), ..complete() }),
            ("auth.relationship", PatientIdentity { relationship: None, ..complete() }),
            ("auth.state", PatientIdentity { state: "Florida".into(), ..complete() }),
        ];
        for (want, identity) in cases {
            let err = identity.validate().unwrap_err();
            assert!(matches!(err, Error::InvalidRequest { ref field, .. } if field == want), "{want}: {err:?}");
        }
    }

    #[test]
    fn dates_and_enums_on_the_wire() {
        let identity = complete()
            .primary_birthdate(NaiveDate::from_ymd_opt(1958, 3, 9).unwrap())
            .primary_gender(Gender::NonBinary)
            .relationship(Relationship::OtherAdult);
        let wire = serde_json::to_value(identity.wire()).unwrap();
        assert_eq!(wire["birthdate"], "1960-12-31");
        assert_eq!(wire["primary_birthdate"], "09-03-1958");
        assert_eq!(wire["primary_gender"], "U");
        assert_eq!(wire["relationship"], "Other Adult");
        assert_eq!(wire["email"], "");
        assert_eq!(Relationship::from("self"), Relationship::Primary);
    }
}
