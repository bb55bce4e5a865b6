//! Integration tests: run the built `gaztag` binary on fixtures.

mod architecture;
mod builtins;
mod cli;
mod editing;
mod eval;
mod focus;
mod formats;
mod hostile;
mod news;
mod properties;
mod stream;
mod util;
mod ux;
