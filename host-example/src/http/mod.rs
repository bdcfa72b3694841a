//! Serving a wasi:http component, the model of `wasmtime serve`, Spin and
//! Fastly Compute: the component exports `wasi:http/incoming-handler`, and every
//! request gets a fresh store and instance that sees only WASI 0.2 and
//! wasi:http. [`HttpHandler`] loads the component and answers one request;
//! [`HttpServer`] accepts HTTP/1.1 connections and hands it their requests.
//!
//! Each instance gets the environment of [`HandlerConfig`] (its only one, as
//! [`crate::command`] gives a command) and wasi:sockets TCP as
//! [`WasiTcp`] allows: to loopback addresses only, by default. Outgoing
//! `wasi:http` requests are refused: a handler reaches its backends through
//! wasi:sockets, which this policy governs.

mod server;
mod state;

use std::path::Path;
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{format_err, Engine, Result, Store};
use wasmtime_wasi::WasiCtx;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::WasiHttpView;

pub use server::HttpServer;
use state::RequestState;

use crate::command::{grant_tcp, import_names, WasiTcp};

/// How every request's instance is set up.
#[derive(Debug, Clone)]
pub struct HandlerConfig {
    /// The environment each instance sees: its only one.
    pub env: Vec<(String, String)>,
    /// What each instance may reach through wasi:sockets.
    pub wasi_tcp: WasiTcp,
    /// The longest one request's instance may live, response body included;
    /// then it is dropped, and a response not yet begun is never sent.
    pub request_limit: Duration,
}

impl Default for HandlerConfig {
    /// No environment, TCP to loopback only, 30 seconds a request.
    fn default() -> Self {
        Self {
            env: Vec::new(),
            wasi_tcp: WasiTcp::Loopback,
            request_limit: Duration::from_secs(30),
        }
    }
}

/// A loaded wasi:http component, pre-instantiated: each request instantiates it
/// afresh in a store of its own.
pub struct HttpHandler {
    pre: ProxyPre<RequestState>,
    config: HandlerConfig,
}

impl HttpHandler {
    /// Loads the component at `wasm` (from its `.cwasm` when current) and links
    /// WASI 0.2 and wasi:http for it. Fails if it does not export the
    /// incoming handler, or imports anything else.
    pub fn load(wasm: &Path, config: HandlerConfig) -> Result<Self> {
        let engine = Engine::default();
        let component = crate::precompiled::load(&engine, wasm)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = ProxyPre::new(linker.instantiate_pre(&component)?)?;
        Ok(Self { pre, config })
    }

    fn component(&self) -> &Component {
        self.pre.instance_pre().component()
    }

    /// The names of the component's imports, such as `wasi:sockets/tcp@0.2.12`.
    pub fn import_names(&self) -> Vec<String> {
        import_names(self.pre.engine(), self.component())
    }

    /// The names of the component's exports, such as
    /// `wasi:http/incoming-handler@0.2.12`.
    pub fn export_names(&self) -> Vec<String> {
        self.component()
            .component_type()
            .exports(self.pre.engine())
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// A fresh store for one request.
    fn store(&self) -> Store<RequestState> {
        let mut builder = WasiCtx::builder();
        builder.envs(&self.config.env).inherit_stderr();
        grant_tcp(&mut builder, self.config.wasi_tcp);
        Store::new(self.pre.engine(), RequestState::new(builder.build()))
    }

    /// Answers `request` in a fresh instance. The instance runs on in a task of
    /// its own while it writes the response body, at most
    /// [`HandlerConfig::request_limit`] in all. An error (the guest trapped, or
    /// set no response) is for the server to report: it closes the connection.
    pub async fn handle(
        &self,
        request: hyper::Request<hyper::body::Incoming>,
    ) -> Result<hyper::Response<HyperOutgoingBody>> {
        let mut store = self.store();
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let request = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, request)?;
        let out = store.data_mut().http().new_response_outparam(sender)?;
        let pre = self.pre.clone();
        let limit = self.config.request_limit;
        let task = tokio::task::spawn(async move {
            let run = async {
                let proxy = pre.instantiate_async(&mut store).await?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, request, out)
                    .await
            };
            tokio::time::timeout(limit, run)
                .await
                .map_err(|_| format_err!("the handler ran past {limit:?}"))?
        });
        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => Err(format_err!("the handler answered with an error: {code:?}")),
            // The sender went with the store: the task ended without a response.
            Err(_) => Err(match task.await {
                Ok(Ok(())) => format_err!("the handler set no response"),
                Ok(Err(err)) => err.context("the handler set no response"),
                Err(join) => format_err!("the handler's task failed: {join}"),
            }),
        }
    }
}
