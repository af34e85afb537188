# The entry points people type. `make start` runs the box; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := start
# A 1 MB young generation and one V8 helper thread: about 25 MB less resident memory on a
# 512 MB Pi, at no measured cost in throughput (see bench/README.md).
NODE_FLAGS := --max-semi-space-size=1 --v8-pool-size=1

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: install build start test bench test-deps clean
install: node_modules/.installed

build: install
	node scripts/build.mjs

start: build
	node $(NODE_FLAGS) server/dist/main.js

# Debian packages the tests drive (Chromium for the browser test); installs them when root.
test-deps:
	@bash scripts/test-deps.sh

test: install test-deps build
	node scripts/test.mjs

bench: build
	node bench/run.mjs

clean:
	rm -rf server/dist web/dist .tap
