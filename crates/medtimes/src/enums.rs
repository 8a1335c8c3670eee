//! Open enums: known wire values as variants, anything else kept verbatim in `Unknown(String)`; the one
//! macro lives in carewire-core, shared by every vendor.

pub(crate) use carewire_core::open_enum;
