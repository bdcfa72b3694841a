//! The one thing the two Rust clients differ in: which sans-IO engine turns
//! plaintext into records and back. Everything else (sockets, timing, loops)
//! is shared by [`crate::driver`].

/// What one batch of received bytes produced, reduced to what the benchmark counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fed {
    /// The handshake finished in this batch (Node's `'secureConnect'`).
    pub secure_connect: bool,
    /// Plaintext bytes decrypted from the batch.
    pub data: usize,
    /// The server ended its side.
    pub end: bool,
}

impl Fed {
    /// A batch counted: whether it finished the handshake, how much plaintext
    /// it held, whether the server ended.
    pub fn counted(secure_connect: bool, data: &[u8], end: bool) -> Self {
        Self {
            secure_connect,
            data: data.len(),
            end,
        }
    }
}

/// Keeps the newest of `sessions` (a batch's `'session'` events) in `newest`,
/// as a Node client that offers the last session it received.
pub fn keep_newest_session<'a>(
    newest: &mut Option<Vec<u8>>,
    sessions: impl Iterator<Item = &'a Vec<u8>>,
) {
    if let Some(last) = sessions.last() {
        *newest = Some(last.clone());
    }
}

/// A TLS client engine driven sans-IO: the component in wasmtime, or the same
/// engine compiled natively. Errors are already formatted for printing.
pub trait Engine {
    /// One connection's handle.
    type Conn;
    /// Begins a connection (the engine's `start`).
    fn start(&mut self) -> Result<Self::Conn, String>;
    /// Hands in bytes received from the server.
    fn feed(&mut self, conn: &mut Self::Conn, data: &[u8]) -> Result<Fed, String>;
    /// Queues plaintext for the server.
    fn write(&mut self, conn: &mut Self::Conn, data: &[u8]) -> Result<(), String>;
    /// Ends our side (close_notify).
    fn end(&mut self, conn: &mut Self::Conn) -> Result<(), String>;
    /// The bytes to send to the server now.
    fn take_outgoing(&mut self, conn: &mut Self::Conn) -> Result<Vec<u8>, String>;
    /// Destroys the connection.
    fn finish(&mut self, conn: Self::Conn) -> Result<(), String>;
}
