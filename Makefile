# The two commands of the README: `make run` and `make test`. Everything else is a helper.
# Both install missing Debian packages first (apt-get; as root, or with sudo). Node.js and npm
# count as present when their commands are (a Node.js built elsewhere ships npm inside it, and
# Debian's npm package would conflict with it).

DEPS := $(shell cat packaging/debian-deps.txt)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
JOBS ?= 2

.PHONY: all deps build run test check test-dev test-asan test-coverage test-fuzz bench format tidy clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do \
	  case $$p in nodejs) command -v node >/dev/null && continue;; \
	              npm) command -v npm >/dev/null && continue;; esac; \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

# The web app on http://127.0.0.1:8080 (Ctrl+C stops it); `hipcoach --help` lists the rest.
run: build
	./build/dev/src/cli/hipcoach serve

# Every test: the release build's suites, the core again under ASan/UBSan, branch coverage of the
# triage and red-flag code, and the fuzz corpora replayed.
test: deps
	scripts/test.sh

# The fast set for daily work (docs/testing.md): the core, tracking, storage (both back ends),
# command-line and web-library suites of the dev build; no browser, FHIR validator, fuzzing or
# sanitizers. `make test` runs everything.
check: build
	ctest --preset dev -j $(JOBS) -L 'core|tracking|store|cli|unit|scripts' -LE 'e2e|security'

test-dev: build
	ctest --preset dev -j $(JOBS)

bench: build
	./build/dev/bench/hipcoach_bench

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: deps
	cmake --preset tidy >/dev/null && cmake --build --preset tidy -j $(JOBS)

clean:
	rm -rf build
