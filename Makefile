# GlucoPlay. The quick start is `make run` and `make test`; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

BUILD_DIR   ?= build
RELEASE_DIR := $(BUILD_DIR)/release
TEST_DIR    := $(BUILD_DIR)/test
# make test SANITIZE=address,undefined  builds the test binaries with ASan+UBSan.
SANITIZE    ?=
# Warnings are errors in CI.
WERROR      ?= $(if $(CI),ON,OFF)
CMAKE_FLAGS := -G Ninja -DGLUCOPLAY_WERROR=$(WERROR)
SERVER_BIN  := $(RELEASE_DIR)/server/glucoplay
TEST_BIN    := $(TEST_DIR)/server/glucoplay
# make fuzz: libFuzzer targets built with clang-14 (ASan+UBSan), FUZZ_SECONDS each.
FUZZ_DIR    := $(BUILD_DIR)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := http_request clarity_csv nightscout_json jwt static_path
# make test-tsan: the API tests against the server built under ThreadSanitizer.
TSAN_DIR    := $(BUILD_DIR)/tsan

.PHONY: help run build deps deps-test deps-bench deps-deploy deps-fuzz server server-test web web-deps db test test-server test-server-postgres test-server-postgres-only test-web test-e2e test-tsan test-deploy deploy-checks test-deploy-if-installable fuzz bench bench-build bench-import soak format format-check clean

help:
	@echo "make run     install what is missing, build, initialise var/glucoplay.db, serve :8520 (API) and :4887 (UI)"
	@echo "make test    build with tests and run every suite (C++ unit + API on SQLite and on PostgreSQL, web unit, browser e2e)"
	@echo "make build   build the server (Release) and the web UI without running"
	@echo "make test-deploy  nginx + TLS + two instances on PostgreSQL on loopback, and static checks of deploy/"
	@echo "make bench   the load benchmark (issue 9; QUICK=1 for a short run, POSTGRES=1 on PostgreSQL 15); see docs/performance.md"
	@echo "make format  clang-format the C++ sources"
	@echo "make soak    5-minute soak with 500 connections (SOAK_SECONDS to change)"
	@echo "make fuzz    build the libFuzzer targets (clang-14) and run each for FUZZ_SECONDS (60)"
	@echo "make test-tsan  the API tests against a ThreadSanitizer build of the server"

deps:
	@scripts/install-deps

deps-test:
	@scripts/install-deps --test

deps-deploy:
	@scripts/install-deps --deploy

deps-bench:
	@scripts/install-deps --bench

deps-fuzz:
	@scripts/install-deps --fuzz

server: deps
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Release -DGLUCOPLAY_BUILD_TESTS=OFF
	cmake --build $(RELEASE_DIR)

web: deps
	cd web && npm run build

build: server web

db: server
	scripts/db_init

run: build db
	exec $(SERVER_BIN) serve

