//! The route table (all 70 operations, plus the second method of the two whose examples disagree with their
//! "HTTP Request" line), the token rule of each route, and the request and reply helpers the handlers share.

pub(super) mod account;
mod assessments;
mod catalogue;
pub(super) mod health;
mod messages;
pub(super) mod payments;
pub(super) mod pcp;
mod records;
pub(super) mod scheduling;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::auth;
use super::state::{Holder, Patient, Shared, State, lock};
use crate::{Params, RecordedRequest, Reply, Router};

/// Which token a route of the sandbox takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenRule {
    /// No token: credentials travel in the body (`/auth/auth_token`, `/api/v1/sso_auth/auth_token`).
    None,
    /// Only the API token (webhook registration).
    Api,
    /// Only the user token of the patient in the path (every `{patient_id}` route, and `auth_extend`, which
    /// takes a still-valid user token).
    User,
    /// Either an API token or any patient's user token.
    Either,
}

/// One route of the sandbox: its method, path template and token rule.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RouteInfo {
    /// The method, uppercase.
    pub method: &'static str,
    /// The path template, with `{name}` segments as in the notes' table.
    pub path: String,
    /// Which token the route takes.
    pub token: TokenRule,
}

/// What a handler gets: the request, its path values and who is calling.
pub(super) struct Ctx<'a> {
    pub(super) req: &'a RecordedRequest,
    pub(super) params: &'a Params,
    pub(super) caller: Holder,
    /// The `{patient_id}` of the path (only on [`TokenRule::User`] routes, where it is the caller's).
    pub(super) patient_id: u64,
}

impl Ctx<'_> {
    /// The decoded query pairs.
    pub(super) fn query(&self) -> Vec<(String, String)> {
        self.req.query_pairs()
    }

    /// The first query value of `name` (non-empty).
    pub(super) fn q(&self, name: &str) -> Option<String> {
        self.query().into_iter().find(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v)
    }

    /// A numeric path value, or 404.
    pub(super) fn id(&self, name: &str) -> Result<u64, Reply> {
        self.params.get(name).and_then(|v| v.parse().ok()).ok_or_else(|| error(404, "resource not found"))
    }

    /// A path value as given.
    pub(super) fn param(&self, name: &str) -> String {
        self.params.get(name).unwrap_or_default().to_owned()
    }
}

pub(super) type Outcome = Result<Reply, Reply>;
type Op = fn(&mut State, &Ctx<'_>) -> Outcome;

/// The sandbox's error body: `{"error": "<message>"}` (MDLIVE documents none).
pub(super) fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

/// `404 {"error": "<what> not found"}`.
pub(super) fn not_found(what: &str) -> Reply {
    error(404, &format!("{what} not found"))
}

/// `400 {"error": "<path> <why>"}`.
pub(super) fn invalid(path: &str, why: &str) -> Reply {
    error(400, &format!("{path} {why}"))
}

/// The body as a JSON object, or 400.
pub(super) fn body(req: &RecordedRequest) -> Result<Map<String, Value>, Reply> {
    match req.json_value() {
        Some(Value::Object(m)) => Ok(m),
        _ => Err(error(400, "the body must be a JSON object")),
    }
}

/// The object under `key`, or 400 naming `path`.
pub(super) fn obj<'a>(map: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Map<String, Value>, Reply> {
    map.get(key).and_then(Value::as_object).ok_or_else(|| invalid(path, "is required"))
}

/// A non-empty string (or a number, as text).
pub(super) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A required text field, or 400 naming `path`.
pub(super) fn field(map: &Map<String, Value>, key: &str, path: &str) -> Result<String, Reply> {
    text(map.get(key)).ok_or_else(|| invalid(path, "is required"))
}

