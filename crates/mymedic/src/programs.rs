//! Health programs: `GET /api/v1/health-programs` (filters, offset pages) and
//! `GET /api/v1/health-programs/{programId}`, their models and the [`Programs`] handle.
//!
//! The guide documents no response, so [`HealthProgram`] keeps every field optional plus everything else in
//! `extra`, and a list may come as a bare array or as an object holding the array (`data`, `programs`,
//! `healthPrograms`, `items` or `results`). No page metadata is documented either: a stream stops on a short
//! or an empty page.

use std::collections::BTreeMap;

use carewire_core::operation::{Call, Encodings, Operation, Paginated, Pagination, Spec};
use carewire_core::pagination::{Page, PageRequest, Strategy};
use carewire_core::{Error, RawResponse, Request, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::Client;
use crate::client::FilterStyle;
use crate::decode::{Lenient, lenient, normalize_key, not_the_resource, object, resource_object};

carewire_core::open_enum! {
    /// A program's status (the list filter's documented values).
    ProgramStatus {
        /// `active`: running now.
        Active => "active",
        /// `upcoming`: not started yet.
        Upcoming => "upcoming",
    }
}

/// The page size a stream asks for when the operation sets no `limit` (the guide documents no default).
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// Members that make an object a program.
const PROGRAM_MEMBERS: &[&str] =
    &["id", "name", "title", "description", "status", "type", "practitioner", "schedule", "slots", "requirements"];

/// Where a list answer may keep its programs.
const LIST_MEMBERS: &[&str] = &["programs", "healthPrograms", "health_programs", "data", "items", "results"];

fn normalize_program(map: &mut Map<String, Value>) {
    normalize_key(map, "id", &["programId", "program_id", "_id"]);
}

/// A health program. Every field is optional (the guide documents no response); unknown members are kept
/// in `extra`, and so is a known member of an unexpected type.
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct HealthProgram {
    /// The program id (read from `id`, `programId`, `program_id` or `_id`; a number becomes text).
    #[serde(default, deserialize_with = "carewire_core::de::opt_string_or_number")]
    pub id: Option<String>,
    /// The program's name.
    #[serde(default)]
    pub name: Option<String>,
    /// A description.
    #[serde(default)]
    pub description: Option<String>,
    /// The status.
    #[serde(default)]
    pub status: Option<ProgramStatus>,
    /// The program type (`type`, free text in the guide).
    #[serde(default, rename = "type")]
    pub program_type: Option<String>,
    /// The practitioner: a string (an id or a name, the guide does not say) or an object of details.
    #[serde(default)]
    pub practitioner: Option<Value>,
    /// Schedule information, as sent.
    #[serde(default)]
    pub schedule: Option<Value>,
    /// Availability slots, as sent.
    #[serde(default)]
    pub slots: Option<Value>,
    /// Program requirements, as sent.
    #[serde(default)]
    pub requirements: Option<Value>,
    /// Every other member of the answer.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(HealthProgram {
    show: [id, name, status, program_type],
    redact: [description, practitioner, schedule, slots, requirements],
    keys: [extra],
});

impl Lenient for HealthProgram {
    fn extra_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.extra
    }
}

impl HealthProgram {
    /// Interprets one program object, never failing: fields of unexpected types stay in `extra`.
    ///
    /// ```
    /// use carewire::mymedic::{HealthProgram, ProgramStatus};
    ///
    /// let program = HealthProgram::from_object(
    ///     serde_json::from_str(r#"{"programId": 42, "status": "ACTIVE", "schedule": "weekly", "seats": 12}"#).unwrap(),
    /// );
    /// assert_eq!(program.id.as_deref(), Some("42"));
    /// assert_eq!(program.status, Some(ProgramStatus::Active));
    /// assert_eq!(program.extra["seats"], 12);
    /// ```
    pub fn from_object(mut map: Map<String, Value>) -> Self {
        normalize_program(&mut map);
        lenient(map)
    }
}

/// One page of programs, and what else the answer said (a total, the echoed offset, ...).
#[derive(Clone, Default, PartialEq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ProgramList {
    /// The programs of this page.
    #[serde(default)]
    pub programs: Vec<HealthProgram>,
    /// `hasMore` / `has_more`, when the answer has it (undocumented); a stream stops when it is `false`.
    #[serde(default)]
    pub has_more: Option<bool>,
    /// The answer's other members (an envelope's `total`, `limit`, `offset`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

