//! The HTTP/1.1 server: hyper on a tokio runtime of its own, every request
//! handed to the [`HttpHandler`], as `wasmtime serve` does.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use wasmtime::Result;
use wasmtime_wasi_http::io::TokioIo;

use super::HttpHandler;

/// How long dropping a server waits for its requests in flight.
const STOP_LIMIT: Duration = Duration::from_secs(5);

/// After a failed accept (such as too many open files), the pause before the
/// next: it would fail at once again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// A server answering on its listener from its runtime's threads until dropped.
pub struct HttpServer {
    addr: SocketAddr,
    runtime: Option<Runtime>,
}

impl HttpServer {
    /// Starts serving `handler` on `listener` (bound already, so the caller
    /// knows the port) in the background. Drop it to stop: not from within an
    /// async context, since that stops its runtime.
    pub fn start(handler: HttpHandler, listener: std::net::TcpListener) -> Result<Self> {
        let addr = listener.local_addr()?;
        let runtime = runtime()?;
        let listener = listener_on(&runtime, listener)?;
        runtime.spawn(accept_loop(listener, Arc::new(handler)));
        Ok(Self {
            addr,
            runtime: Some(runtime),
        })
    }

    /// Serves `handler` on `listener` on the calling thread, for ever.
    pub fn run(handler: HttpHandler, listener: std::net::TcpListener) -> Result<()> {
        let runtime = runtime()?;
        let listener = listener_on(&runtime, listener)?;
        runtime.block_on(accept_loop(listener, Arc::new(handler)));
        Ok(())
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(STOP_LIMIT);
        }
    }
}

fn runtime() -> Result<Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("serve-http")
        .build()?)
}

/// `listener`, registered with `runtime`'s reactor.
fn listener_on(runtime: &Runtime, listener: std::net::TcpListener) -> Result<TcpListener> {
    listener.set_nonblocking(true)?;
    let _entered = runtime.enter();
    Ok(TcpListener::from_std(listener)?)
}

/// Accepts connections for ever, each served in a task of its own; a request's
/// failure ends only its connection, logged on stderr.
async fn accept_loop(listener: TcpListener, handler: Arc<HttpHandler>) {
    // Ends with the runtime.
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                eprintln!("serve-http: accept: {err}");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let handler = handler.clone();
        tokio::task::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let handler = handler.clone();
                async move {
                    let answered = handler.handle(request).await;
                    if let Err(err) = &answered {
                        eprintln!("serve-http: {peer}: {err:#}");
                    }
                    answered
                }
            });
            let served = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            if let Err(err) = served {
                eprintln!("serve-http: {peer}: {err}");
            }
        });
    }
}
