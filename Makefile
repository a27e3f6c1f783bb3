# booking — PGXS build, unit tests of the core, fuzzing.
#
#   make && make install     build and install the extension
#   make unit                core unit tests with ASan + UBSan (no server)
#   make fuzz FUZZ_SECONDS=N run every libFuzzer target for N seconds each
#   make installcheck        pg_regress suites against a running server
#   test/run.sh              everything, on a private cluster (the README's test command)

EXTENSION   = booking
MODULE_big  = booking
DATA        = booking--1.0.sql booking--1.1.sql booking--1.0--1.1.sql
PGFILEDESC  = "booking - Step Functions workflows inside PostgreSQL"

CORE_DIRS   = src/core src/core/asl src/core/ddb src/core/jsonata
CORE_SRCS   = $(sort $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c)))
CORE_HDRS   = $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.h))
HOST_SRCS   = $(sort $(wildcard src/*.c))
OBJS        = $(HOST_SRCS:.c=.o) $(CORE_SRCS:.c=.o)

CORE_CFLAGS := $(shell pkg-config --cflags json-c)
CORE_LIBS   := $(shell pkg-config --libs json-c)
# the core's libraries: json-c, PCRE2 (JSONata's regular expressions), libcrypto
CORE_CFLAGS += $(shell pkg-config --cflags libpcre2-8)
CORE_LIBS   += $(shell pkg-config --libs libpcre2-8)

# core files name the shared helpers (strbuf.h, error.h, …) from src/core
PG_CPPFLAGS = -I$(srcdir)/src -I$(srcdir)/src/core $(CORE_CFLAGS)

# -Bsymbolic: the module's own calls bind to its own functions, never to a
# same-named symbol the server exports (the core's names are not prefixed pg_*)
SHLIB_LINK  = $(CORE_LIBS) -lcrypto -Wl,-Bsymbolic -Wl,--version-script=build/exports.map

# pg_regress suites, in order (sql/NAME.sql, expected/NAME.out)
REGRESS     = setup validate state_machines memory sync test_state conformance executions dynamodb tasks booking_app scheduling jsonata
REGRESS_OPTS = --inputdir=. --load-extension=booking
# isolation specs (specs/NAME.spec, expected/NAME.out), run by make installcheck too
ISOLATION   = tick_race start_same_name stop_vs_tick answer_race map_siblings_race
ISOLATION_OPTS = --inputdir=. --load-extension=booking

EXTRA_CLEAN = build

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Only what PostgreSQL looks up leaves the module (PostgreSQL 15 marks none of
# it for us): Pg_magic_func, _PG_init, the timer worker's main, and each SQL
# entry point with its pg_finfo_ record, read from the PG_FUNCTION_INFO_V1 lines.
# Generic core names (peek, enter, step_*) stay out of the server's symbol space.
build/exports.map: $(HOST_SRCS)
	@mkdir -p build
	{ echo '{ global: Pg_magic_func; _PG_init; booking_timer_main;'; \
	  sed -n 's/^PG_FUNCTION_INFO_V1(\([a-z_0-9]*\));$$/\1; pg_finfo_\1;/p' $(HOST_SRCS); \
	  echo 'local: *; };'; } >$@

$(shlib): build/exports.map

# PGXS tracks no header dependencies: a changed struct must rebuild every object
$(OBJS): $(wildcard src/*.h) $(CORE_HDRS)

# ---- core unit tests: no server, sanitizers on ----
UNIT_CC      ?= cc
UNIT_CFLAGS  = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all \
               -Wall -Wextra -Wmissing-prototypes -Wdeclaration-after-statement -Werror \
               -Isrc -Isrc/core $(CORE_CFLAGS)
UNIT_TESTS   = $(patsubst test/unit/%.c,build/unit/%,$(sort $(wildcard test/unit/test_*.c)))

# the core is compiled once (sanitized) into a static library every test links
UNIT_CORE_OBJS = $(patsubst src/core/%.c,build/unit/core/%.o,$(CORE_SRCS))

build/unit/core/%.o: src/core/%.c $(CORE_HDRS)
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

build/unit/libcore.a: $(UNIT_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

build/unit/%: test/unit/%.c test/unit/unit.h build/unit/libcore.a
	@mkdir -p build/unit
	$(UNIT_CC) $(UNIT_CFLAGS) $< build/unit/libcore.a -o $@ $(CORE_LIBS) -lcrypto -lm

.PRECIOUS: build/unit/core/%.o
.PHONY: unit fuzz fuzz-build
# the JSONata conformance suite (shared/ beside the checkout, as in CI)
BOOKING_JSONATA_SUITE ?= ../shared/jsonata/suite.jsonl
export BOOKING_JSONATA_SUITE

unit: $(UNIT_TESTS)
	@status=0; for t in $(UNIT_TESTS); do \
		BOOKING_DEFINITIONS_DIR=test/definitions ./$$t || status=1; \
	done; exit $$status

# ---- libFuzzer targets (clang) ----
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -D_GNU_SOURCE -Isrc -Isrc/core $(CORE_CFLAGS)
FUZZ_TARGETS  = $(patsubst test/fuzz/%.c,build/fuzz/%,$(sort $(wildcard test/fuzz/fuzz_*.c)))

build/fuzz/%: test/fuzz/%.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) $< $(CORE_SRCS) -o $@ $(CORE_LIBS) -lcrypto -lm

fuzz-build: $(FUZZ_TARGETS)

fuzz: $(FUZZ_TARGETS)
	@test/fuzz/seed-corpus.sh build/fuzz/corpus
	@status=0; for t in $(FUZZ_TARGETS); do \
		name=$$(basename $$t); mkdir -p build/fuzz/work/$$name; \
		echo "fuzzing $$name for $(FUZZ_SECONDS)s"; \
		./$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=build/fuzz/ -print_final_stats=1 \
			build/fuzz/work/$$name build/fuzz/corpus/$$name >build/fuzz/$$name.log 2>&1 \
			|| { status=1; echo "$$name FOUND A PROBLEM (see build/fuzz/$$name.log)"; tail -40 build/fuzz/$$name.log; }; \
	done; exit $$status
