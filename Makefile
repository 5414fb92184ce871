# anomalyflow — the two commands of the README are `make run-all` and `make test`.
# Both begin with `make setup`: find a JDK >= 21, install nats-server when it is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN       ?= mvn
MVN_FLAGS ?= -B -ntp -Dstyle.color=never
JDK        = $(shell scripts/find-jdk.sh)
MAVEN      = JAVA_HOME="$(JDK)" PATH="$(JDK)/bin:$$PATH" $(MVN) $(MVN_FLAGS)

.PHONY: help setup setup-test build test run-all run-cluster bench soak clean check-jdk workshop workshop-reset workshop-run

help:
	@echo "make run-all   build, start NATS + gateway + client + sender page, send a first load"
	@echo "make run-cluster  the same scaled out: 3-node NATS cluster, 2 gateways, 2 detectors, 2 clients"
	@echo "make test      build and run every test (needs nothing but this Makefile)"
	@echo "make build     build the runnable jars (modules/<app>/target/<app>.jar), no tests"
	@echo "make bench     benchmarks against same-run baselines -> bench/results/latest.md (~6 min; not part of make test)"
	@echo "make soak      long fault and load runs (not part of make test)"
	@echo "make workshop  the hands-on workshop: which steps pass against your code (workshop/README.md)"
	@echo "               make workshop STEP=07: that step's failures, each with its rule and a hint"
	@echo "               make workshop-reset STEP=07: your class of that step back as shipped"
	@echo "make workshop-run  make run-all with your classes serving the page where their step passes, ours elsewhere"
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

# -T 2: two modules at a time (the apps' modules, then workshop, e2e and reliability, are independent):
# most tests wait on nats-server, app processes and sockets, so two cores take two modules' tests
# (about 10 min instead of 15.5). Every test picks its own free port and temporary store.
test: setup-test
	$(MAVEN) -T 2 verify
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

# The workshop (workshop/README.md): the checks of each step run against the learner's classes in
# modules/workshop/src/main/java/io/anomalyflow/workshop, inside one JUnit test (WorkshopRun) that
# writes a report; the test phase is enough (no jars). STEP=07 for one step in detail.
WORKSHOP_REPORT = modules/workshop/target/workshop/report.txt
WORKSHOP_CLASS_05 = PublishAfterAck
WORKSHOP_CLASS_06 = SseWriter
WORKSHOP_CLASS_07 = MapAndFilter
WORKSHOP_CLASS_08 = Multicast
WORKSHOP_CLASS_09 = ExpiringHistoryMap
WORKSHOP_CLASS_10 = DeviceFilter
WORKSHOP_CLASS_11 = DropOldestBuffer
workshop: setup
	@rm -f $(WORKSHOP_REPORT)
	@echo "Checking $(if $(STEP),step $(STEP),every step) against your code (a minute or two)..."
	@$(MAVEN) -q -pl modules/workshop -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=WorkshopRun \
		-Dworkshop.run=$(or $(STEP),all) > modules/workshop/workshop-build.log 2>&1 \
		|| { cat modules/workshop/workshop-build.log | grep -E 'ERROR|error:' | head -n 30; \
		     echo "The build failed (does your code compile? full log: modules/workshop/workshop-build.log)"; exit 1; }
	@rm -f modules/workshop/workshop-build.log
	@cat $(WORKSHOP_REPORT)

# make workshop-run: the steps' checks first (make workshop writes the passing ones to
# $(WORKSHOP_PASSING)), then the jars, then run-all with the workshop's client, which plugs in the
# learner's class of each passing step and keeps ours for the rest.
WORKSHOP_PASSING = modules/workshop/target/workshop/passing.txt
workshop-run: setup
	@rm -f $(WORKSHOP_PASSING)
	@$(MAKE) --no-print-directory workshop STEP=
	@$(MAKE) --no-print-directory build
	@WORKSHOP_STEPS="$$(cat $(WORKSHOP_PASSING))" scripts/run-all.sh

workshop-reset:
	@test -n "$(WORKSHOP_CLASS_$(STEP))" || { echo "usage: make workshop-reset STEP=05 (05 to 11)"; exit 2; }
	cp modules/workshop/src/pristine/java/io/anomalyflow/workshop/$(WORKSHOP_CLASS_$(STEP)).java \
		modules/workshop/src/main/java/io/anomalyflow/workshop/$(WORKSHOP_CLASS_$(STEP)).java

clean:
	@jdk=$$(scripts/find-jdk.sh 2>/dev/null) && JAVA_HOME="$$jdk" $(MVN) $(MVN_FLAGS) -q clean || rm -rf modules/*/target
	rm -rf .data
