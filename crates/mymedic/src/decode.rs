//! Reading MyMedic's undocumented answers: the guide shows no response at all, so models are decoded field
//! by field (a field of an unexpected type is kept in `extra` rather than failing the call), ids are read
//! under their usual spellings, envelopes (`{"data": ...}`) are unwrapped, and an answer that holds nothing
//! recognisable is an [`Error::Decode`], never an empty success.

use carewire_core::{Error, RawResponse};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A model with a flattened `extra` map that [`lenient`] can fill.
pub(crate) trait Lenient: DeserializeOwned + Default {
    /// The model's map of fields it does not know.
    fn extra_mut(&mut self) -> &mut Map<String, Value>;
}

/// Decodes `map` into `T` field by field: every field that decodes on its own is typed, every other one
/// lands in `extra` under its own name. Never fails.
pub(crate) fn lenient<T: Lenient>(map: Map<String, Value>) -> T {
    let (mut fits, mut misfits) = (Map::new(), Map::new());
    for (key, value) in map {
        let single = Value::Object(Map::from_iter([(key.clone(), value.clone())]));
        if serde_json::from_value::<T>(single).is_ok() {
            fits.insert(key, value);
        } else {
            misfits.insert(key, value);
        }
    }
    let mut out = if let Ok(out) = serde_json::from_value::<T>(Value::Object(fits.clone())) {
        out
    } else {
        misfits.extend(fits);
        T::default()
    };
    out.extra_mut().extend(misfits);
    out
}

/// Text of a string (not blank) or a number.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Removes and returns the text of the first of `keys` that holds one.
pub(crate) fn take_text(map: &mut Map<String, Value>, keys: &[&str]) -> Option<String> {
    let key = keys.iter().find(|k| map.get(**k).and_then(text).is_some())?;
    map.remove(*key).as_ref().and_then(text)
}

/// Moves the first of `aliases` present into `canonical` when `canonical` itself is absent or `null`
/// (`programId` or `_id` into `id`).
pub(crate) fn normalize_key(map: &mut Map<String, Value>, canonical: &str, aliases: &[&str]) {
    if map.get(canonical).is_some_and(|v| !v.is_null()) {
        return;
    }
    if let Some(alias) = aliases.iter().find(|a| map.get(**a).is_some_and(|v| !v.is_null()))
        && let Some(value) = map.remove(*alias)
    {
        map.insert(canonical.to_owned(), value);
    }
}

/// Whether `map` holds a non-null value under one of `known`.
pub(crate) fn recognisable(map: &Map<String, Value>, known: &[&str]) -> bool {
    known.iter().any(|k| map.get(*k).is_some_and(|v| !v.is_null()))
}

/// The object an answer describes: `body` itself when it has one of the `known` members (after `normalize`),
/// else the object under the first of `wrappers` that has one (the envelope's other members are kept
/// beside it). `None` when neither does.
pub(crate) fn resource_object(
    mut body: Map<String, Value>,
    wrappers: &[&str],
    known: &[&str],
    normalize: fn(&mut Map<String, Value>),
) -> Option<Map<String, Value>> {
    normalize(&mut body);
    if recognisable(&body, known) {
        return Some(body);
    }
    for wrapper in wrappers {
        if let Some(Value::Object(inner)) = body.get(*wrapper) {
            let mut inner = inner.clone();
            normalize(&mut inner);
            if recognisable(&inner, known) {
                for (key, value) in body {
                    if key != *wrapper {
                        inner.entry(key).or_insert(value);
                    }
                }
                return Some(inner);
            }
        }
    }
    None
}

/// The body of a 2xx answer as a JSON object: anything else (an empty body, HTML, invalid UTF-8, an array)
/// is an [`Error::Decode`] naming the call.
pub(crate) fn object(raw: &RawResponse) -> Result<Map<String, Value>, Error> {
    raw.json::<Map<String, Value>>()
}

/// The [`Error::Decode`] of a 2xx answer that is JSON but not the resource (`{}`, `{"ok": true}`).
pub(crate) fn not_the_resource(raw: &RawResponse, member: &'static str) -> Error {
    raw.attach_context(carewire_core::resource::missing(raw.meta.status, ".", member, &raw.body))
}

/// Whether a 2xx answer has no body at all (only whitespace).
pub(crate) fn no_body(raw: &RawResponse) -> bool {
    raw.body.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Default, Deserialize)]
    struct Thing {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        count: Option<u32>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    impl Lenient for Thing {
        fn extra_mut(&mut self) -> &mut Map<String, Value> {
            &mut self.extra
        }
    }

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn misfits_are_kept_under_their_names() {
        let thing: Thing = lenient(map(json!({"name": "Yoga", "count": "many", "other": 1})));
        assert_eq!(thing.name.as_deref(), Some("Yoga"));
        assert_eq!(thing.count, None);
        assert_eq!(thing.extra["count"], "many");
        assert_eq!(thing.extra["other"], 1);
    }

    #[test]
    fn ids_envelopes_and_recognisable_members() {
        let mut m = map(json!({"programId": 7, "name": "x"}));
        normalize_key(&mut m, "id", &["programId", "_id"]);
        assert_eq!(m["id"], 7);
        assert!(!m.contains_key("programId"));
        let mut both = map(json!({"id": "a", "_id": "b"}));
        normalize_key(&mut both, "id", &["_id"]);
        assert_eq!((both["id"].as_str(), both["_id"].as_str()), (Some("a"), Some("b")));

        let norm: fn(&mut Map<String, Value>) = |m| normalize_key(m, "id", &["_id"]);
        let inner = resource_object(map(json!({"data": {"_id": "p1"}, "success": true})), &["data"], &["id"], norm);
        assert_eq!(inner.unwrap(), map(json!({"id": "p1", "success": true})));
        assert!(resource_object(map(json!({"success": true})), &["data"], &["id"], norm).is_none());
        assert!(resource_object(map(json!({"id": null})), &["data"], &["id"], norm).is_none());
        assert_eq!(take_text(&mut map(json!({"a": "", "b": 2})), &["a", "b"]).as_deref(), Some("2"));
    }
}
