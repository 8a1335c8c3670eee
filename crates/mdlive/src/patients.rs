//! The patient's own profile: get (`GET /api/v2/patients/{patient_id}`) and update
//! (`PATCH /api/v2/patients/{patient_id}`), both answering `{"patient_profile": {...}}`.

use carewire_core::de::LenientDateTime;
use carewire_core::money::Decimal;
use carewire_core::operation::{Call, Encodings, Operation, Scope, Spec};
use carewire_core::{Error, RawResponse, Request, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::wire::{non_empty, wire_id};
use crate::{Gender, PatientSession, Pharmacy};

/// A patient's profile. The lists MDLIVE's documentation lost the shape of (upcoming, completed and
/// requested appointments, recent notes, chat histories, eligible members) stay in `extra`.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct PatientProfile {
    /// The patient id, as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Full name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// MDLIVE username.
    #[serde(default)]
    pub username: Option<String>,
    /// Email (`None` when blank).
    #[serde(default, deserialize_with = "carewire_core::de::empty_string_as_none")]
    pub email: Option<String>,
    /// Gender as MDLIVE words it (`"Male"`).
    #[serde(default)]
    pub gender: Option<String>,
    /// Age in years.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub age: Option<i64>,
    /// Date of birth (`1985-09-15`; `.parse_date()` reads it).
    #[serde(default)]
    pub birthdate: Option<LenientDateTime>,
    /// Street address.
    #[serde(default)]
    pub address1: Option<String>,
    /// Second address line.
    #[serde(default)]
    pub address2: Option<String>,
    /// City.
    #[serde(default)]
    pub city: Option<String>,
    /// MDLIVE's state id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub state_id: Option<String>,
    /// ZIP code.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub zip: Option<String>,
    /// Phone.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub phone: Option<String>,
    /// Cell phone.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub cell: Option<String>,
    /// Emergency contact number.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub emergency_contact_number: Option<String>,
    /// The patient's affiliation (organisation) id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub affiliation_id: Option<String>,
    /// The plan id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub plan_id: Option<String>,
    /// The primary account holder's id for a family member, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub parent_id: Option<String>,
    /// The user status id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub user_status_id: Option<String>,
    /// The language id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub language_id: Option<String>,
    /// The US time zone id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub us_time_zone_id: Option<String>,
    /// What the patient owes, an exact amount (`0`).
    #[serde(default)]
    pub unpaid_balance: Option<Decimal>,
    /// Unread messages.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub unread_message_count: Option<i64>,
    /// Whether the email is confirmed.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub email_confirmed: Option<bool>,
    /// Whether this is the primary account holder.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_primary: Option<bool>,
    /// Whether the patient may add family members.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub can_add_family_members: Option<bool>,
    /// Whether therapy is enabled.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub therapy_enabled: Option<bool>,
    /// The support line to show the patient (`"1-800-400-MDLIVE"`).
    #[serde(default)]
    pub assist_phone_number: Option<String>,
    /// The provider types the patient may see (`["Family Physician"]`).
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub provider_types: Vec<String>,
    /// The account status.
    #[serde(default)]
    pub user_status: Option<UserStatus>,
    /// The patient's organisation and what it enables.
    #[serde(default)]
    pub affiliation: Option<Affiliation>,
    /// The patient's state.
    #[serde(default)]
    pub state: Option<StateRef>,
    /// The patient's pharmacy.
    #[serde(default)]
    pub pharmacy: Option<Pharmacy>,
    /// Family members on the account.
    #[serde(default, deserialize_with = "carewire_core::de::one_or_many")]
    pub family_members: Vec<FamilyMember>,
    /// Fields not modelled above.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(PatientProfile {
    show: [
        id,
        state_id,
        affiliation_id,
        plan_id,
        parent_id,
        user_status_id,
        language_id,
        us_time_zone_id,
        unpaid_balance,
        unread_message_count,
        email_confirmed,
        is_primary,
        can_add_family_members,
        therapy_enabled,
        provider_types,
        user_status,
        affiliation,
        state,
        pharmacy,
        family_members
    ],
    redact: [
        fullname,
        first_name,
        last_name,
        username,
        email,
        gender,
        age,
        birthdate,
        address1,
        address2,
        city,
        zip,
        phone,
        cell,
        emergency_contact_number,
        assist_phone_number
    ],
    keys: [extra],
});

/// A patient account's status.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct UserStatus {
    /// The status id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The status (`"Active"`).
    #[serde(default)]
    pub name: Option<String>,
    /// When it was set (`2017-12-15 08:27:33 -0500`; `.parse()` reads it).
    #[serde(default)]
    pub created_at: Option<LenientDateTime>,
    /// When it last changed.
    #[serde(default)]
    pub updated_at: Option<LenientDateTime>,
}

