# Solent: the two set-up commands are `make demo` and `make test`.
# Everything builds in build/ (CMake); this file only drives it.

BUILD    ?= build
ASAN     ?= build-asan
DEMO_DB  ?= $(BUILD)/demo-index
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps build demo test asan test-asan bench bench-deps clean

all: build

deps:
	@./scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# Ingest and index corpus/ into a fresh demo index, then search it twice.
demo: build
	rm -rf $(DEMO_DB)
	$(BUILD)/solent add --db $(DEMO_DB) corpus || test $$? -eq 1
	@echo
	@echo '$$ solent search --db $(DEMO_DB) "children'"'"'s services"'
	@$(BUILD)/solent search --db $(DEMO_DB) --limit 5 "children's services"
	@echo '$$ solent search --db $(DEMO_DB) "school transport" --facet org'
	@$(BUILD)/solent search --db $(DEMO_DB) --limit 3 --facet org "school transport"

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DSOLENT_SANITIZE=ON
	cmake --build $(ASAN) -j$(JOBS)

test-asan: asan
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN) --output-on-failure -j$(JOBS)

bench-deps:
	@./scripts/install-deps --bench

bench: build bench-deps
	bench/run

clean:
	rm -rf $(BUILD) $(ASAN)
