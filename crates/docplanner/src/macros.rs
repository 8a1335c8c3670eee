//! The crate's declaration macros: `operation!` (the simple operations), `extensions!` (the `with` enum of an
//! endpoint), `expandable!` (operations taking `with`) and `extra_setter!` (`.extra(..)` on request bodies).

/// Declares a simple operation: one whose request is its spec, its path values, its `with` values and a JSON
/// body, and whose answer is decoded as JSON. Anything else (a query, a check before sending, a special decode)
/// is a hand-written `impl Operation`.
///
/// ```text
/// operation! {
///     /// `GET .../bookings/{booking_id}`.
///     GetBooking { at: AddressPath, booking_id: String; with: BookingWith }
///     /// Booking `booking_id` of the address `at`.
///     fn new;
///     const SPEC = Spec::get(fda!("/bookings/{booking_id}")).name("bookings.get");
///     type Output = Booking;
/// }
/// ```
///
/// declares the struct with those fields, `new` taking each of them (`impl Into<_>`), and its `Operation`:
/// every field fills the path ([`PathValue`](crate::common::PathValue): an `AddressPath` its three ids, any
/// other field the parameter of its own name), `with` (if given) adds the operation's `with` values to the
/// query and makes it `Expandable` by that enum, `body: Type` (if given) is a field sent as the JSON body, and
/// the answer is decoded from JSON into `Output` (`()`: any 2xx body, ignored).
///
/// `impl Name { fields; body: self } const SPEC = ..; type Output = ..;` writes only the `Operation` of a
/// request type that holds those fields and is itself the JSON body.
macro_rules! operation {
    (impl $name:ident $fields:tt const SPEC = $spec:expr; type Output = ();) => {
        $crate::macros::operation!(@impl $name $fields $spec; unit ());
    };
    (impl $name:ident $fields:tt const SPEC = $spec:expr; type Output = $out:ty;) => {
        $crate::macros::operation!(@impl $name $fields $spec; json $out);
    };
    (
        $(#[$meta:meta])* $name:ident $fields:tt
        $(#[$new_meta:meta])* fn new;
        const SPEC = $spec:expr;
        type Output = ();
    ) => {
        $crate::macros::operation!(@value [$(#[$meta])*] $name $fields [$(#[$new_meta])*] $spec; unit ());
    };
    (
        $(#[$meta:meta])* $name:ident $fields:tt
        $(#[$new_meta:meta])* fn new;
        const SPEC = $spec:expr;
        type Output = $out:ty;
    ) => {
        $crate::macros::operation!(@value [$(#[$meta])*] $name $fields [$(#[$new_meta])*] $spec; json $out);
    };
    (
        @value [$($meta:tt)*] $name:ident
        { $($field:ident: $ty:ty),* $(; with: $with:ty)? $(; body: $body:ty)? }
        [$($new_meta:tt)*] $spec:expr; $decode:ident $out:ty
    ) => {
        $($meta)*
        #[derive(Clone, Debug)]
        pub struct $name {
            $($field: $ty,)*
            $(with: $crate::common::With<$with>,)?
            $(body: $body,)?
        }

        impl $name {
            $($new_meta)*
            pub fn new($($field: impl Into<$ty>,)* $(body: impl Into<$body>)?) -> Self {
                Self {
                    $($field: $field.into(),)*
                    $(with: $crate::common::With::<$with>::default(),)?
                    $(body: Into::<$body>::into(body),)?
                }
            }
        }

        $crate::macros::operation!(
            @impl $name { $($field),* $(; with: $with)? $(; body: field $body)? } $spec; $decode $out
        );
    };
    (@impl $name:ident { $($field:ident),* $(; with: $with:ty)? ; body: self } $spec:expr; $decode:ident $out:ty) => {
        $crate::macros::operation!(@impl $name { $($field),* $(; with: $with)? ; body: whole () } $spec; $decode $out);
    };
    (
        @impl $name:ident { $($field:ident),* $(; with: $with:ty)? $(; body: $kind:ident $body:ty)? }
        $spec:expr; $decode:ident $out:ty
    ) => {
        impl carewire_core::operation::Operation for $name {
            type Output = $out;
            const SPEC: carewire_core::operation::Spec = $spec;
            fn request(&self, enc: &carewire_core::operation::Encodings) -> carewire_core::Result<carewire_core::Request> {
                let _ = enc;
                let req = Self::SPEC.request();
                $(let req = $crate::common::PathValue::fill(&self.$field, req, stringify!($field));)*
                $(let req = $crate::common::With::<$with>::apply(&self.with, req, *enc);)?
                $(let req = $crate::macros::operation!(@body $kind self req);)?
                Ok(req)
            }
            fn decode(&self, raw: carewire_core::RawResponse) -> carewire_core::Result<$out> {
                $crate::macros::operation!(@decode $decode raw)
            }
        }

        $(
            impl carewire_core::operation::Expandable for $name {
                type Expansion = $with;
                fn expand(&mut self, extension: $with) {
                    self.with.push(extension);
                }
            }
        )?
    };
    (@body field $this:tt $req:ident) => { $req.json(&$this.body) };
    (@body whole $this:tt $req:ident) => { $req.json($this) };
    (@decode unit $raw:ident) => { $crate::common::unit(&$raw) };
    (@decode json $raw:ident) => { $raw.json() };
}
pub(crate) use operation;

/// Implements [`Expandable`](carewire_core::operation::Expandable) for operations with a `with: With<W>` field.
macro_rules! expandable {
    ($($op:ty => $ext:ty),+ $(,)?) => {$(
        impl carewire_core::operation::Expandable for $op {
            type Expansion = $ext;
            fn expand(&mut self, extension: $ext) {
                self.with.push(extension);
            }
        }
    )+};
}
pub(crate) use expandable;

/// Defines the enum of the `with` values one endpoint accepts: the documented ones, plus `Other(&'static str)`
/// for a value the SDK does not list yet.
macro_rules! extensions {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $value:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not list yet, sent as given in the same `with` parameter
            /// as the others (for example an extension of a newer API version).
            Other(&'static str),
        }

        impl $crate::common::Extension for $name {
            fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Other(value) => value,
                }
            }
        }
    };
}
pub(crate) use extensions;

/// Adds `.extra(key, value)` to a request type with an `extra: Extra` field.
macro_rules! extra_setter {
    ($name:ident) => {
        impl $name {
            /// Adds a field the docs do not list. It is sent as given, beside the typed fields.
            pub fn extra(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.extra.insert(key.into(), value.into());
                self
            }
        }
    };
}
pub(crate) use extra_setter;