/// The organisation a patient belongs to and the features it enables.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Affiliation {
    /// The affiliation id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// Its name (`"DTC"`).
    #[serde(default)]
    pub name: Option<String>,
    /// Its description.
    #[serde(default)]
    pub description: Option<String>,
    /// Video consultations only.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub video_only: Option<bool>,
    /// Phone consultations only.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub phone_only: Option<bool>,
    /// Pharmacy selection disabled.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub pharmacy_disabled: Option<bool>,
    /// Appointment requests enabled.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub request_appointment_enabled: Option<bool>,
    /// Family members may be added.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub allow_add_family_members: Option<bool>,
    /// Fields not modelled above (the consent questions among them).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(Affiliation {
    show: [
        id,
        name,
        description,
        video_only,
        phone_only,
        pharmacy_disabled,
        request_appointment_enabled,
        allow_add_family_members
    ],
    keys: [extra],
});

/// A state as a patient profile names it (`{"name": "FLORIDA", "id": 10}`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct StateRef {
    /// MDLIVE's state id, as text.
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The state's name, in MDLIVE's case (`"FLORIDA"`).
    #[serde(default)]
    pub name: Option<String>,
}

/// A family member on a patient's account.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FamilyMember {
    /// The family member's patient id, as text. Required.
    #[serde(deserialize_with = "carewire_core::resource::id")]
    pub id: String,
    /// Full name.
    #[serde(default)]
    pub fullname: Option<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Gender as MDLIVE words it.
    #[serde(default)]
    pub gender: Option<String>,
    /// Age in years.
    #[serde(default, deserialize_with = "carewire_core::de::opt_number_or_string_i64")]
    pub age: Option<i64>,
    /// Date of birth.
    #[serde(default)]
    pub birthdate: Option<LenientDateTime>,
    /// Whether the member is authorized.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_authorized: Option<bool>,
    /// Whether the member is active.
    #[serde(default, deserialize_with = "carewire_core::de::opt_bool_or_int")]
    pub is_active: Option<bool>,
    /// Fields not modelled above (contact data among them).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(FamilyMember {
    show: [id, is_authorized, is_active],
    redact: [fullname, first_name, last_name, gender, age, birthdate],
    keys: [extra],
});

/// Changes to a patient's profile: the body of `PATCH /api/v2/patients/{patient_id}`. Only the fields set
/// are sent; at least one must be.
///
/// # Examples
///
/// ```
/// use carewire::mdlive::PatientUpdate;
///
/// let update = PatientUpdate::new().first_name("Test").last_name("Patient");
/// assert!(update.validate().is_ok());
/// assert!(PatientUpdate::new().validate().is_err()); // nothing to change
/// assert!(PatientUpdate::new().email("not-an-email").validate().is_err());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct PatientUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gender: Option<Gender>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "ymd")]
    birthdate: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    emergency_contact_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_id: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_wire_id")]
    pharmacy_id: Option<String>,
}

carewire_core::redacted_debug!(PatientUpdate {
    show: [state_id, pharmacy_id],
    redact: [
        first_name,
        last_name,
        gender,
        birthdate,
        phone,
        cell,
        emergency_contact_number,
        email,
        address1,
        address2,
        city,
        zip
    ],
});

#[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` passes `&Option<T>`
fn ymd<S: Serializer>(date: &Option<NaiveDate>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
fn opt_wire_id<S: Serializer>(id: &Option<String>, s: S) -> std::result::Result<S::Ok, S::Error> {
    id.as_deref().map(wire_id).serialize(s)
}

macro_rules! text_setters {
    ($($(#[$doc:meta])* $field:ident),+ $(,)?) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $field(mut self, value: impl Into<String>) -> Self {
                self.$field = Some(value.into());
                self
            }
        )+
    };
}

impl PatientUpdate {
    /// No changes yet.
    pub fn new() -> Self {
        Self::default()
    }

    text_setters! {
        /// First name.
        first_name,
        /// Last name.
        last_name,
        /// Phone.
        phone,
        /// Cell phone.
        cell,
        /// Emergency contact number.
        emergency_contact_number,
        /// Email.
        email,
        /// Street address.
        address1,
        /// Second address line (an empty string clears it).
        address2,
        /// City.
        city,
        /// ZIP code.
        zip,
        /// The patient's pharmacy: a [`Pharmacy`] id from the pharmacy search.
        pharmacy_id,
    }

    /// Gender (sent as `M` or `F`).
    #[must_use]
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    /// Date of birth (sent as `YYYY-MM-DD`).
    #[must_use]
    pub fn birthdate(mut self, birthdate: NaiveDate) -> Self {
        self.birthdate = Some(birthdate);
        self
    }

    /// MDLIVE's state id (its states table: Florida is 10).
    #[must_use]
    pub fn state_id(mut self, state_id: u32) -> Self {
        self.state_id = Some(state_id);
        self
    }

    /// Checks what can be checked before sending: at least one change, no blank names, city or ZIP, an
    /// email with an `@`, a numeric pharmacy id and a non-zero state id.
    pub fn validate(&self) -> Result<()> {
        if *self == Self::default() {
            return Err(Error::invalid_request("patient", "must change at least one field"));
        }
        let texts = [
            ("patient.first_name", &self.first_name),
            ("patient.last_name", &self.last_name),
            ("patient.city", &self.city),
            ("patient.zip", &self.zip),
        ];
        for (field, value) in texts {
            if let Some(v) = value {
                non_empty(field, v)?;
            }
        }
        if let Some(email) = &self.email
            && !email.trim().split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        {
            return Err(Error::invalid_request("patient.email", "must be an email address"));
        }
        if let Some(id) = &self.pharmacy_id
            && (id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Error::invalid_request("patient.pharmacy_id", "must be a numeric pharmacy id"));
        }
        if self.state_id == Some(0) {
            return Err(Error::invalid_request("patient.state_id", "must be one of MDLIVE's state ids"));
        }
        Ok(())
    }
}

