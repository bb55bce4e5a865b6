//! Integration tests: run the built `gaztag` binary on fixtures.

mod cli;
mod hostile;
mod properties;
mod eval;
mod util;
mod ux;
