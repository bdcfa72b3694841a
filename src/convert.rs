//! Conversions between wit-bindgen's records and the engine's types. Only
//! shapes change here: every value passes through as it came.

use tls_connect_engine::{
    AlpnProtocols, CipherInfo, ConnectOptions, ConnectionOptions, ContextOptions, Credentials,
    EphemeralKeyInfo, Fed, IdentityCheck, KeyEntry, NetOptions, PeerCertificate, Pem, PfxEntry,
    SocketEvent, TargetOptions, TcpOptions, TlsError,
};

use crate::bindings::tls_connect::tls_connect::transport as wit_transport;
use crate::bindings::tls_connect::tls_connect::types as wit;

/// Node's option bag, split once into the engine's four parts; the caller's
/// stream (Node's `socket`) comes back beside them.
pub(crate) fn engine_options(
    o: wit::ConnectOptions,
) -> (ConnectOptions, Option<wit_transport::Duplex>) {
    let pems = |items: Option<Vec<wit::Pem>>| {
        items.map(|items| items.into_iter().map(engine_pem).collect())
    };
    let options = ConnectOptions {
        target: TargetOptions {
            host: o.host,
            port: o.port,
            path: o.path,
            net: o.net.map(|n| NetOptions {
                family: n.family,
                local_address: n.local_address,
                local_port: n.local_port,
                timeout: n.timeout,
                no_delay: n.no_delay,
                keep_alive: n.keep_alive,
                keep_alive_initial_delay: n.keep_alive_initial_delay,
            }),
        },
        connection: ConnectionOptions {
            servername: o.servername,
            reject_unauthorized: o.reject_unauthorized,
            alpn_protocols: o.alpn_protocols.map(|alpn| match alpn {
                wit::AlpnProtocols::Names(n) => AlpnProtocols::Names(n),
                wit::AlpnProtocols::Buffers(b) => AlpnProtocols::Buffers(b),
                wit::AlpnProtocols::Wire(w) => AlpnProtocols::Wire(w),
            }),
            allow_half_open: o.allow_half_open,
            request_ocsp: o.request_ocsp,
            enable_trace: o.enable_trace,
            min_dh_size: o.min_dh_size,
            session: o.session,
            identity_check: o.identity_check.map(|check| match check {
                wit::IdentityCheck::Builtin => IdentityCheck::Builtin,
                wit::IdentityCheck::Caller => IdentityCheck::Caller,
            }),
        },
        context: ContextOptions {
            ca: pems(o.ca),
            crl: pems(o.crl),
            ciphers: o.ciphers,
            min_version: o.min_version,
            max_version: o.max_version,
            ecdh_curve: o.ecdh_curve,
            sigalgs: o.sigalgs,
            secure_protocol: o.secure_protocol,
            secure_options: o.secure_options,
            allow_partial_trust_chain: o.allow_partial_trust_chain,
            certificate_compression: o.certificate_compression,
        },
        credentials: Credentials {
            cert: pems(o.cert),
            key: o.key.map(|keys| {
                keys.into_iter()
                    .map(|k| KeyEntry {
                        pem: engine_pem(k.pem),
                        passphrase: k.passphrase,
                    })
                    .collect()
            }),
            passphrase: o.passphrase,
            pfx: o.pfx.map(|items| {
                items
                    .into_iter()
                    .map(|p| PfxEntry {
                        buf: p.buf,
                        passphrase: p.passphrase,
                    })
                    .collect()
            }),
        },
    };
    (options, o.socket)
}

pub(crate) fn engine_pem(pem: wit::Pem) -> Pem {
    match pem {
        wit::Pem::Text(text) => Pem::Text(text),
        wit::Pem::Bytes(bytes) => Pem::Bytes(bytes),
    }
}

pub(crate) fn wit_error(err: TlsError) -> wit::TlsError {
    wit::TlsError {
        code: err.code,
        message: err.message,
        reason: err.reason,
        host: err.host,
    }
}

pub(crate) fn engine_error(err: wit::TlsError) -> TlsError {
    TlsError {
        code: err.code,
        message: err.message,
        reason: err.reason,
        host: err.host,
    }
}

pub(crate) fn io_error(err: wit_transport::IoError) -> TlsError {
    TlsError::new(err.code, err.message)
}

pub(crate) fn wit_fed(fed: Fed) -> wit::Fed {
    wit::Fed {
        secure_connect: fed.secure_connect,
        data: fed.data,
        record_lengths: fed.record_lengths,
        end: fed.end,
        check_identity: fed.check_identity,
        events: fed.events.into_iter().map(wit_event).collect(),
    }
}

pub(crate) fn wit_event(event: SocketEvent) -> wit::SocketEvent {
    match event {
        SocketEvent::Session(handle) => wit::SocketEvent::Session(handle),
        SocketEvent::Keylog(line) => wit::SocketEvent::Keylog(line),
        SocketEvent::OcspResponse(response) => wit::SocketEvent::OcspResponse(response),
        SocketEvent::Trace(line) => wit::SocketEvent::Trace(line),
    }
}

pub(crate) fn wit_key_info(info: EphemeralKeyInfo) -> wit::EphemeralKeyInfo {
    wit::EphemeralKeyInfo {
        kind: info.kind,
        name: info.name,
        size: info.size,
    }
}

pub(crate) fn wit_cipher(c: CipherInfo) -> wit::Cipher {
    wit::Cipher {
        name: c.name,
        standard_name: c.standard_name,
        version: c.version,
    }
}

/// Only what `check-server-identity` reads crosses back; `..Default` fills the rest.
pub(crate) fn engine_certificate(c: wit::PeerCertificate) -> PeerCertificate {
    PeerCertificate {
        subject: c.subject,
        issuer: c.issuer,
        subjectaltname: c.subjectaltname,
        ..Default::default()
    }
}

pub(crate) fn wit_certificate(c: PeerCertificate) -> wit::PeerCertificate {
    wit::PeerCertificate {
        subject: c.subject,
        issuer: c.issuer,
        subjectaltname: c.subjectaltname,
        info_access: c.info_access,
        ca: c.ca,
        bits: c.bits,
        modulus: c.modulus,
        exponent: c.exponent,
        pubkey: c.pubkey,
        asn1_curve: c.asn1_curve,
        nist_curve: c.nist_curve,
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        fingerprint: c.fingerprint,
        fingerprint256: c.fingerprint256,
        fingerprint512: c.fingerprint512,
        ext_key_usage: c.ext_key_usage,
        serial_number: c.serial_number,
        raw: c.raw,
    }
}

/// net's options, after the engine's checks, as the transport import takes them.
pub(crate) fn wit_tcp_options(options: &TcpOptions) -> wit_transport::TcpOptions {
    wit_transport::TcpOptions {
        family: options.family,
        local_address: options.local_address.clone(),
        local_port: options.local_port,
        no_delay: options.no_delay,
        keep_alive: options.keep_alive,
        timeout: options.timeout,
    }
}