carewire_core::redacted_debug!(ProgramList { show: [programs, has_more], keys: [extra] });

impl ProgramList {
    /// Interprets a list answer: a bare array, or an object holding the array under `programs`,
    /// `healthPrograms`, `health_programs`, `data`, `items` or `results` (also one level down, as in
    /// `{"data": {"items": [...]}}`). Anything else, or an item that is not an object, is `None`.
    ///
    /// ```
    /// use carewire::mymedic::ProgramList;
    /// use serde_json::json;
    ///
    /// let list = ProgramList::from_value(json!({"data": [{"id": "p1"}], "total": 9})).unwrap();
    /// assert_eq!((list.programs.len(), list.extra["total"].as_u64()), (1, Some(9)));
    /// assert!(ProgramList::from_value(json!([{"id": "p1"}, {"id": "p2"}])).is_some());
    /// assert!(ProgramList::from_value(json!({"ok": true})).is_none());
    /// assert!(ProgramList::from_value(json!([1, 2])).is_none());
    /// ```
    pub fn from_value(body: Value) -> Option<Self> {
        let (items, mut extra) = match body {
            Value::Array(items) => (items, Map::new()),
            Value::Object(mut map) => {
                let key = LIST_MEMBERS.iter().find(|k| map.get(**k).is_some_and(Value::is_array)).copied();
                let items = if let Some(k) = key {
                    map.remove(k)
                } else {
                    let (k, inner) = LIST_MEMBERS.iter().find_map(|k| match map.get(*k) {
                        Some(Value::Object(inner)) => Some((*k, inner)),
                        _ => None,
                    })?;
                    let items = LIST_MEMBERS.iter().find_map(|m| inner.get(*m).filter(|v| v.is_array()))?.clone();
                    map.remove(k);
                    Some(items)
                };
                let Some(Value::Array(items)) = items else { return None };
                (items, map)
            }
            _ => return None,
        };
        let programs = items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Some(HealthProgram::from_object(map)),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let has_more = ["hasMore", "has_more"].iter().find_map(|k| extra.get(*k).and_then(Value::as_bool));
        extra.remove("hasMore");
        extra.remove("has_more");
        Some(Self { programs, has_more, extra })
    }
}

/// `GET /api/v1/health-programs`: one page, or every page through `.stream()`, `.pages()` and
/// `.collect_max(n)` on the call.
///
/// The filters go in the query string as `filters[status]=active` by default, or as flat names or the
/// guide's JSON body on the GET ([`FilterStyle`]); [`Programs::list`] uses the client's style unless the
/// operation sets one. A stream starts at the operation's `offset` (default 0) and asks for `limit` items per
/// page (default [`DEFAULT_PAGE_SIZE`]); it stops on a page shorter than that (unless the answer says
/// `hasMore: true`), on an empty page, or when the answer says `hasMore: false`. No maximum page size is
/// documented: if MyMedic serves fewer items than `limit` asks for, a stream stops after the first page, so
/// ask for a `limit` the server honours.
///
/// # Examples
///
/// ```
/// use carewire::mymedic::{FilterStyle, ListHealthPrograms, ProgramStatus};
///
/// let list = ListHealthPrograms::new()
///     .status(ProgramStatus::Active)
///     .program_type("yoga")
///     .practitioner("dr-asha")
///     .limit(20)
///     .offset(40)
///     .filter_style(FilterStyle::Flat);
/// assert!(list.validate().is_ok());
/// assert!(ListHealthPrograms::new().limit(0).validate().is_err());
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ListHealthPrograms {
    limit: Option<u32>,
    offset: Option<u64>,
    status: Option<ProgramStatus>,
    program_type: Option<String>,
    practitioner: Option<String>,
    extra: BTreeMap<String, String>,
    style: Option<FilterStyle>,
}

carewire_core::redacted_debug!(ListHealthPrograms {
    show: [limit, offset, status, program_type, style],
    redact: [practitioner],
    keys: [extra],
});

