//! The sandbox's test-side API: seeding patients and providers, reading what clients stored, and playing the
//! provider's part (accepting, starting and completing appointments, messaging, prescribing), each returning
//! the webhook event MDLIVE would send.

use serde_json::{Map, Value, json};

use super::routes::account::{pharmacy_name, profile_json};
use super::routes::scheduling::appointment_json;
use super::state::{Message, State, lock, now_secs, rfc3339};
use super::webhook::{appointment_object, availability_object};
use super::{Sandbox, auth, providers, webhook_event};

impl Sandbox {
    /// A complete, valid SSO sign-in body (`auth`, `org`, `api`) for this identity, with the sandbox's
    /// credentials, `member_id` `MBR-<subscriber_id>`, `gender` `U`, an address in Sunrise, FL, and the
    /// enterprise hash when one is configured (`request_timestamp` is now).
    pub fn sign_in_body(&self, subscriber_id: &str, first_name: &str, last_name: &str, birthdate: &str) -> Value {
        let st = lock(&self.state);
        let member_id = format!("MBR-{subscriber_id}");
        let timestamp = auth::request_timestamp(std::time::SystemTime::now());
        let hash = match (&st.config.fixed_enterprise_hash, &st.config.enterprise_secret) {
            (Some(fixed), _) => Some(fixed.clone()),
            (None, Some(secret)) => Some(auth::enterprise_hash(&member_id, &timestamp, secret, st.config.hash_form)),
            (None, None) => None,
        };
        json!({
            "auth": {
                "first_name": first_name, "last_name": last_name, "gender": "U", "birthdate": birthdate,
                "subscriber_id": subscriber_id, "member_id": member_id, "phone": "555-555-5555", "email": "",
                "address1": "1 Main St", "address2": "", "city": "Sunrise", "state": "FL", "zip": "33351",
                "relationship": "Self",
            },
            "org": { "ou": st.config.ou, "request_timestamp": timestamp, "enterprise_hash": hash },
            "api": { "api_key": st.config.api_key, "password": st.config.api_password },
        })
    }

    /// Creates (or finds) the patient of this identity directly, as a sign-in would, and returns its id.
    pub fn seed_patient(&self, subscriber_id: &str, first_name: &str, last_name: &str, birthdate: &str) -> u64 {
        let body = self.sign_in_body(subscriber_id, first_name, last_name, birthdate);
        let auth_fields = body["auth"].as_object().cloned().unwrap_or_default();
        auth::upsert_patient(&mut lock(&self.state), &auth_fields)
    }

    /// Every patient id, in creation order.
    pub fn patient_ids(&self) -> Vec<u64> {
        lock(&self.state).patients.iter().map(|p| p.id).collect()
    }

    /// The patient's `patient_profile`, as `GET /api/v2/patients/{patient_id}` answers it.
    pub fn patient(&self, patient_id: u64) -> Option<Value> {
        let st = lock(&self.state);
        st.patient(patient_id).map(|p| profile_json(&st, p))
    }

    fn rows(&self, patient_id: u64, pick: fn(&super::state::Patient) -> &Vec<Value>) -> Vec<Value> {
        lock(&self.state).patient(patient_id).map(|p| pick(p).clone()).unwrap_or_default()
    }

    /// The patient's allergies (empty for an unknown patient).
    pub fn allergies(&self, patient_id: u64) -> Vec<Value> {
        self.rows(patient_id, |p| &p.allergies)
    }

    /// The patient's medications, current or not.
    pub fn medications(&self, patient_id: u64) -> Vec<Value> {
        self.rows(patient_id, |p| &p.medications)
    }

    /// The patient's medical conditions (the inner `medical_condition` objects).
    pub fn medical_conditions(&self, patient_id: u64) -> Vec<Value> {
        self.rows(patient_id, |p| &p.conditions)
    }

    /// The patient's surgeries.
    pub fn surgeries(&self, patient_id: u64) -> Vec<Value> {
        self.rows(patient_id, |p| &p.surgeries)
    }

    /// The patient's documents, with their base64 `data`.
    pub fn documents(&self, patient_id: u64) -> Vec<Value> {
        self.rows(patient_id, |p| &p.documents)
    }

