# appsignals-mcp: the entry points others rely on.
#   make deps   install the Debian packages and the npm test clients (idempotent, quiet when done)
#   make build  release build; binaries in build/bin/
#   make test   everything: unit, integration and end-to-end tests (official MCP clients)
#   make demo   run the server against the built-in sample AWS account
#   make bench  speed and memory, side by side with reference servers
SHELL := /bin/bash
.DEFAULT_GOAL := build
JOBS ?= $(shell nproc)
BUILD_DIR := build
E2E_DIR := tests/e2e

APT_PACKAGES := g++ cmake ninja-build pkg-config \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libssl-dev libcurl4-openssl-dev libpugixml-dev libspdlog-dev libfmt-dev libcli11-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  nodejs curl nginx-light wrk openssl procps

.PHONY: deps deps-apt deps-npm build test unit demo bench clean

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

demo: deps build
	@$(BUILD_DIR)/bin/appsignals-mcp demo

bench: deps build
	@bench/run.sh

clean:
	@rm -rf $(BUILD_DIR)
