//! The wasi:http glue: exports `incoming-handler`, reads the request's query and
//! body, runs the exchange and writes the reply. Nothing here panics on what a
//! request holds: every failure becomes an answer.

use example_plugins::args::Credentials;

use crate::backend::Backend;
use crate::exchange;
use crate::reply::{Reply, CONTENT_TYPE};

wit_bindgen::generate!({
    path: "wit",
    world: "tls-connect:http-handler/handler",
    // The handler's types are wasi:http's, which use wasi:io's and wasi:clocks':
    // generate those too.
    generate_all,
});

use exports::wasi::http::incoming_handler::Guest;
use wasi::http::types::{
    ErrorCode, Fields, IncomingBody, IncomingRequest, OutgoingBody, OutgoingResponse,
    ResponseOutparam,
};
use wasi::io::streams::StreamError;

/// The most a request body may hold: it is echoed whole.
const BODY_LIMIT: usize = exchange::ECHO_LIMIT;

/// Bytes asked of the body stream per read.
const READ_CHUNK: u64 = 64 * 1024;

/// The most `blocking-write-and-flush` takes in one call (wasi:io's limit).
const WRITE_CHUNK: usize = 4096;

struct Handler;

export!(Handler);

impl Guest for Handler {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let reply = answer(&request);
        send(response_out, &reply);
    }
}

/// The reply to `request`: its backend from the query, its body echoed there.
fn answer(request: &IncomingRequest) -> Reply {
    let path = request.path_with_query().unwrap_or_default();
    let backend = match Backend::from_path_with_query(&path) {
        Ok(backend) => backend,
        Err(message) => return Reply::bad_request(&message),
    };
    let body = match read_body(request) {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    // Read per request: each request runs in a fresh instance anyway.
    let credentials = Credentials::from_env(|name| std::env::var(name).ok());
    match exchange::echo(&backend, &credentials, &body) {
        Ok(echoed) => Reply::echoed(&echoed),
        Err(failure) => Reply::failed(&failure),
    }
}

/// The whole request body, at most [`BODY_LIMIT`] bytes.
fn read_body(request: &IncomingRequest) -> Result<Vec<u8>, Reply> {
    let body = request
        .consume()
        .map_err(|()| Reply::internal("the request body was already taken"))?;
    // Declared after `body`, so dropped before it: a stream is its body's child.
    let stream = body
        .stream()
        .map_err(|()| Reply::internal("the request body has no stream"))?;
    let mut data = Vec::new();
    // Bounded by the body's end and by BODY_LIMIT.
    loop {
        match stream.blocking_read(READ_CHUNK) {
            Ok(chunk) => data.extend_from_slice(&chunk),
            Err(StreamError::Closed) => break,
            Err(StreamError::LastOperationFailed(err)) => {
                let message = format!(
                    "the request body could not be read: {}",
                    err.to_debug_string()
                );
                return Err(Reply::bad_request(&message));
            }
        }
        if data.len() > BODY_LIMIT {
            return Err(Reply::too_large(BODY_LIMIT));
        }
    }
    drop(stream);
    // Trailers carry nothing the handler uses.
    drop(IncomingBody::finish(body));
    Ok(data)
}

/// Sends `reply` through `out`. Once the response is handed over, a failed
/// write can only be left unfinished, which tells the host the body broke off.
fn send(out: ResponseOutparam, reply: &Reply) {
    let mut fields = vec![
        ("content-type".to_owned(), CONTENT_TYPE.as_bytes().to_vec()),
        (
            "content-length".to_owned(),
            reply.body.len().to_string().into_bytes(),
        ),
    ];
    if let Some(timing) = reply.server_timing() {
        fields.push(("server-timing".to_owned(), timing.into_bytes()));
    }
    let response = Fields::from_list(&fields)
        .map_err(|err| format!("the headers were refused: {err:?}"))
        .map(OutgoingResponse::new)
        .and_then(|response| {
            response
                .set_status_code(reply.status)
                .map_err(|()| format!("the status {} was refused", reply.status))?;
            let body = response
                .body()
                .map_err(|()| "the response has no body".to_owned())?;
            Ok((response, body))
        });
    let (response, body) = match response {
        Ok(parts) => parts,
        Err(message) => {
            ResponseOutparam::set(out, Err(ErrorCode::InternalError(Some(message))));
            return;
        }
    };
    ResponseOutparam::set(out, Ok(response));
    let Ok(stream) = body.write() else {
        return;
    };
    for chunk in reply.body.as_bytes().chunks(WRITE_CHUNK) {
        if stream.blocking_write_and_flush(chunk).is_err() {
            return;
        }
    }
    drop(stream);
    // Nothing is left to tell anyone if finishing fails.
    let _ = OutgoingBody::finish(body, None);
}