/// The patient's profile; from [`PatientSession::profile`].
#[derive(Clone, Debug)]
pub struct Patients {
    session: PatientSession,
}

impl PatientSession {
    /// The patient's own profile.
    pub fn profile(&self) -> Patients {
        Patients { session: self.clone() }
    }
}

impl Patients {
    /// The profile: `GET /api/v2/patients/{patient_id}`.
    ///
    /// ```no_run
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let profile = session.profile().get().await?;
    /// println!("patient {} owes {:?}", profile.id, profile.unpaid_balance);
    /// # Ok(()) }
    /// ```
    pub fn get(&self) -> Call<GetPatient> {
        self.session.send(GetPatient::new(self.session.patient_id()))
    }

    /// Changes the profile and returns it: `PATCH /api/v2/patients/{patient_id}`.
    ///
    /// ```no_run
    /// use carewire::mdlive::PatientUpdate;
    ///
    /// # async fn run(session: carewire::mdlive::PatientSession) -> carewire::Result<()> {
    /// let profile = session.profile().update(PatientUpdate::new().pharmacy_id("1")).await?;
    /// println!("pharmacy {:?}", profile.pharmacy.map(|p| p.id));
    /// # Ok(()) }
    /// ```
    pub fn update(&self, changes: PatientUpdate) -> Call<UpdatePatient> {
        self.session.send(UpdatePatient::new(self.session.patient_id(), changes))
    }
}

#[derive(Deserialize)]
struct ProfileEnvelope {
    patient_profile: PatientProfile,
}

/// `GET /api/v2/patients/{patient_id}`: the patient's profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetPatient {
    patient_id: String,
}

impl GetPatient {
    /// Patient `patient_id`'s profile.
    pub fn new(patient_id: impl Into<String>) -> Self {
        Self { patient_id: patient_id.into() }
    }
}

impl Operation for GetPatient {
    type Output = PatientProfile;
    const SPEC: Spec = Spec::get("/api/v2/patients/{patient_id}").name("patients.get").scope(Scope::Subject);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        Ok(Self::SPEC.request().path_param("patient_id", &self.patient_id))
    }

    fn decode(&self, raw: RawResponse) -> Result<PatientProfile> {
        raw.json::<ProfileEnvelope>().map(|e| e.patient_profile)
    }
}

/// `PATCH /api/v2/patients/{patient_id}`: changes the patient's profile. Setting the same fields twice has
/// the same effect as once, so it is retried like a `PUT`.
#[derive(Clone, Debug)]
pub struct UpdatePatient {
    patient_id: String,
    changes: PatientUpdate,
}

impl UpdatePatient {
    /// Applies `changes` to patient `patient_id`.
    pub fn new(patient_id: impl Into<String>, changes: PatientUpdate) -> Self {
        Self { patient_id: patient_id.into(), changes }
    }
}

#[derive(Serialize)]
struct PatientBody<'a> {
    patient: &'a PatientUpdate,
}

impl Operation for UpdatePatient {
    type Output = PatientProfile;
    const SPEC: Spec = Spec::patch("/api/v2/patients/{patient_id}")
        .name("patients.update")
        .scope(Scope::Subject)
        .idempotent(true)
        .json();

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        non_empty("patient_id", &self.patient_id)?;
        self.changes.validate()?;
        Ok(Self::SPEC
            .request()
            .path_param("patient_id", &self.patient_id)
            .json(&PatientBody { patient: &self.changes }))
    }

    fn decode(&self, raw: RawResponse) -> Result<PatientProfile> {
        raw.json::<ProfileEnvelope>().map(|e| e.patient_profile)
    }
}
