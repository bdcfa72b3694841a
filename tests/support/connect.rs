//! Connect options and socket queries the tests share, beyond `component`'s.

use host_example::{ClientInstance, ConnectOptions, TlsSocket};

use super::component::options;

/// Options with nothing set but what `set` sets: every other Node default applies.
pub fn options_with(set: impl FnOnce(&mut ConnectOptions)) -> ConnectOptions {
    let mut options = options();
    set(&mut options);
    options
}

/// `socket.authorized` and `socket.authorizationError`.
pub fn authorization(instance: &mut ClientInstance, socket: &TlsSocket) -> (bool, Option<String>) {
    let mut calls = instance.socket(socket);
    let authorized = calls.authorized().expect("no trap");
    (authorized, calls.authorization_error().expect("no trap"))
}