impl ListHealthPrograms {
    /// Every program, with no filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many programs a page holds (sent as `limit`; at least 1).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many programs to skip (sent as `offset`).
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Only programs with this status (`filters.status`).
    pub fn status(mut self, status: ProgramStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Only programs of this type (`filters.type`).
    pub fn program_type(mut self, program_type: impl Into<String>) -> Self {
        self.program_type = Some(program_type.into());
        self
    }

    /// Only programs of this practitioner (`filters.practitioner`; an id or a name, the guide does not say).
    pub fn practitioner(mut self, practitioner: impl Into<String>) -> Self {
        self.practitioner = Some(practitioner.into());
        self
    }

    /// A filter the guide does not list, sent like the others (`filters[name]=value`).
    pub fn filter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// How this list's filters are sent, whatever the client's [`FilterStyle`].
    pub fn filter_style(mut self, style: FilterStyle) -> Self {
        self.style = Some(style);
        self
    }

    /// The client's style, unless this list has its own.
    pub(crate) fn default_style(mut self, style: FilterStyle) -> Self {
        self.style.get_or_insert(style);
        self
    }

    /// Checks what can be checked before sending: `limit` at least 1; no empty filter value or name; in the
    /// flat style, no extra filter named `limit` or `offset`.
    pub fn validate(&self) -> Result<()> {
        if self.limit == Some(0) {
            return Err(Error::invalid_request("limit", "must be at least 1"));
        }
        if self.program_type.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::invalid_request("filters.type", "must not be empty"));
        }
        if self.practitioner.as_deref().is_some_and(|p| p.trim().is_empty()) {
            return Err(Error::invalid_request("filters.practitioner", "must not be empty"));
        }
        if self.status.as_ref().is_some_and(|s| s.as_str().trim().is_empty()) {
            return Err(Error::invalid_request("filters.status", "must not be empty"));
        }
        for (name, value) in &self.extra {
            if name.trim().is_empty() {
                return Err(Error::invalid_request("filters", "a filter name must not be empty"));
            }
            if value.trim().is_empty() {
                return Err(Error::invalid_request(format!("filters.{name}"), "must not be empty"));
            }
            let flat = self.style == Some(FilterStyle::Flat);
            if flat && matches!(name.as_str(), "limit" | "offset") {
                return Err(Error::invalid_request(format!("filters.{name}"), "clashes with paging in the flat style"));
            }
        }
        Ok(())
    }

    fn filters(&self) -> Vec<(&str, &str)> {
        let mut out = Vec::new();
        if let Some(s) = &self.status {
            out.push(("status", s.as_str()));
        }
        if let Some(t) = &self.program_type {
            out.push(("type", t.as_str()));
        }
        if let Some(p) = &self.practitioner {
            out.push(("practitioner", p.as_str()));
        }
        out.extend(self.extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        out
    }

    fn build(&self, limit: Option<u32>, offset: Option<u64>) -> Result<Request> {
        self.validate()?;
        let req = Self::SPEC.request();
        let style = self.style.unwrap_or_default();
        if style == FilterStyle::JsonBody {
            let mut body = Map::new();
            if let Some(l) = limit {
                body.insert("limit".to_owned(), json!(l));
            }
            if let Some(o) = offset {
                body.insert("offset".to_owned(), json!(o));
            }
            let filters: Map<String, Value> =
                self.filters().into_iter().map(|(k, v)| (k.to_owned(), json!(v))).collect();
            if !filters.is_empty() {
                body.insert("filters".to_owned(), Value::Object(filters));
            }
            return Ok(req.json(&body));
        }
        let mut req = req.query_opt("limit", limit).query_opt("offset", offset);
        for (name, value) in self.filters() {
            let key = if style == FilterStyle::Flat { name.to_owned() } else { format!("filters[{name}]") };
            req = req.query(key, value);
        }
        Ok(req)
    }
}

impl Operation for ListHealthPrograms {
    type Output = ProgramList;
    const SPEC: Spec = Spec::get("/api/v1/health-programs").name("programs.list").paginated(Pagination::OffsetLimit);

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        self.build(self.limit, self.offset)
    }

    fn decode(&self, raw: RawResponse) -> Result<ProgramList> {
        let body: Value = raw.json()?;
        ProgramList::from_value(body).ok_or_else(|| not_the_resource(&raw, "programs"))
    }
}

