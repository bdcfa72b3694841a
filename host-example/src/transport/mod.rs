//! The `transport` import: the byte streams the guest speaks TLS over, as the
//! `duplex` resource. The host opens TCP connections (with net's options) and
//! Unix-socket connections for it, or lends a stream the caller already has.
//!
//! The import is served on a [`TransportView`] of the store: the resource table
//! the streams live in. Store data hands one out by implementing
//! [`HasTransport`], and [`add_to_linker`] links the import for it.

use wasmtime::component::{HasData, Linker, Resource, ResourceTable};
use wasmtime_wasi::WasiView;

use crate::bindings::tls_connect::tls_connect::transport::{self, IoError, TcpOptions};

mod dial;
mod stream;

pub use dial::{default_tcp_options, dial_tcp, dial_tcp_with, dial_unix, io_error};
pub use stream::{ByteStream, NetStream, Stream};

/// What the `transport` import works on: the table its streams live in.
pub struct TransportView<'a> {
    /// The store's resource table.
    pub table: &'a mut ResourceTable,
}

/// Store data that serves the `transport` import.
pub trait HasTransport: WasiView {
    /// The view the import works on. By default the streams live in WASI's
    /// resource table, beside WASI's own resources.
    fn transport(&mut self) -> TransportView<'_> {
        TransportView {
            table: self.ctx().table,
        }
    }
}

/// Adds the `transport` import to `linker`, served on [`HasTransport::transport`].
pub fn add_to_linker<T: HasTransport + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    transport::add_to_linker::<T, TransportData>(linker, T::transport)
}

/// Links the import to [`TransportView`].
struct TransportData;

impl HasData for TransportData {
    type Data<'a> = TransportView<'a>;
}

impl TransportView<'_> {
    /// Lends `stream` to the guest, for `ConnectOptions::socket`.
    pub fn lend(
        &mut self,
        stream: impl ByteStream + 'static,
    ) -> wasmtime::Result<Resource<Stream>> {
        Ok(self.table.push(Stream::new(stream))?)
    }

    /// The streams in the table: `(held, open)`, where `held` counts those the
    /// guest has not dropped and `open` those of them not closed yet.
    pub fn lent_streams(&mut self) -> (usize, usize) {
        self.table
            .iter_mut()
            .filter_map(|entry| entry.downcast_ref::<Stream>())
            .fold((0, 0), |(held, open), stream| {
                (held + 1, open + usize::from(stream.is_open()))
            })
    }

    /// Pushes a freshly opened stream, or passes on why it did not open.
    fn opened(
        &mut self,
        opened: Result<impl ByteStream + 'static, IoError>,
    ) -> wasmtime::Result<Result<Resource<Stream>, IoError>> {
        match opened {
            Ok(stream) => self.lend(stream).map(Ok),
            Err(err) => Ok(Err(err)),
        }
    }
}

impl transport::Host for TransportView<'_> {
    fn open_tcp(
        &mut self,
        host: String,
        port: u16,
        options: TcpOptions,
    ) -> wasmtime::Result<Result<Resource<Stream>, IoError>> {
        self.opened(dial_tcp_with(&host, port, &options))
    }

    fn open_unix(&mut self, path: String) -> wasmtime::Result<Result<Resource<Stream>, IoError>> {
        self.opened(dial_unix(&path))
    }
}

impl transport::HostDuplex for TransportView<'_> {
    fn read(
        &mut self,
        duplex: Resource<Stream>,
        max_len: u32,
    ) -> wasmtime::Result<Result<Vec<u8>, IoError>> {
        Ok(self.table.get_mut(&duplex)?.read(max_len))
    }

    fn write(
        &mut self,
        duplex: Resource<Stream>,
        data: Vec<u8>,
    ) -> wasmtime::Result<Result<(), IoError>> {
        Ok(self.table.get_mut(&duplex)?.write(&data))
    }

    fn shutdown(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<Result<(), IoError>> {
        Ok(self.table.get_mut(&duplex)?.shutdown())
    }

    fn close(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<()> {
        self.table.get_mut(&duplex)?.close();
        Ok(())
    }

    fn drop(&mut self, duplex: Resource<Stream>) -> wasmtime::Result<()> {
        self.table.delete(duplex)?;
        Ok(())
    }
}