    /// The patient's default credit card (last four digits only), if one is on file.
    pub fn credit_card(&self, patient_id: u64) -> Option<Value> {
        lock(&self.state).patient(patient_id)?.credit_card.clone()
    }

    /// The patient's primary care physician, if one is on file.
    pub fn pcp(&self, patient_id: u64) -> Option<Value> {
        lock(&self.state).patient(patient_id)?.pcp.clone()
    }

    /// Every provider id: the seeded ones first, in search order.
    pub fn provider_ids(&self) -> Vec<u64> {
        lock(&self.state).providers.iter().map(|p| p.id).collect()
    }

    /// Adds a provider (gender `"Male"` or `"Female"`, anything else is `"Female"`) with the usual six open
    /// slots; returns its id. It comes last in search results.
    pub fn add_provider(&self, fullname: &str, gender: &str, provider_type_id: u64) -> u64 {
        let mut st = lock(&self.state);
        let id = st.next_id();
        let gender = if gender.eq_ignore_ascii_case("male") { "Male" } else { "Female" };
        st.providers.push(providers::provider(id, fullname, gender, provider_type_id, vec![1], now_secs()));
        id
    }

    /// The provider's open slots, as `start_time` values (epoch seconds), earliest first.
    pub fn open_slots(&self, provider_id: u64) -> Vec<i64> {
        lock(&self.state).provider(provider_id).map(|p| p.slots.iter().map(|(at, _)| *at).collect()).unwrap_or_default()
    }

    /// An appointment as the sandbox renders it (`status` is `pending`, `in_progress`, `completed` or
    /// `cancelled`).
    pub fn appointment(&self, appointment_id: u64) -> Option<Value> {
        let st = lock(&self.state);
        st.appointments.iter().find(|a| a.id == appointment_id).map(|a| appointment_json(&st, a))
    }

    /// The ids of the patient's appointments, in creation order (cancelled ones included).
    pub fn appointment_ids(&self, patient_id: u64) -> Vec<u64> {
        lock(&self.state).appointments.iter().filter(|a| a.patient_id == patient_id).map(|a| a.id).collect()
    }

    /// An appointment request with the sandbox's bookkeeping: `status` (`requested` or `cancelled`) and
    /// `reminders`.
    pub fn appointment_request(&self, request_id: u64) -> Option<Value> {
        lock(&self.state).appointment_requests.iter().find(|r| r["id"] == request_id).cloned()
    }

    fn advance(&self, appointment_id: u64, action: &str, step: fn(&mut State, usize) -> bool) -> Option<Value> {
        let mut st = lock(&self.state);
        let index = st.appointments.iter().position(|a| a.id == appointment_id)?;
        if !step(&mut st, index) {
            return None;
        }
        Some(webhook_event(action, "appointment", appointment_object(&st.appointments[index])))
    }

    /// A provider accepts a pending appointment (a first-available one gets `provider_id`); returns the
    /// `consultation:provider:accepted` event, or `None` if the appointment is not pending or the provider is
    /// unknown.
    pub fn accept_appointment(&self, appointment_id: u64, provider_id: u64) -> Option<Value> {
        let mut st = lock(&self.state);
        st.provider(provider_id)?;
        let a = st.appointments.iter_mut().find(|a| a.id == appointment_id && a.status == "pending")?;
        if a.provider_id.is_some_and(|p| p != provider_id) {
            return None;
        }
        a.provider_id = Some(provider_id);
        Some(webhook_event("consultation:provider:accepted", "appointment", appointment_object(a)))
    }

    /// The provider is ready for a pending appointment that has a provider: it turns `in_progress` with
    /// `provider_ready: true`; returns the `consultation:provider:ready` event.
    pub fn provider_ready(&self, appointment_id: u64) -> Option<Value> {
        self.advance(appointment_id, "consultation:provider:ready", |st, i| {
            let a = &mut st.appointments[i];
            if a.status != "pending" || a.provider_id.is_none() {
                return false;
            }
            a.status = "in_progress";
            a.provider_ready = true;
            true
        })
    }

    /// Completes a pending or in-progress appointment; returns the `consultation:status:changed` event.
    pub fn complete_appointment(&self, appointment_id: u64) -> Option<Value> {
        self.advance(appointment_id, "consultation:status:changed", |st, i| {
            let a = &mut st.appointments[i];
            if !matches!(a.status, "pending" | "in_progress") {
                return false;
            }
            a.status = "completed";
            a.provider_ready = false;
            true
        })
    }

