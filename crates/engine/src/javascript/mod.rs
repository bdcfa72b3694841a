//! JavaScript's own rules, where Node's answers show them: how a number prints
//! in a message (`String(n)`, `util.inspect`), ToInt32, and `net.isIP`. One
//! place for each, used by options, errors and verification alike.

mod inspect;
mod ip;
mod number;

pub(crate) use inspect::inspect_empty_strings;
pub(crate) use ip::is_ip;
#[cfg(test)]
pub(crate) use number::js_number;
pub(crate) use number::{inspect_number, is_integer, received_number, to_int32, MAX_SAFE_INTEGER};
