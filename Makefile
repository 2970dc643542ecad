# Makefile — builds backbench, its tests, benchmarks and fuzz targets.
#
#   make            ./backbench (optimised; build/rel)
#   make test       sanitizer build (ASan + UBSan, build/asan) and every test
#   make bench      benchmarks (build/rel), ratios against named references
#   make fuzz       libFuzzer targets with clang (build/fuzz)
#   make demo       the whole benchmark against the built-in simulator
#   make setup      install missing Debian packages (scripts/setup.sh)
#
# Knobs: OPT= (optimisation flags), SANITIZE= (extra -fsanitize list),
# CC=, V=1 (echo commands), FUZZ_SECONDS= (per target, for fuzz-run).
# Sources are found by wildcard: every src/*/*.c is part of the library, every
# tests/unit/test_*.c is one test program, tests/fuzz/fuzz_*.c one fuzz
# target, tests/bench/bench_*.c one benchmark program.

CC ?= cc
OPT ?= -O2 -g
BUILD ?= build/rel
SANITIZE ?=
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

WARN := -std=c11 -Wall -Wextra -Wshadow -Wwrite-strings -Wmissing-prototypes \
        -Wstrict-prototypes -Wformat=2 -Werror
DEFS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 \
        -DBB_GIT_REV=\"$(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)\"
SANFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined,)
CFLAGS_ALL := $(WARN) $(DEFS) $(OPT) $(SANFLAGS) $(EXTRA_CFLAGS) -Isrc -I$(BUILD)/gen -MMD -MP
LIBS := -lcurl -ljansson -lsqlite3 -lpcre2-8 -lmicrohttpd -lpthread -lm

LIB_SRC := $(sort $(wildcard src/*/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/embed.o
MAIN_OBJ := $(BUILD)/obj/main.o
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_HELP_SRC := $(sort $(wildcard tests/unit/helper_*.c))
TEST_HELP_OBJ := $(patsubst tests/unit/%.c,$(BUILD)/obj/tests/%.o,$(TEST_HELP_SRC))
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
EMBED_FILES := $(sort $(wildcard schemas/*.json prompts/*.md models/*.json \
                 projects/*/*.md projects/*/*.json projects/*/gold/*.json projects/*/gold/*/*.json \
                 projects/*/gold/*/*.txt))

.PHONY: all test test-build bench bench-build fuzz fuzz-run demo setup clean oracles
all: backbench

backbench: $(BUILD)/backbench
	$(Q)cp $< $@

$(BUILD)/backbench: $(MAIN_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O1 -o $@ $<

$(BUILD)/gen/embed.c: $(BUILD)/tools/embed $(EMBED_FILES) Makefile
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/tools/embed $@ $(EMBED_FILES)

$(BUILD)/obj/gen/embed.o: $(BUILD)/gen/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(TEST_HELP_OBJ)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  TEST $@")
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $^ $(LIBS) -lcmocka

$(BUILD)/bench/%: tests/bench/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS)

# ---- tests: sanitizer build, then the runner -------------------------------
test-build: $(BUILD)/backbench $(TEST_BIN)

test:
	$(Q)BB_SETUP_EXTRA=1 ./scripts/setup.sh
	$(Q)./scripts/oracles.sh
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g" \
	    SANITIZE=address,undefined EXTRA_CFLAGS=-DBB_TESTING test-build
	$(Q)$(MAKE) --no-print-directory BUILD=build/rel build/rel/backbench
	$(Q)BB_REL_BIN=$(CURDIR)/build/rel/backbench ./tests/run.sh build/asan

# ---- benchmarks --------------------------------------------------------------
bench-build: $(BUILD)/backbench $(BENCH_BIN)

bench:
	$(Q)./scripts/setup.sh
	$(Q)$(MAKE) --no-print-directory BUILD=build/rel bench-build
	$(Q)./tests/bench/run.sh build/rel

# ---- fuzzing ----------------------------------------------------------------
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
fuzz:
	$(Q)$(MAKE) --no-print-directory BUILD=build/fuzz-lib CC=clang OPT="-O1 -g" \
	    SANITIZE=address,undefined EXTRA_CFLAGS="-DBB_TESTING -DBB_FUZZING -fsanitize=fuzzer-no-link" \
	    build/fuzz-lib/obj/gen/embed.o $(patsubst src/%.c,build/fuzz-lib/obj/%.o,$(LIB_SRC))
	$(Q)for f in $(FUZZ_SRC); do \
	    n=$$(basename $$f .c); echo "  FUZZ build/fuzz/$$n"; mkdir -p build/fuzz; \
	    clang $(WARN) $(DEFS) -O1 -g -DBB_TESTING -DBB_FUZZING -Isrc -Ibuild/fuzz-lib/gen \
	      -fsanitize=fuzzer,address,undefined -o build/fuzz/$$n $$f \
	      $(patsubst src/%.c,build/fuzz-lib/obj/%.o,$(LIB_SRC)) build/fuzz-lib/obj/gen/embed.o $(LIBS) || exit 1; \
	done

FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	$(Q)./tests/fuzz/run.sh $(FUZZ_SECONDS)

# ---- the main job -------------------------------------------------------------
demo:
	$(Q)./scripts/setup.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./scripts/demo.sh

setup:
	$(Q)./scripts/setup.sh

oracles:
	$(Q)./scripts/oracles.sh

clean:
	rm -rf build backbench

-include $(shell find build -name '*.d' 2>/dev/null)