    /// A provider asks the patient for an appointment at `start_time` (epoch seconds; now when `None`); a
    /// system message tells the patient. Returns the `consultation:provider:requested` event.
    pub fn request_consultation(&self, patient_id: u64, provider_id: u64, start_time: Option<i64>) -> Option<Value> {
        let mut st = lock(&self.state);
        st.patient(patient_id)?;
        let name = st.provider(provider_id)?.fullname.clone();
        let id = st.next_id();
        st.system_message(patient_id, "Appointment Requested", &format!("{name} requested an appointment with you"));
        Some(webhook_event(
            "consultation:provider:requested",
            "availability",
            availability_object(id, patient_id, provider_id, start_time),
        ))
    }

    /// A provider sends the patient a message (unread); returns the `message:provider:created` event, whose
    /// `data.message.id` is the new message's id.
    pub fn send_provider_message(&self, patient_id: u64, provider_id: u64, subject: &str, body: &str) -> Option<Value> {
        let mut st = lock(&self.state);
        st.patient(patient_id)?;
        st.provider(provider_id)?;
        let id = st.next_id();
        let at = now_secs();
        st.messages.push(Message {
            id,
            patient_id,
            provider_id: Some(provider_id),
            from_patient: false,
            subject: subject.to_owned(),
            body: body.to_owned(),
            unread: true,
            replied_to: None,
            at,
        });
        let object = json!({
            "id": id, "date_time": rfc3339(at), "from_id": provider_id, "to_id": patient_id,
            "unread_status": true, "replied_to_message_id": null,
        });
        Some(webhook_event("message:provider:created", "message", object))
    }

    /// Whether a message is unread (`None` for an unknown message).
    pub fn message_unread(&self, message_id: u64) -> Option<bool> {
        lock(&self.state).messages.iter().find(|m| m.id == message_id).map(|m| m.unread)
    }

    /// The appointment's provider prescribes `medication_name`, sent to the patient's pharmacy; the
    /// prescription can then be read with `GET .../prescriptions/{id}`. Returns the
    /// `prescription:pharmacy:accepted` event (`None` without an appointment that has a provider).
    pub fn prescribe(&self, appointment_id: u64, medication_name: &str) -> Option<Value> {
        let mut st = lock(&self.state);
        let a = st.appointments.iter().find(|a| a.id == appointment_id)?.clone();
        let provider = st.provider(a.provider_id?)?.fullname.clone();
        let pharmacy_id = st.patient(a.patient_id)?.profile.get("pharmacy_id").and_then(Value::as_u64).unwrap_or(1);
        let id = st.next_id();
        let prescription = json!({
            "id": id,
            "patient_name": st.patient_name(a.patient_id),
            "patient_id": a.patient_id,
            "provider_name": provider,
            "provider_id": a.provider_id,
            "pharmacy_name": pharmacy_name(pharmacy_id),
            "pharmacy_id": pharmacy_id,
            "medication_name": medication_name,
            "appointment_id": a.id,
            "prescribed_at": rfc3339(now_secs()),
        });
        st.prescriptions.push(prescription);
        let object =
            json!({ "id": id, "patient_id": a.patient_id, "provider_id": a.provider_id, "appointment_id": a.id });
        Some(webhook_event("prescription:pharmacy:accepted", "prescription", object))
    }

    /// A provider assigns an assessment (`PHQ-9`, `GAD-7` or `CAGE-AID`) to the patient; `false` for an unknown
    /// patient, provider or assessment.
    pub fn assign_assessment(&self, patient_id: u64, provider_id: u64, assessment_key: &str) -> bool {
        let mut st = lock(&self.state);
        if st.provider(provider_id).is_none() || !["PHQ-9", "GAD-7", "CAGE-AID"].contains(&assessment_key) {
            return false;
        }
        let Some(p) = st.patient_mut(patient_id) else {
            return false;
        };
        let mut row = Map::new();
        row.insert("patient_id".into(), json!(patient_id));
        row.insert("provider_id".into(), json!(provider_id));
        row.insert("assessment_key".into(), json!(assessment_key));
        p.assignments.push(Value::Object(row));
        true
    }
}
