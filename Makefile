# booking — PGXS build, unit tests of the core, fuzzing, mutants.
#
#   make && make install     build and install the extension
#   make unit                core unit tests with ASan + UBSan (no server)
#   make fuzz FUZZ_SECONDS=N run every libFuzzer target for N seconds each
#   make installcheck        pg_regress suites and isolation specs, each on a
#                            temporary instance preloading booking (run it as a
#                            user PostgreSQL accepts, not root: test/run.sh does)
#   make mutants             deliberate faults, each of which a test must catch
#   make strict              host and core with -Wall -Wextra -Werror, then with
#                            -DUSE_ASSERT_CHECKING (into build/strict, not installed)
#   test/run.sh              everything (the README's test command)

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
REGRESS     = setup validate state_machines memory sync test_state conformance executions dynamodb tasks booking_app scheduling writeback limits retries entered_event bounded history_limit security sfn_api sfn_api_details shard_key plans machine_rows jsonata jsonata_values jsonata_conformance jsonata_tasks
# isolation specs (test/isolation/specs/NAME.spec, test/isolation/expected/NAME.out)
ISOLATION   = tick_race start_same_name stop_vs_tick answer_race map_siblings_race machine_rows

# Each runs on a temporary instance of its own (pg_cron's way): initdb, the
# configuration in REGRESS_DIR/regress.conf (booking preloaded, loaded from
# BOOKING_DESTDIR when set), then the suites; nothing needs a running server.
# REGRESS_DIR holds the instances and results (its user must be able to write
# it: test/run.sh points it at a directory of the postgres user's);
# REGRESS_PORT shifts with BOOKING_PORT_OFFSET so checkouts test side by side.
REGRESS_DIR  ?= build/regress
REGRESS_PORT ?= $(shell echo $$((56000 + $${BOOKING_PORT_OFFSET:-0})))
REGRESS_CONF  = $(abspath $(REGRESS_DIR))/regress.conf
REGRESS_OPTS  = --inputdir=. --load-extension=booking \
                --temp-instance=$(REGRESS_DIR)/instance --temp-config=$(REGRESS_CONF) \
                --port=$(REGRESS_PORT) --outputdir=$(REGRESS_DIR)
ISOLATION_OPTS = --inputdir=test/isolation --load-extension=booking \
                --temp-instance=$(REGRESS_DIR)/instance_iso --temp-config=$(REGRESS_CONF) \
                --port=$(REGRESS_PORT) --outputdir=$(REGRESS_DIR)/isolation
REGRESS_PREP  = $(REGRESS_CONF)

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

# the temporary instances' configuration, rewritten each run so it follows
# BOOKING_DESTDIR (Debian's extension_destdir; see test/lib/cluster.sh)
.PHONY: $(REGRESS_CONF)
$(REGRESS_CONF):
	@mkdir -p $(dir $@)
	@{ echo "shared_preload_libraries = 'booking'"; \
	   echo "max_worker_processes = 16"; \
	   echo "log_min_messages = warning"; \
	   if [ -n "$${BOOKING_DESTDIR:-}" ]; then \
	     echo "extension_destdir = '$${BOOKING_DESTDIR}'"; \
	     echo "dynamic_library_path = '$${BOOKING_DESTDIR}$(pkglibdir):\$$libdir'"; \
	   fi; } >$@

# pg_regress and the isolation specs as separate steps (make installcheck runs
# both but stops at the first that fails); REGRESS=name runs one suite
.PHONY: regresscheck isolationcheck
regresscheck: $(REGRESS_PREP)
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
isolationcheck: $(REGRESS_PREP)
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

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

build/unit/%: test/unit/%.c test/unit/unit.h test/unit/unit_diags.h test/unit/jn_run.h test/lib/json_equal.h test/lib/jsonata_applies.h build/unit/libcore.a
	@mkdir -p build/unit
	$(UNIT_CC) $(UNIT_CFLAGS) $< build/unit/libcore.a -o $@ $(CORE_LIBS) -lcrypto -lm

.PRECIOUS: build/unit/core/%.o
# the JSONata conformance suite (shared/ beside the checkout, as in CI)
BOOKING_JSONATA_SUITE ?= $(abspath ../shared/jsonata/suite.jsonl)
export BOOKING_JSONATA_SUITE

.PHONY: unit unit-build fuzz fuzz-build mutants strict
unit-build: $(UNIT_TESTS)

# every program runs, whatever the one before did; test/unit/judge.sh decides
# (exit status 0 and a summary "NAME: N passed, 0 failed" with N > 0)
unit:
	@$(MAKE) -s -k unit-build; status=$$?; \
	for t in $(UNIT_TESTS); do test/unit/judge.sh $$t || status=1; done; exit $$status

# ---- libFuzzer targets (clang) ----
# The list is explicit: a target that is listed but does not build, or does
# not run for its time, fails (test/fuzz/run-target.sh). Add new ones here.
FUZZ_NAMES    = fuzz_definition fuzz_expression fuzz_ddb_expression fuzz_jsonata fuzz_jsonata_lib
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
                -D_GNU_SOURCE -Isrc -Isrc/core $(CORE_CFLAGS)
FUZZ_TARGETS  = $(addprefix build/fuzz/,$(FUZZ_NAMES))

build/fuzz/%: test/fuzz/%.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) $< $(CORE_SRCS) -o $@ $(CORE_LIBS) -lcrypto -lm

fuzz-build: $(FUZZ_TARGETS)

fuzz:
	@test/fuzz/seed-corpus.sh build/fuzz/corpus
	@status=0; for n in $(FUZZ_NAMES); do \
		$(MAKE) -s build/fuzz/$$n || { status=1; echo "$$n FAILED to build"; continue; }; \
		test/fuzz/run-target.sh $$n $(FUZZ_SECONDS) || status=1; \
	done; exit $$status

# print a list for test/run.sh (make -s print-FUZZ_NAMES)
print-%:
	@echo $($*)

# ---- deliberate faults (test/mutants/README.md) ----
mutants:
	@test/mutants/run.sh

# ---- strict builds: warnings are errors, then with assertions ----
# Both build the whole module (host and core) into build/strict, apart from
# the installed build. -Wno-missing-field-initializers and
# -Wno-cast-function-type: PostgreSQL's own headers do not compile without them
# under -Wextra.
STRICT_FLAGS = -Wall -Wextra -Werror -isystem $(includedir_server)
strict:
	@for variant in warnings asserts; do \
		extra="$(STRICT_FLAGS)"; [ $$variant = asserts ] && extra="$$extra -DUSE_ASSERT_CHECKING"; \
		rm -rf build/strict/$$variant; mkdir -p build/strict/$$variant; \
		tar cf - --exclude=./build --exclude=./.git --exclude=./graphql --exclude=./bench --exclude='*.o' --exclude='*.bc' --exclude='*.so' . \
			| tar xf - -C build/strict/$$variant; \
		$(MAKE) -s -C build/strict/$$variant COPT="$$extra" with_llvm=no || { echo "strict build ($$variant) FAILED"; exit 1; }; \
		echo "strict build ($$variant): ok"; \
	done
