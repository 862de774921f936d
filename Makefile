# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a building block.
SHELL := /bin/bash
.DEFAULT_GOAL := help

BUILD_DIR ?= build
TEST_BUILD_DIR ?= build-asan
CMAKE_GENERATOR ?= Ninja

.PHONY: help bootstrap build build-test test test-only demo lint format services-start services-stop bench eval fuzz chaos clean \
	bench-graphql loadtest

help:
	@echo "make demo   install what is missing, build, start everything, print the URL and a demo login"
	@echo "make test   install what is missing, build, start private services, run every suite"
	@echo "make build  build/alatar and build/alatar-shopify-sim (optimized, debug info)"
	@echo "make loadtest  500 merchants of mixed traffic against two APIs and two workers (LOADTEST_ARGS=...)"

bootstrap:
	@scripts/bootstrap

build: bootstrap
	cmake -S . -B $(BUILD_DIR) -G $(CMAKE_GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DALATAR_BUILD_TESTS=OFF
	cmake --build $(BUILD_DIR)
	npm --prefix web run build --silent

# The sanitizer (ASan + UBSan) tree the suites run in; warnings are errors here.
build-test: bootstrap
	cmake -S . -B $(TEST_BUILD_DIR) -G $(CMAKE_GENERATOR) -DCMAKE_BUILD_TYPE=Debug -DALATAR_WERROR=ON \
	  "-DALATAR_SANITIZE=address;undefined" -DALATAR_BUILD_TESTS=ON
	cmake --build $(TEST_BUILD_DIR)

test: build-test
	@scripts/run-tests $(TEST_BUILD_DIR)
	@$(MAKE) --no-print-directory lint

# The agents' fault test at full size: 2,000 requests while workers are SIGKILLed and the broker
# and PostgreSQL restart (make test runs it with 300).
chaos: build-test
	@ALATAR_TEST_FAULT_REQUESTS=$(or $(CHAOS_REQUESTS),2000) scripts/run-tests $(TEST_BUILD_DIR) -R FaultTest

lint:
	@scripts/lint $(TEST_BUILD_DIR)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

demo: build
	@scripts/demo $(BUILD_DIR)

# Every benchmark in one run (scripts/bench): alatar api against Apollo Server and Mercurius on the same database,
# 10,000 WebSocket subscribers, the GraphQL engine against graphql-js, the Shopify sync; each suite writes
# bench/results/<suite>-<date>.md and bench/results/<date>.md gathers them.
bench: bootstrap
	@scripts/bench

# The offline reasoner against ground truth computed independently from the simulator's export
# (scripts/eval; writes bench/results/eval-<date>.md, fails when a target is missed).
eval: bootstrap
	@scripts/eval

# 500 merchants with linked simulator stores, mixed traffic for 120 s against two `alatar api` and two
# `alatar worker` (scripts/loadtest; writes bench/results/loadtest-<date>.md, fails when a goal is missed).
# e.g. make loadtest LOADTEST_ARGS="--merchants 100 --duration 60"
loadtest: bootstrap
	@scripts/loadtest $(LOADTEST_ARGS)

# The GraphQL engine against graphql-js (bench/graphql/run.sh; writes bench/results/graphql-<date>.md).
bench-graphql: bootstrap
	@bench/graphql/run.sh

# The GraphQL engine's libFuzzer targets for FUZZ_SECONDS each (default 60; clang, ASan + UBSan).
fuzz: bootstrap
	@scripts/fuzz $(or $(FUZZ_SECONDS),60)

services-start:
	@scripts/services start

services-stop:
	@scripts/services stop

clean:
	rm -rf $(BUILD_DIR) $(TEST_BUILD_DIR) build-*
