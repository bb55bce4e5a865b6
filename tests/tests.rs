//! Integration tests: run the built `gaztag` binary on fixtures.

mod cli;
mod eval;
mod util;
mod ux;