server-test: deps-test
	cmake -S . -B $(TEST_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLUCOPLAY_BUILD_TESTS=ON \
	  -DGLUCOPLAY_SANITIZE=$(SANITIZE)
	cmake --build $(TEST_DIR)

# clang-format over the C++ sources (a formatting slip fails the run), the C++ unit tests and the
# API suite on SQLite, then the API suite again on PostgreSQL 15 in a throwaway cluster
# (scripts/pg-test-cluster: installed if missing, removed afterwards).
test-server: server-test
	@$(MAKE) --no-print-directory format-check
	cd $(TEST_DIR) && ctest --output-on-failure -j2 -LE postgres
	$(MAKE) --no-print-directory test-server-postgres-only

# Only the PostgreSQL run (ctest label `postgres`).
test-server-postgres: server-test
	$(MAKE) --no-print-directory test-server-postgres-only

test-server-postgres-only:
	scripts/pg-test-cluster run bash -c 'cd $(TEST_DIR) && ctest --output-on-failure -j2 -L postgres'

test-web: deps-test
	cd web && npm test

test-e2e: server-test web
	cd web && npm run size
	cd web && GLUCOPLAY_BIN=$(abspath $(TEST_BIN)) npm run e2e

# The deployment (deploy/): static checks that the Dockerfile, docker-compose.yml and .env.example
# match the code, then nginx with deploy/nginx/glucoplay.conf, TLS and two instances on loopback.
test-deploy: server-test web
	@$(MAKE) --no-print-directory deploy-checks

# The checks alone, on what is already built (`make test` built it for test-e2e). The instances
# share PostgreSQL as docker-compose.yml deploys them (a fresh database in a throwaway cluster, so
# the stream-on-A / score-through-B check runs); DEPLOY_DB=sqlite runs them on one SQLite file.
DEPLOY_DB ?= postgres
deploy-checks: deps-deploy
	python3 deploy/tests/check_static.py $(TEST_BIN)
ifeq ($(DEPLOY_DB),sqlite)
	GLUCOPLAY_BIN=$(abspath $(TEST_BIN)) deploy/tests/deploy_test.sh
else
	scripts/pg-test-cluster run env GLUCOPLAY_BIN=$(abspath $(TEST_BIN)) DEPLOY_TEST_DATABASE=cluster \
	  deploy/tests/deploy_test.sh
endif

# Part of `make test` where nginx and friends are installed or installable (root, or CI); skipped
# with a note otherwise.
DEPLOY_TOOLS_PRESENT = command -v nginx && command -v openssl && command -v curl && command -v envsubst \
  && python3 -c 'import yaml'
test-deploy-if-installable: server-test web
	@if [ -n "$(CI)" ] || [ "$$(id -u)" = 0 ] || { $(DEPLOY_TOOLS_PRESENT); } >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory deploy-checks; \
	else \
	  echo "make test: SKIPPED test-deploy (needs nginx, openssl, curl, envsubst, python3-yaml:" \
	       "sudo scripts/install-deps --deploy)"; \
	fi

# The server binary built under ThreadSanitizer, and the API tests (built by `make test`, in
# $(TEST_DIR)) run against it through GLUCOPLAY_TEST_SERVER_BIN, on SQLite and then on PostgreSQL
# (whose instances run the event listener and sender threads): the server is the multi-threaded
# program under test, so only it needs TSan, and CI compiles the code once more instead of twice.
# Reports go to files (the tests stop servers with signals, so their stderr is not always shown):
# any report fails the target and is printed.
TSAN_OPTIONS_RUN = halt_on_error=0 second_deadlock_stack=1 history_size=4 \
  log_path=$(abspath $(TSAN_DIR))/tsan-reports/tsan suppressions=$(abspath server/tests/tsan.supp)
test-tsan: server-test
	cmake -S . -B $(TSAN_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLUCOPLAY_BUILD_TESTS=OFF \
	  -DGLUCOPLAY_SANITIZE=thread
	cmake --build $(TSAN_DIR) --target glucoplay
	rm -rf $(TSAN_DIR)/tsan-reports && mkdir -p $(TSAN_DIR)/tsan-reports
	cd $(TEST_DIR) && GLUCOPLAY_TEST_SERVER_BIN=$(abspath $(TSAN_DIR))/server/glucoplay \
	  TSAN_OPTIONS="$(TSAN_OPTIONS_RUN)" ctest -L api --output-on-failure -j2
	scripts/pg-test-cluster run env GLUCOPLAY_TEST_SERVER_BIN=$(abspath $(TSAN_DIR))/server/glucoplay \
	  TSAN_OPTIONS="$(TSAN_OPTIONS_RUN)" bash -c 'cd $(TEST_DIR) && ctest -L postgres --output-on-failure -j2'
	@if compgen -G '$(TSAN_DIR)/tsan-reports/tsan*' >/dev/null; then \
	  cat $(TSAN_DIR)/tsan-reports/tsan*; echo "make test-tsan: ThreadSanitizer reports above" >&2; exit 1; fi
	@echo "make test-tsan: no ThreadSanitizer reports"

# libFuzzer (clang-14, ASan+UBSan) over each target for FUZZ_SECONDS; see server/tests/fuzz/.
fuzz: deps-fuzz
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DGLUCOPLAY_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DGLUCOPLAY_BUILD_TESTS=ON -DGLUCOPLAY_FUZZ=ON \
	  -DGLUCOPLAY_SANITIZE=address,undefined
	cmake --build $(FUZZ_DIR) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	FUZZ_SECONDS=$(FUZZ_SECONDS) server/tests/fuzz/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_TARGETS)

# Every suite; stops at the first failing one with a non-zero exit.
test: test-server test-web test-e2e test-deploy-if-installable
	@echo "make test: all suites passed"

# The load benchmark (issue 9): Release server + data seeder, the web UI (for the racing game's
# frame-time check), then bench/run.sh. QUICK=1: a tenth of the data and short runs (about a
# minute once built). POSTGRES=1: the same scenarios on PostgreSQL 15 in a throwaway cluster
# (scripts/pg-test-cluster: installed if missing, removed afterwards), restarted with production
# settings (fsync and synchronous_commit on) and pinned to the server's CPU; C* is SQLite-only.
QUICK    ?= 0
POSTGRES ?= 0
bench-build: deps-bench
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Release -DGLUCOPLAY_BUILD_TESTS=OFF \
	  -DGLUCOPLAY_BUILD_BENCH=ON
	nice -n 10 cmake --build $(RELEASE_DIR) --target glucoplay glucoplay-bench-seed
	cd web && npm run build

bench: bench-build
	QUICK=$(QUICK) bench/run.sh $(if $(filter 1,$(POSTGRES)),--postgres,)

# A 90-day Clarity import through `glucoplay import-cgm` (issue 6: under 2 s).
bench-import: server
	bench/import-cgm.sh

# A bounded soak (default 5 minutes, SOAK_SECONDS to change) of 500 connections: mixed workload,
# slowloris and vanishing clients; health p99, RSS, descriptors and errors (docs/reliability.md).
soak: server
	@scripts/install-deps --bench
	bench/soak.sh

format:
	find server -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

format-check:
	find server -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) web/dist
