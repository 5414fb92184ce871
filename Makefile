# anomalyflow — the two commands of the README are `make run-all` and `make test`.
# Both begin with `make setup`: find a JDK >= 21, install nats-server when it is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN       ?= mvn
MVN_FLAGS ?= -B -ntp -Dstyle.color=never
JDK        = $(shell scripts/find-jdk.sh)
MAVEN      = JAVA_HOME="$(JDK)" PATH="$(JDK)/bin:$$PATH" $(MVN) $(MVN_FLAGS)

.PHONY: help setup setup-test build test run-all run-cluster bench soak clean check-jdk

help:
	@echo "make run-all   build, start NATS + gateway + client + sender page, send a first load"
	@echo "make run-cluster  the same scaled out: 3-node NATS cluster, 2 gateways, 2 detectors, 2 clients"
	@echo "make test      build and run every test (needs nothing but this Makefile)"
	@echo "make build     build the runnable jars (modules/<app>/target/<app>.jar), no tests"
	@echo "make bench     benchmarks against same-run baselines -> bench/results/latest.md (~6 min; not part of make test)"
	@echo "make soak      long fault and load runs (not part of make test)"
	@echo "make clean     remove build output and the local NATS store .data/"

check-jdk:
	@jdk=$$(scripts/find-jdk.sh) || exit 1; echo "JDK: $$jdk ($$("$$jdk/bin/java" -version 2>&1 | head -n 1))"

setup: check-jdk
	@scripts/ensure-tool.sh NATS_SERVER nats-server nats-server /usr/sbin/nats-server /usr/local/bin/nats-server

# The tests also drive the client's and the sender's pages in a headless browser. When chromium
# cannot be installed, setup-test warns and goes on; the page tests are then reported as skipped
# (JUnit assumptions), and make test repeats the warning at its end.
CHROMIUM_TOOL = CHROMIUM chromium chromium chromium-browser google-chrome
setup-test: setup
	@scripts/ensure-tool.sh --optional $(CHROMIUM_TOOL)

build: setup
	$(MAVEN) -DskipTests package

test: setup-test
	$(MAVEN) verify
	@scripts/ensure-tool.sh --optional --no-install $(CHROMIUM_TOOL)

run-all: build
	@scripts/run-all.sh

run-cluster: build
	@scripts/run-cluster.sh

# bench: build the jars (benchmarks.jar included), then JMH + the system harness, < 10 min in all.
# BENCH_ARGS="--quick" for a smoke run, or "toolkit" / "system" for one part (see bench/run.sh).
bench: build
	@bench/run.sh $(BENCH_ARGS)

# The long variants of the reliability suite (JUnit tag "soak"): minutes each, a fault at a time, real
# nats-server, real apps, real sockets. One case: make soak SOAK=ClusterFailoverTest
SOAK         ?= io.anomalyflow.reliability.**
SOAK_RESULTS  = modules/reliability/target/reliability-results/soak.md
soak: setup
	rm -f $(SOAK_RESULTS)
	$(MAVEN) -pl modules/reliability -am verify -Dsurefire.failIfNoSpecifiedTests=false '-Dtest=$(SOAK)' \
		-Dreliability.groups=soak -Dreliability.excludedGroups=
	@echo "Results ($(SOAK_RESULTS)): case | load | faults | acknowledged | lost | duplicates | notes"
	@cat $(SOAK_RESULTS)

clean:
	@jdk=$$(scripts/find-jdk.sh 2>/dev/null) && JAVA_HOME="$$jdk" $(MVN) $(MVN_FLAGS) -q clean || rm -rf modules/*/target
	rm -rf .data
