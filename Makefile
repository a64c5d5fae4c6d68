# dcmconnect — see README.md. `make run` starts the demo, `make test` runs everything.
GO ?= go
PKGS := ./...
BIN := bin/dcmconnect
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run test test-race build bench bench-compare fmt vet lint unit browser fuzz jstest

run:
	$(GO) run ./cmd/dcmconnect demo

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/dcmconnect

# test = formatting, vet, the pages' JavaScript unit tests, the race-enabled
# unit suite and the browser tests (the browser tests skip themselves only
# when DCM_SKIP_BROWSER=1).
# The browser tests run without the race detector, beside the race-enabled
# run of everything else (cmd/dcmconnect's other tests included): under it
# their Go side (the demo's server and fakes behind the pages) cost about
# 38 against 13 CPU-s, while what they test is the pages; the server's
# concurrency is the race-enabled package tests' job. `make test-race` runs
# the browser tests under the race detector too.
# A race-enabled test binary sleeps 1 s before it exits (so that reports from
# other threads get printed); the testing package already fails the test that
# raced, so that second is dropped for each of the ~20 binaries. lint has run
# the whole of go vet, so go test does not run its subset again.
# The race-enabled binaries run at GOGC=400 unless GOGC is set: the race
# detector makes every collection dear and the heaps are small; their runs
# took 17.6-18.1 CPU-s against 20.8-21.9 at GOGC=100 (200 and 800 no
# better), at most 0.55 against 0.39 GB for one binary.
# scripts/gotest.sh is go test -count=1 -timeout 15m that keeps the linked
# test binaries in .cache/test/, so only those whose packages changed are
# linked again (linking all the race-enabled ones took about 15 CPU-s).
# lint runs beside go test, at a lower priority: the browser tests wait on
# Chromium and the fakes and leave a core idle for much of their run, which
# vet and the Windows build fill. A failure of any of the three fails test;
# the browser tests' output and lint's come after the race-enabled run's.
test: jstest
	@lintout=$$(mktemp); browserout=$$(mktemp); \
	nice -n 10 $(MAKE) --no-print-directory lint >"$$lintout" 2>&1 & lint=$$!; \
	GO=$(GO) scripts/gotest.sh ./cmd/dcmconnect/ >"$$browserout" 2>&1 & browser=$$!; \
	DCM_SKIP_BROWSER=1 GORACE="$${GORACE:-atexit_sleep_ms=0}" GOGC="$${GOGC:-400}" GO=$(GO) scripts/gotest.sh -race $(PKGS); rc=$$?; \
	wait $$browser || rc=1; echo "browser tests (cmd/dcmconnect, no race detector):"; cat "$$browserout"; \
	wait $$lint || rc=1; cat "$$lintout"; rm -f "$$lintout" "$$browserout"; exit $$rc

# test-race is test with the browser tests under the race detector as well.
test-race: jstest lint
	GORACE="$${GORACE:-atexit_sleep_ms=0}" GOGC="$${GOGC:-400}" GO=$(GO) scripts/gotest.sh -race $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@# The Windows service code must keep compiling: go list -export compiles
	@# every package for Windows, as go build would, but links nothing (go build
	@# linked the five commands, links it does not cache: about 6 CPU-s a run).
	GOOS=windows $(GO) list -export -f '' ./... >/dev/null

# jstest runs the unit tests of the pages' pure functions (Node's own runner).
jstest:
	node --test web/jstest/

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 $(PKGS)

# bench-compare sets dcmconnect beside nginx and bare Go anchors (net/http
# with dcmconnect's own bytes, httputil.ReverseProxy) with wrk on loopback:
# the static page (full, gzip, 304) and the ExecuteRule proxy at 20 ms and
# 0 ms upstream latency (interleaved runs, medians, about 4 minutes;
# WHAT=static or WHAT=proxy for one part; see bench/compare.sh).
bench-compare:
	bench/compare.sh

# fuzz runs every Go fuzz target for FUZZTIME each (make test already runs
# their committed seed corpora under testdata/fuzz as ordinary tests).
FUZZTIME ?= 30s
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done