/// An integer given as a number or a numeric string.
pub(super) fn int_like(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean given as `true`/`false` or their strings.
pub(super) fn bool_like(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A required boolean, or 400 naming `path`.
pub(super) fn bool_field(map: &Map<String, Value>, key: &str, path: &str) -> Result<bool, Reply> {
    bool_like(map.get(key)).ok_or_else(|| invalid(path, "must be true or false"))
}

/// `200` with a JSON body (the success arm of every handler).
#[expect(clippy::unnecessary_wraps, reason = "handlers return an Outcome; this is its success arm")]
pub(super) fn ok(body: &Value) -> Outcome {
    Ok(Reply::json(200, body))
}

/// The calling patient (on [`TokenRule::User`] routes it always exists).
pub(super) fn patient_mut<'a>(st: &'a mut State, ctx: &Ctx<'_>) -> Result<&'a mut Patient, Reply> {
    st.patient_mut(ctx.patient_id).ok_or_else(|| not_found("patient"))
}

/// A positive integer from a string, or 400 naming `name`.
pub(super) fn positive(value: Option<String>, name: &str, default: usize) -> Result<usize, Reply> {
    match value {
        None => Ok(default),
        Some(v) => {
            v.trim().parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| invalid(name, "must be a positive integer"))
        }
    }
}

/// One page (1-based) of `items`.
pub(super) fn page_of<T: Clone>(items: &[T], page: usize, per: usize) -> Vec<T> {
    items.iter().skip(page.saturating_sub(1).saturating_mul(per)).take(per).cloned().collect()
}

/// A search `limit` (number or numeric string; default 10; at most `max`).
pub(super) fn limit(v: Option<&Value>, max: i64) -> Result<usize, Reply> {
    match v {
        None | Some(Value::Null) => Ok(10),
        Some(v) => match int_like(Some(v)) {
            Some(n) if (1..=max).contains(&n) => Ok(usize::try_from(n).unwrap_or(10)),
            _ => Err(invalid("search.limit", &format!("must be an integer from 1 to {max}"))),
        },
    }
}

fn add(router: Router, state: &Shared, method: &str, path: &str, rule: TokenRule, op: Op) -> Router {
    let st = Arc::clone(state);
    router.route(method, path, move |req: &RecordedRequest, params: &Params| {
        let mut st = lock(&st);
        let Some(caller) = auth::caller(&st, req) else {
            return error(401, "missing, unknown or expired token");
        };
        let patient_id = match (rule, caller) {
            (TokenRule::Api, Holder::User(_)) => return error(401, "this endpoint requires an API token"),
            (TokenRule::User, Holder::Api) => return error(401, "this endpoint requires the patient's user token"),
            (TokenRule::User, Holder::User(id)) => {
                if params.get("patient_id").and_then(|p| p.parse::<u64>().ok()) != Some(id) {
                    return error(401, "the token does not belong to this patient");
                }
                id
            }
            _ => 0,
        };
        let ctx = Ctx { req, params, caller, patient_id };
        op(&mut st, &ctx).unwrap_or_else(|e| e)
    })
}

type TokenOp = fn(&mut State, &RecordedRequest) -> Reply;

/// The token routes (all `POST`); they check credentials themselves.
const TOKEN_ROUTES: [(&str, TokenRule, TokenOp); 3] = [
    ("/auth/auth_token", TokenRule::None, auth::api_token),
    ("/api/v1/sso_auth/auth_token", TokenRule::None, auth::sso_token),
    ("/api/v1/sso_auth/auth_extend", TokenRule::User, auth::extend),
];

/// The sandbox's router.
pub(super) fn router(state: &Shared) -> Router {
    let mut r = Router::new();
    for (path, _, op) in TOKEN_ROUTES {
        let st = Arc::clone(state);
        r = r.route("POST", path, move |req: &RecordedRequest, _: &Params| op(&mut lock(&st), req));
    }
    for (method, path, rule, op) in table() {
        r = add(r, state, method, &path, rule, op);
    }
    r
}

/// Every other route: `(method, path, token rule, handler)`, in the order of the notes' master table, with the
/// second method of entered_waiting_room (`PUT`) and PCP update (`POST`) after the first.
fn table() -> Vec<(&'static str, String, TokenRule, Op)> {
    use TokenRule::{Api, Either, User};
    let p1 = "/api/v1/patients/{patient_id}";
    let p2 = "/api/v2/patients/{patient_id}";
    vec![
        ("POST", format!("{p2}/providers/search"), User, scheduling::search_providers),
        ("GET", "/api/v2/providers/{provider_id}/profile".into(), Either, scheduling::provider_profile),
        ("POST", format!("{p2}/appointments"), User, scheduling::create_appointment),
        ("GET", "/api/v1/assessments".into(), Either, assessments::list),
        ("GET", "/api/v1/assessments/{assessment_key}".into(), Either, assessments::show),
        ("GET", format!("{p1}/assessment_assignments"), User, assessments::assignments),
        ("POST", format!("{p1}/assessment_responses"), User, assessments::respond),
        (
            "GET",
            format!("{p2}/cust_appointments/{{cust_appt_id}}/after_care_instructions"),
            User,
            scheduling::after_care,
        ),
        ("POST", format!("{p2}/allergies"), User, records::create_allergy),
        ("DELETE", format!("{p1}/allergies/{{allergy_id}}"), User, records::delete_allergy),
        ("DELETE", format!("{p1}/allergies/fdb_allergy/{{fdb_allergy_id}}"), User, records::delete_allergy_fdb),
        ("GET", format!("{p1}/allergies"), User, records::list_allergies),
        ("POST", "/api/v1/allergies/search".into(), Either, catalogue::search_allergies),
        ("GET", "/api/v2/support/alternate_visit_options".into(), Either, catalogue::alternate_visit_options),
        ("PUT", format!("{p1}/appointments/{{appointment_id}}/cancel"), User, scheduling::cancel_appointment),
        ("GET", format!("{p2}/appointments/upcoming"), User, scheduling::upcoming),
        ("POST", format!("{p1}/appointments/{{appointment_id}}/entered_waiting_room"), User, scheduling::waiting_room),
        ("PUT", format!("{p1}/appointments/{{appointment_id}}/entered_waiting_room"), User, scheduling::waiting_room),
        (
            "GET",
            "/api/v1/appointments/{appointment_id}/connection_params".into(),
            Either,
            scheduling::connection_params,
        ),
        ("POST", format!("{p2}/appointment_requests"), User, scheduling::create_request),
        (
            "POST",
            format!("{p2}/appointment_requests/{{appointment_request_id}}/cancel"),
            User,
            scheduling::cancel_request,
        ),
        (
            "POST",
            format!("{p2}/appointment_requests/{{appointment_request_id}}/remind"),
            User,
            scheduling::remind_request,
        ),
        ("POST", format!("{p1}/behavioral_histories"), User, health::save_behavioral),
        ("GET", format!("{p1}/behavioral_histories"), User, health::get_behavioral),
        ("GET", "/api/v1/patients/chief_complaints".into(), Either, catalogue::chief_complaints),
        ("GET", format!("{p1}/appointments/consultation_summary"), User, scheduling::consultation_summary),
        ("POST", format!("{p2}/documents"), User, records::create_document),
        ("DELETE", format!("{p1}/documents/{{document_id}}"), User, records::delete_document),
        ("GET", format!("{p1}/documents"), User, records::list_documents),
        ("GET", format!("{p1}/documents/{{document_id}}"), User, records::get_document),
        ("GET", format!("{p2}/health_conditions"), User, health::health_conditions),
        ("POST", format!("{p2}/health_history"), User, health::health_history),
        ("GET", "/api/v1/insurance_payers".into(), Either, catalogue::insurance_payers),
        ("POST", format!("{p1}/insurances"), User, health::save_insurance),
        ("GET", "/api/v1/clinical_concepts".into(), Either, catalogue::clinical_concepts),
        ("POST", format!("{p1}/medical_conditions"), User, records::create_condition),
        ("DELETE", format!("{p1}/medical_conditions/{{medical_condition_id}}"), User, records::delete_condition),
        ("GET", format!("{p1}/medical_conditions"), User, records::list_conditions),
        ("POST", format!("{p2}/medications"), User, records::create_medication),
        ("DELETE", format!("{p1}/medications/{{medication_id}}"), User, records::delete_medication),
        ("DELETE", format!("{p1}/medications/ndc/{{ndc_id}}"), User, records::delete_medication_ndc),
        ("GET", format!("{p1}/medications"), User, records::list_medications),
        ("POST", "/api/v2/medications/search".into(), Either, catalogue::search_medications),
        ("GET", format!("{p1}/messages/system"), User, messages::system),
        ("GET", format!("{p1}/messages/contacts"), User, messages::contacts),
        ("GET", format!("{p2}/messages/conversations"), User, messages::conversations),
        ("GET", format!("{p1}/providers/{{provider_id}}/conversation"), User, messages::conversation),
        ("POST", format!("{p1}/messages"), User, messages::create),
        ("PUT", format!("{p1}/messages/{{message_id}}/mark_read"), User, messages::mark_read),
        ("GET", p2.to_owned(), User, account::get_patient),
        ("PATCH", p2.to_owned(), User, account::update_patient),
        ("GET", "/api/v2/payments/costs/check".into(), Either, payments::cost_check),
        ("GET", format!("{p1}/credit_card"), User, payments::get_card),
        ("POST", format!("{p2}/credit_card"), User, payments::save_card),
        ("DELETE", format!("{p1}/credit_card"), User, payments::delete_card),
        ("POST", format!("{p1}/pharmacies/search"), User, account::search_pharmacies),
        ("GET", format!("{p1}/prescriptions/{{prescription_id}}"), User, scheduling::prescription),
        ("GET", format!("{p1}/evr_primary_care_physician"), User, pcp::get_pcp),
        ("POST", format!("{p1}/evr_primary_care_physician"), User, pcp::create_pcp),
        ("PUT", format!("{p1}/evr_primary_care_physician/{{id}}"), User, pcp::update_pcp),
        ("POST", format!("{p1}/evr_primary_care_physician/{{id}}"), User, pcp::update_pcp),
        ("DELETE", format!("{p2}/evr_primary_care_physicians/{{id}}"), User, pcp::delete_pcp),
        ("GET", format!("{p2}/evr_primary_care_physician_questions"), User, pcp::get_pcp_questions),
        ("PUT", format!("{p2}/evr_primary_care_physician_questions"), User, pcp::update_pcp_questions),
        ("POST", format!("{p2}/surgeries"), User, records::create_surgery),
        ("DELETE", format!("{p1}/surgeries/{{surgery_id}}"), User, records::delete_surgery),
        ("GET", format!("{p2}/surgeries"), User, records::list_surgeries),
        ("GET", "/api/v2/surgery_names".into(), Either, catalogue::surgery_names),
        ("POST", "/api/v1/webhook".into(), Api, account::register_webhook),
    ]
}

/// Every route: the three token routes, then the table.
pub(super) fn routes() -> Vec<RouteInfo> {
    let mut out: Vec<RouteInfo> = TOKEN_ROUTES
        .iter()
        .map(|(path, token, _)| RouteInfo { method: "POST", path: (*path).to_owned(), token: *token })
        .collect();
    out.extend(table().into_iter().map(|(method, path, token, _)| RouteInfo { method, path, token }));
    out
}
