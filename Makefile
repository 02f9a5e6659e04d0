# appsignals-mcp: the entry points others rely on.
#   make deps   install the Debian packages and the npm test clients (idempotent, quiet when done)
#   make build  release build; binaries in build/bin/
#   make test   everything: unit, integration and end-to-end tests (official MCP clients)
#   make demo   run the server against the built-in sample AWS account
#   make bench  speed and memory, side by side with reference servers
#   make test-asan   unit and integration tests built with ASan + UBSan
#   make fuzz-smoke  every libFuzzer target for 30 s; tests/fuzz/run.sh for longer runs
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
BUILD_DIR := build
E2E_DIR := tests/e2e

APT_PACKAGES := g++ cmake ninja-build pkg-config \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libssl-dev libcurl4-openssl-dev libpugixml-dev libspdlog-dev libfmt-dev libcli11-dev prometheus-cpp-dev \
  libgtest-dev libgmock-dev libbenchmark-dev libhiredis-dev redis-server \
  nodejs curl nginx-light wrk openssl procps \
  clang clang-14 libclang-rt-14-dev

.PHONY: deps deps-apt deps-npm build test unit demo bench clean test-asan fuzz-build fuzz-smoke

deps: deps-apt deps-npm

deps-apt:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The npm test clients (official MCP SDK client, conformance suite, mcp-remote, MCP Inspector CLI,
# Node 22 runtime).
# Reinstalled only when package-lock.json changes.
deps-npm: $(E2E_DIR)/node_modules/.installed bench/peers/node_modules/.installed

$(E2E_DIR)/node_modules/.installed: $(E2E_DIR)/package.json $(E2E_DIR)/package-lock.json
	@echo "deps: installing npm test clients"
	@cd $(E2E_DIR) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

# The benchmark's reference server (official TypeScript SDK + AWS SDK for JavaScript).
bench/peers/node_modules/.installed: bench/peers/package.json bench/peers/package-lock.json
	@echo "deps: installing the benchmark's SDK peer"
	@cd bench/peers && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(BUILD_DIR)/build.ninja:
	@cmake --preset release -G Ninja >/dev/null

build: $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Tests only ever talk to loopback: no instance metadata service, no AWS profile of the machine,
# and no proxy of the machine between the server and the loopback fake AWS (the AWS client
# honours HTTP(S)_PROXY like the SDKs; tests that check that set their own).
LOOPBACK := 127.0.0.1,localhost,::1
TEST_ENV := AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	NO_PROXY=$(LOOPBACK) no_proxy=$(LOOPBACK)

test: deps build
	@cd $(BUILD_DIR) && $(TEST_ENV) ctest --output-on-failure -j $(JOBS) --timeout 600

# ASan + UBSan (preset `dev`, build-dev/): every finding fails the run (halt_on_error), leaks
# included (suppressions, each with its reason: tests/sanitizers/lsan.supp). Only the test
# binaries and what they run are built; the end-to-end suites (official node clients against
# the same binary) and the benchmark stay with the release build.
ASAN_DIR := build-dev
SANITIZER_ENV := ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0

$(ASAN_DIR)/build.ninja:
	@cmake --preset dev -G Ninja >/dev/null

test-asan: deps-apt $(ASAN_DIR)/build.ninja
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@cd $(ASAN_DIR) && $(TEST_ENV) $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) --timeout 900 -E '^e2e\.'

# libFuzzer targets (preset `fuzz`, clang, build-fuzz/fuzz/): see tests/fuzz/CMakeLists.txt.
FUZZ_DIR := build-fuzz
FUZZ_SECONDS ?= 30

$(FUZZ_DIR)/build.ninja:
	@cmake --preset fuzz -G Ninja >/dev/null

fuzz-build: deps-apt $(FUZZ_DIR)/build.ninja
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_targets

fuzz-smoke: fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

demo: deps build
	@$(BUILD_DIR)/bin/appsignals-mcp demo

bench: deps build
	@bench/run.sh

clean:
	@rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
