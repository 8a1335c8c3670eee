//! Cross-crate tests and benchmarks of carewire.