impl Paginated for ListHealthPrograms {
    type Item = HealthProgram;

    fn strategy(&self) -> Strategy {
        Strategy::OffsetLimit { limit: self.limit.unwrap_or(DEFAULT_PAGE_SIZE) }
    }

    fn page_request(&self, page: &PageRequest, _enc: &Encodings) -> Result<Request> {
        match page {
            PageRequest::Offset { offset, limit } => {
                let start = self.offset.unwrap_or(0).saturating_add(*offset);
                self.build(Some(*limit), Some(start))
            }
            _ => Err(Error::invalid_request("offset", "health programs page by offset")),
        }
    }

    fn into_page(output: ProgramList) -> Page<HealthProgram> {
        Page::new(output.programs).has_more(output.has_more)
    }
}

/// `GET /api/v1/health-programs/{programId}`.
///
/// ```
/// use carewire::mymedic::GetHealthProgram;
///
/// assert_eq!(GetHealthProgram::new("prg_001").program_id(), "prg_001");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GetHealthProgram {
    program_id: String,
}

impl GetHealthProgram {
    /// The program `program_id`.
    pub fn new(program_id: impl Into<String>) -> Self {
        Self { program_id: program_id.into() }
    }

    /// The program id.
    pub fn program_id(&self) -> &str {
        &self.program_id
    }
}

impl Operation for GetHealthProgram {
    type Output = HealthProgram;
    const SPEC: Spec = Spec::get("/api/v1/health-programs/{program_id}").name("programs.get");

    fn request(&self, _enc: &Encodings) -> Result<Request> {
        if self.program_id.trim().is_empty() {
            return Err(Error::invalid_request("program_id", "must not be empty"));
        }
        Ok(Self::SPEC.request().path_param("program_id", &self.program_id))
    }

    /// A JSON object holding a program member (`id`, `name`, `status`, ...), itself or under `data`,
    /// `program` or `healthProgram`; anything else is [`Error::Decode`].
    fn decode(&self, raw: RawResponse) -> Result<HealthProgram> {
        let body = object(&raw)?;
        let map = resource_object(body, &["data", "program", "healthProgram"], PROGRAM_MEMBERS, normalize_program)
            .ok_or_else(|| not_the_resource(&raw, "id"))?;
        Ok(lenient(map))
    }
}

/// Health-program operations; from [`Client::programs`].
#[derive(Clone, Debug)]
pub struct Programs {
    client: Client,
}

impl Programs {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Lists programs: `GET /api/v1/health-programs`, the filters sent in the client's [`FilterStyle`]
    /// unless `params` sets one. `.await` the call for one page, or stream every page.
    ///
    /// ```no_run
    /// use carewire::mymedic::{Client, ListHealthPrograms, ProgramStatus};
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: Client) -> carewire::Result<()> {
    /// let first = client.programs().list(ListHealthPrograms::new().status(ProgramStatus::Active).limit(20)).await?;
    /// println!("{} programs on the first page", first.programs.len());
    ///
    /// let mut all = client.programs().list(ListHealthPrograms::new().program_type("yoga")).stream();
    /// while let Some(program) = all.try_next().await? {
    ///     println!("{:?} {:?}", program.id, program.name);
    /// }
    /// let some = client.programs().list(ListHealthPrograms::new()).collect_max(100).await?;
    /// # let _ = some; Ok(()) }
    /// ```
    pub fn list(&self, params: ListHealthPrograms) -> Call<ListHealthPrograms> {
        self.client.send(params.default_style(self.client.filter_style()))
    }

    /// One program: `GET /api/v1/health-programs/{programId}`.
    ///
    /// ```no_run
    /// # async fn run(client: carewire::mymedic::Client) -> carewire::Result<()> {
    /// let program = client.programs().get("prg_001").await?;
    /// println!("{:?} is {:?}", program.name, program.status);
    /// # Ok(()) }
    /// ```
    pub fn get(&self, program_id: impl Into<String>) -> Call<GetHealthProgram> {
        self.client.send(GetHealthProgram::new(program_id))
    }
}
