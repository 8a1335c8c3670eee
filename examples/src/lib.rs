//! Runnable examples of carewire (see `examples/`).
