//! Shared by the integration tests: the component, real TLS peers, and
//! certificate scenarios. Each test file uses part of it.
#![allow(dead_code)]

pub mod bad_certs;
pub mod component;
pub mod composed;
pub mod connect;
pub mod drive;
pub mod faulty;
pub mod http;
pub mod matrix;
pub mod node26;
pub mod oracle;
pub mod peers;
pub mod scenarios;
