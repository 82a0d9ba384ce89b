//! The portal's server: configuration from the environment, the axum router around the Leptos
//! app, middleware, and the process lifecycle. `main.rs` only wires these together; tests drive
//! [`router::build`] directly.

pub mod built_files;
pub mod carried_error;
pub mod client_ip;
pub mod config;
pub mod context;
pub mod create_staff;
pub mod dev;
pub mod documents;
pub mod health;
pub mod live;
pub mod media;
pub mod prefs;
pub mod router;
pub mod security;
pub mod workers;
