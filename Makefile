# The README's two commands are `make demo` and `make test`; each does its own set-up.
# CI runs .ci/run, which calls `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
COMPONENT := target/tls-connect.wasm
GUEST_BUILD := target/wasm32-wasip2/release/tls_connect.wasm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup component demo test lint

## Toolchain: the wasm32-wasip2 target, and clang + llvm for ring's C code.
setup:
	@command -v clang >/dev/null && command -v llvm-ar >/dev/null && command -v openssl >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang llvm openssl >/dev/null; }
	@rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2 >&2
	@command -v node >/dev/null || { echo "node (Node.js 20 or newer) is needed by the tests" >&2; exit 1; }

## The component, built once and shared by the demo and every test. Symbols are
## stripped for the wasm target only: its name section is a fifth of the file.
component: setup
	@CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C strip=symbols" \
	  $(CARGO) build --release --locked --target wasm32-wasip2 -p tls-connect --lib
	@cp -p $(GUEST_BUILD) $(COMPONENT)

## Node's documentation echo client, against a local echo server it starts itself.
## Built with --workspace so features unify exactly as for the tests: wasmtime is built once.
demo: component
	@$(CARGO) build --release --locked --workspace
	@./target/release/echo-client --component $(COMPONENT)

## Every test: the engine's unit tests and the component against real TLS peers.
test: component
	@TLS_CONNECT_COMPONENT=$(CURDIR)/$(COMPONENT) $(CARGO) test --release --locked --workspace

## Formatting and lints, natively and for the guest target.
lint: setup
	@$(CARGO) fmt --all -- --check
	@$(CARGO) clippy --release --locked --workspace --all-targets -- -D warnings
	@$(CARGO) clippy --release --locked --target wasm32-wasip2 -p tls-connect --lib -- -D warnings
