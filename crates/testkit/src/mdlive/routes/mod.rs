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
use carewire_core::operation::{Scope, Spec};

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
                // A path that names a patient takes that patient's token only; one that does not (the
                // connection parameters of an appointment) takes the caller's.
                let named = params.get("patient_id");
                if named.is_some() && named.and_then(|p| p.parse::<u64>().ok()) != Some(id) {
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

/// Every other route, by the client's operation name: its method, path and token rule come from the
/// client's own operation table (`carewire_mdlive::OPERATIONS`, the scope of each operation), so the sandbox
/// serves exactly what the client sends. In the order of the notes' master table.
const TABLE: &[(&str, Op)] = &[
    ("providers.search", scheduling::search_providers),
    ("providers.profile", scheduling::provider_profile),
    ("appointments.create", scheduling::create_appointment),
    ("assessments.list", assessments::list),
    ("assessments.get", assessments::show),
    ("assessments.assignments", assessments::assignments),
    ("assessments.create_response", assessments::respond),
    ("after_care_instructions.get", scheduling::after_care),
    ("allergies.create", records::create_allergy),
    ("allergies.delete", records::delete_allergy),
    ("allergies.delete_by_fdb_id", records::delete_allergy_fdb),
    ("allergies.list", records::list_allergies),
    ("allergies.search", catalogue::search_allergies),
    ("alternate_visit_options.list", catalogue::alternate_visit_options),
    ("appointments.cancel", scheduling::cancel_appointment),
    ("appointments.upcoming", scheduling::upcoming),
    ("appointments.entered_waiting_room", scheduling::waiting_room),
    ("appointments.connection_params", scheduling::connection_params),
    ("appointment_requests.create", scheduling::create_request),
    ("appointment_requests.cancel", scheduling::cancel_request),
    ("appointment_requests.remind", scheduling::remind_request),
    ("behavioral_histories.create", health::save_behavioral),
    ("behavioral_histories.get", health::get_behavioral),
    ("chief_complaints.search", catalogue::chief_complaints),
    ("consultation_summary.get", scheduling::consultation_summary),
    ("documents.create", records::create_document),
    ("documents.delete", records::delete_document),
    ("documents.list", records::list_documents),
    ("documents.get", records::get_document),
    ("health_conditions.get", health::health_conditions),
    ("health_history.create", health::health_history),
    ("insurance_payers.list", catalogue::insurance_payers),
    ("insurances.create", health::save_insurance),
    ("clinical_concepts.search", catalogue::clinical_concepts),
    ("medical_conditions.create", records::create_condition),
    ("medical_conditions.delete", records::delete_condition),
    ("medical_conditions.list", records::list_conditions),
    ("medications.create", records::create_medication),
    ("medications.delete", records::delete_medication),
    ("medications.delete_by_ndc", records::delete_medication_ndc),
    ("medications.list", records::list_medications),
    ("medications.search", catalogue::search_medications),
    ("messages.system", messages::system),
    ("messages.contacts", messages::contacts),
    ("messages.conversations", messages::conversations),
    ("messages.conversation", messages::conversation),
    ("messages.create", messages::create),
    ("messages.mark_read", messages::mark_read),
    ("patients.get", account::get_patient),
    ("patients.update", account::update_patient),
    ("payments.cost_check", payments::cost_check),
    ("credit_card.get", payments::get_card),
    ("credit_card.create_or_update", payments::save_card),
    ("credit_card.delete", payments::delete_card),
    ("pharmacies.search", account::search_pharmacies),
    ("prescriptions.get", scheduling::prescription),
    ("pcp.get", pcp::get_pcp),
    ("pcp.create", pcp::create_pcp),
    ("pcp.update", pcp::update_pcp),
    ("pcp.delete", pcp::delete_pcp),
    ("pcp_questions.get", pcp::get_pcp_questions),
    ("pcp_questions.update", pcp::update_pcp_questions),
    ("surgeries.create", records::create_surgery),
    ("surgeries.delete", records::delete_surgery),
    ("surgeries.list", records::list_surgeries),
    ("surgeries.names", catalogue::surgery_names),
    ("webhooks.register", account::register_webhook),
];

/// The second method of the two operations whose examples disagree with their "HTTP Request" line: served too,
/// for clients other than carewire's.
const SECOND_METHODS: &[(&str, &str, Op)] = &[
    (
        "PUT",
        "/api/v1/patients/{patient_id}/appointments/{appointment_id}/entered_waiting_room",
        scheduling::waiting_room,
    ),
    ("POST", "/api/v1/patients/{patient_id}/evr_primary_care_physician/{id}", pcp::update_pcp),
];

/// The token rule of an operation's scope.
fn rule_of(spec: &Spec) -> TokenRule {
    match spec.scope {
        Scope::None => TokenRule::None,
        Scope::Client => TokenRule::Api,
        Scope::SubjectOrClient => TokenRule::Either,
        _ => TokenRule::User,
    }
}

fn table() -> Vec<(&'static str, String, TokenRule, Op)> {
    let mut rows: Vec<(&'static str, String, TokenRule, Op)> = TABLE
        .iter()
        .filter_map(|(name, op)| {
            let spec = carewire_mdlive::OPERATIONS.iter().find(|s| s.name == *name)?;
            Some((spec.method.as_str(), spec.path.to_owned(), rule_of(spec), *op))
        })
        .collect();
    rows.extend(SECOND_METHODS.iter().map(|(method, path, op)| (*method, (*path).to_owned(), TokenRule::User, *op)));
    rows
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_of_the_client_is_routed() {
        let routes = super::routes();
        let unrouted: Vec<&str> = carewire_mdlive::OPERATIONS
            .iter()
            .filter(|spec| !routes.iter().any(|r| r.method == spec.method.as_str() && r.path == spec.path))
            .map(|spec| spec.name)
            .collect();
        assert_eq!(unrouted, Vec::<&str>::new());
        assert_eq!(routes.len(), carewire_mdlive::OPERATIONS.len() + 2, "plus the two second methods");
    }
}
