//! What the MDLIVE sandbox tests share: the endpoints table and a small raw-HTTP client.
#![allow(dead_code, unreachable_pub)]

use carewire_testkit::mdlive::{API_KEY, API_PASSWORD, Sandbox};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ENDPOINTS: &str = "\
POST /auth/auth_token
POST /api/v1/sso_auth/auth_token
POST /api/v1/sso_auth/auth_extend
POST /api/v2/patients/{patient_id}/providers/search
GET /api/v2/providers/{provider_id}/profile
POST /api/v2/patients/{patient_id}/appointments
GET /api/v1/assessments
GET /api/v1/assessments/{assessment_key}
GET /api/v1/patients/{patient_id}/assessment_assignments
POST /api/v1/patients/{patient_id}/assessment_responses
GET /api/v2/patients/{patient_id}/cust_appointments/{cust_appt_id}/after_care_instructions
POST /api/v2/patients/{patient_id}/allergies
DELETE /api/v1/patients/{patient_id}/allergies/{allergy_id}
DELETE /api/v1/patients/{patient_id}/allergies/fdb_allergy/{fdb_allergy_id}
GET /api/v1/patients/{patient_id}/allergies
POST /api/v1/allergies/search
GET /api/v2/support/alternate_visit_options
PUT /api/v1/patients/{patient_id}/appointments/{appointment_id}/cancel
GET /api/v2/patients/{patient_id}/appointments/upcoming
POST /api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room
GET /api/v1/appointments/{appointment_id}/connection_params
POST /api/v2/patients/{patient_id}/appointment_requests
POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/cancel
POST /api/v2/patients/{patient_id}/appointment_requests/{appointment_request_id}/remind
POST /api/v1/patients/{patient_id}/behavioral_histories
GET /api/v1/patients/{patient_id}/behavioral_histories
GET /api/v1/patients/chief_complaints
GET /api/v1/patients/{patient_id}/appointments/consultation_summary
POST /api/v2/patients/{patient_id}/documents
DELETE /api/v1/patients/{patient_id}/documents/{document_id}
GET /api/v1/patients/{patient_id}/documents
GET /api/v1/patients/{patient_id}/documents/{document_id}
GET /api/v2/patients/{patient_id}/health_conditions
POST /api/v2/patients/{patient_id}/health_history
GET /api/v1/insurance_payers
POST /api/v1/patients/{patient_id}/insurances
GET /api/v1/clinical_concepts
POST /api/v1/patients/{patient_id}/medical_conditions
DELETE /api/v1/patients/{patient_id}/medical_conditions/{medical_condition_id}
GET /api/v1/patients/{patient_id}/medical_conditions
POST /api/v2/patients/{patient_id}/medications
DELETE /api/v1/patients/{patient_id}/medications/{medication_id}
DELETE /api/v1/patients/{patient_id}/medications/ndc/{ndc_id}
GET /api/v1/patients/{patient_id}/medications
POST /api/v2/medications/search
GET /api/v1/patients/{patient_id}/messages/system
GET /api/v1/patients/{patient_id}/messages/contacts
GET /api/v2/patients/{patient_id}/messages/conversations
GET /api/v1/patients/{patient_id}/providers/{provider_id}/conversation
POST /api/v1/patients/{patient_id}/messages
PUT /api/v1/patients/{patient_id}/messages/{message_id}/mark_read
GET /api/v2/patients/{patient_id}
PATCH /api/v2/patients/{patient_id}
GET /api/v2/payments/costs/check
GET /api/v1/patients/{patient_id}/credit_card
POST /api/v2/patients/{patient_id}/credit_card
DELETE /api/v1/patients/{patient_id}/credit_card
POST /api/v1/patients/{patient_id}/pharmacies/search
GET /api/v1/patients/{patient_id}/prescriptions/{prescription_id}
GET /api/v1/patients/{patient_id}/evr_primary_care_physician
POST /api/v1/patients/{patient_id}/evr_primary_care_physician
PUT /api/v1/patients/{patient_id}/evr_primary_care_physician/{id}
DELETE /api/v2/patients/{patient_id}/evr_primary_care_physicians/{id}
GET /api/v2/patients/{patient_id}/evr_primary_care_physician_questions
PUT /api/v2/patients/{patient_id}/evr_primary_care_physician_questions
POST /api/v2/patients/{patient_id}/surgeries
DELETE /api/v1/patients/{patient_id}/surgeries/{surgery_id}
GET /api/v2/patients/{patient_id}/surgeries
GET /api/v2/surgery_names
POST /api/v1/webhook
";

pub struct Api {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

impl Api {
    pub fn new(sandbox: Sandbox) -> Self {
        Self { sandbox, http: reqwest::Client::builder().no_proxy().build().unwrap() }
    }

    pub async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.sandbox.base_url());
        let mut req = self.http.request(method.parse().unwrap(), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(b.to_string());
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        let value = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
        (status, value)
    }

    pub async fn api_token(&self) -> String {
        let body = json!({ "auth": { "api_key": API_KEY, "password": API_PASSWORD } });
        let (status, res) = self.call("POST", "/auth/auth_token", None, Some(body)).await;
        assert_eq!(status, 200, "{res}");
        res["jwt"].as_str().unwrap().to_owned()
    }

    /// Signs in through SSO; returns (patient id, token, whole answer).
    pub async fn sign_in(&self, sub: &str, first: &str, last: &str) -> (u64, String, Value) {
        let body = self.sandbox.sign_in_body(sub, first, last, "1960-12-31");
        let (status, res) = self.call("POST", "/api/v1/sso_auth/auth_token", None, Some(body)).await;
        assert_eq!(status, 200, "{res}");
        (res["user"]["id"].as_u64().unwrap(), res["jwt"].as_str().unwrap().to_owned(), res)
    }
}

pub fn rows() -> BTreeSet<(String, String)> {
    ENDPOINTS.lines().map(|l| l.split_once(' ').unwrap()).map(|(m, p)| (m.to_owned(), p.to_owned())).collect()
}
