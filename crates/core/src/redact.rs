//! Redacting `Debug`, written once for every vendor: [`redacted_debug!`](crate::redacted_debug) implements
//! `Debug` for a model from three lists of its fields (shown, redacted, maps whose keys only are shown), and
//! [`Redacted`] and [`Keys`] are the pieces it prints with, for the few hand-written impls.
//!
//! Patient data, tokens and free text never reach a log through `{:?}`: a redacted field prints
//! `[REDACTED]`, or `None` / `Some([REDACTED])` when it is an `Option` (whether a value was sent is useful
//! when debugging and says nothing about the patient).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Implements `Debug` for a struct, field by field: `show` fields print as they are, `redact` fields print
/// `[REDACTED]` (`None` / `Some([REDACTED])` for an `Option`), `keys` fields (maps such as `extra`) print
/// their keys only, and `with` fields print what the given function makes of them (a card number as its
/// last four digits). Each list is optional, in that order; the `Debug` names exactly the listed fields.
///
/// # Examples
///
/// ```
/// use std::collections::BTreeMap;
///
/// #[derive(Default)]
/// pub struct Patient {
///     pub id: String,
///     pub email: Option<String>,
///     pub nin: String,
///     pub extra: BTreeMap<String, serde_json::Value>,
/// }
///
/// carewire_core::redacted_debug!(Patient { show: [id], redact: [email, nin], keys: [extra] });
///
/// let mut p = Patient { id: "p_1".into(), email: Some("a@b.c".into()), nin: "850101".into(), ..Default::default() };
/// p.extra.insert("notes".into(), "private".into());
/// assert_eq!(
///     format!("{p:?}"),
///     r#"Patient { id: "p_1", email: Some([REDACTED]), nin: [REDACTED], extra: ["notes"] }"#
/// );
/// ```
#[macro_export]
macro_rules! redacted_debug {
    ($ty:ident $(<$($lt:lifetime),+>)? {
        $(show: [$($show:ident),* $(,)?] $(,)?)?
        $(redact: [$($red:ident),* $(,)?] $(,)?)?
        $(keys: [$($key:ident),* $(,)?] $(,)?)?
        $(with: [$($wfield:ident => $wfn:path),* $(,)?] $(,)?)?
    }) => {
        impl $(<$($lt),+>)? ::std::fmt::Debug for $ty $(<$($lt),+>)? {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #[allow(unused_imports)]
                use $crate::redact::__private::{ViaAny as _, ViaOption as _};
                f.debug_struct(stringify!($ty))
                    $($(.field(stringify!($show), &self.$show))*)?
                    $($(.field(stringify!($red), &(&$crate::redact::__private::Wrap(&self.$red)).redacted()))*)?
                    $($(.field(stringify!($key), &$crate::redact::Keys(&self.$key)))*)?
                    $($(.field(stringify!($wfield), &$wfn(&self.$wfield)))*)?
                    .finish()
            }
        }
    };
}

/// Prints `None` or `Some([REDACTED])`, never the value.
///
/// ```
/// use carewire_core::redact::Redacted;
/// assert_eq!(format!("{:?}", Redacted(&Some("secret"))), "Some([REDACTED])");
/// assert_eq!(format!("{:?}", Redacted::<&str>(&None)), "None");
/// ```
pub struct Redacted<'a, T>(pub &'a Option<T>);

impl<T> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Some([REDACTED])" } else { "None" })
    }
}

/// Prints the keys of a map, never its values.
///
/// ```
/// use carewire_core::redact::Keys;
/// let mut extra = serde_json::Map::new();
/// extra.insert("diagnosis".into(), "private".into());
/// assert_eq!(format!("{:?}", Keys(&extra)), r#"["diagnosis"]"#);
/// ```
pub struct Keys<'a, M: ?Sized>(pub &'a M);

/// A map whose keys [`Keys`] prints.
pub trait KeyList {
    /// The keys, in the map's order.
    fn key_list(&self) -> Vec<&str>;
}

impl<V> KeyList for BTreeMap<String, V> {
    fn key_list(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

impl<V, S> KeyList for HashMap<String, V, S> {
    fn key_list(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self.keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }
}

impl KeyList for serde_json::Map<String, serde_json::Value> {
    fn key_list(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

impl<M: KeyList> KeyList for Option<M> {
    fn key_list(&self) -> Vec<&str> {
        self.as_ref().map(KeyList::key_list).unwrap_or_default()
    }
}

impl<M: KeyList + ?Sized> fmt::Debug for Keys<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.key_list()).finish()
    }
}

#[doc(hidden)]
pub mod __private {
    use std::fmt;

    /// What a redacted field prints: text without quotes.
    pub struct Shown(&'static str);

    impl fmt::Debug for Shown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    pub struct Wrap<'a, T: ?Sized>(pub &'a T);

    /// Chosen first by method resolution when the field is an `Option`.
    pub trait ViaOption {
        fn redacted(&self) -> Shown;
    }

    impl<T> ViaOption for Wrap<'_, Option<T>> {
        fn redacted(&self) -> Shown {
            Shown(if self.0.is_some() { "Some([REDACTED])" } else { "None" })
        }
    }

    /// Any other field.
    pub trait ViaAny {
        fn redacted(&self) -> Shown;
    }

    impl<T: ?Sized> ViaAny for &Wrap<'_, T> {
        fn redacted(&self) -> Shown {
            Shown("[REDACTED]")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    struct Borrowed<'a> {
        name: &'a str,
        dob: Option<&'a str>,
        tags: Vec<String>,
        extra: Option<HashMap<String, u8>>,
    }

    crate::redacted_debug!(Borrowed<'a> { redact: [name, dob, tags], keys: [extra] });

    struct Shown {
        id: u32,
    }

    crate::redacted_debug!(Shown { show: [id] });

    struct Card {
        number: String,
    }

    fn last_four(number: &str) -> String {
        format!("…{}", &number[number.len().saturating_sub(4)..])
    }

    crate::redacted_debug!(Card { with: [number => last_four] });

    #[test]
    fn redacts_every_kind_of_field() {
        let extra = HashMap::from([("z".to_owned(), 1), ("a".to_owned(), 2)]);
        let b = Borrowed { name: "Ann", dob: None, tags: vec!["hiv".into()], extra: Some(extra) };
        let text = format!("{b:?}");
        assert_eq!(text, r#"Borrowed { name: [REDACTED], dob: None, tags: [REDACTED], extra: ["a", "z"] }"#);
        assert_eq!(format!("{:?}", Shown { id: 7 }), "Shown { id: 7 }");
        assert_eq!(format!("{:?}", Card { number: "5061234567891234".into() }), r#"Card { number: "…1234" }"#);
    }
}
