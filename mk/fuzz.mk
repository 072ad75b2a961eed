# SPDX-License-Identifier: BSD-2-Clause
# libFuzzer targets (clang): tests/fuzz/fuzz_<name>.c -> build/fuzz/fuzz_<name>,
# linked with the model, the simulator, the guest's shared sources, the
# workstation port and the test worlds.
#   make fuzz-build              build them all (and the generated seeds)
#   make fuzz                    a campaign: every target FUZZ_SECONDS each,
#                                FUZZ_JOBS at a time (scripts/fuzz-run.sh)
#   build/fuzz/fuzz_xs_client -max_total_time=60 corpus/   one by hand
# `make check` replays each target's seeds, then runs it for a fixed
# number of inputs with a fixed seed, so the smoke run is the same every
# time. FUZZ_CC, FUZZ_FLAGS and FUZZ_ENGINE may come from an OSS-Fuzz
# style build (.clusterfuzzlite/build.sh passes $CC, $CFLAGS and
# $LIB_FUZZING_ENGINE).
FUZZ_CC      ?= clang
FUZZ_FLAGS   ?= -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1
FUZZ_ENGINE  ?= -fsanitize=fuzzer
FUZZ_CFLAGS  := $(CSTD) $(WARN) $(FUZZ_FLAGS) $(HV_INC) $(FDT_CFLAGS)
FUZZ_SRCS    := $(call srcs,tests/fuzz)
FUZZ_BINS    := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
# The simulator and the test worlds too: the frontend targets run the
# native guest on a whole machine (sim_native_start).
FUZZ_LIB_SRCS := $(sort $(HV_SRCS) $(GUEST_HOST_SRCS) $(TEST_LIB_SRCS) \
	$(filter-out $(SIM_MAIN),$(SIM_SRCS)))
FUZZ_LIB_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_LIB_SRCS))
FUZZ_RUNS    ?= 4000
# Targets that run the whole xenbus handshake per input are slower.
FUZZ_RUNS_fuzz_xenbus ?= 300
FUZZ_RUNS_fuzz_netfront_xs ?= 500
# The emulated ones boot the guest once, then reset it for each input.
FUZZ_RUNS_fuzz_emu_blkfront ?= 2000
FUZZ_RUNS_fuzz_emu_netfront ?= 2000
FUZZ_RUNS_fuzz_emu_xs ?= 2000
FUZZ_RUNS_fuzz_emu_consfront ?= 2000
FUZZ_SEEDS   := tests/fuzz/seeds
fuzz_runs     = $(or $(FUZZ_RUNS_$(notdir $(1))),$(FUZZ_RUNS))

$(BUILD)/fuzz/obj/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_FLAGS) -ffreestanding $(GUEST_INC) $(FDT_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/fuzz/libfuzzlib.a: $(FUZZ_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/%: $(BUILD)/fuzz/obj/tests/fuzz/%.o $(BUILD)/fuzz/libfuzzlib.a
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_ENGINE) -o $@ $^ $(HOST_LIBS)

# Coverage scoped to the code a target is about. libFuzzer scans and
# hashes every instrumented edge of the program after each input; a
# frontend target links the whole model and simulator, whose tens of
# thousands of edges cost it most of its time while the code under test
# is a few files. A target naming FUZZ_COV_<target> (patterns of source
# paths, one % each) links those sources instrumented for coverage and
# the rest from a second archive compiled with the same sanitizers but
# without -fsanitize=fuzzer-no-link: ASan and UBSan still check every
# line, only coverage (and its comparison tracing) is scoped. Its own
# source and the tests/fuzz headers it inlines are always instrumented.
# Only when FUZZ_FLAGS asks for -fsanitize=fuzzer-no-link (not AFL++'s
# build, whose compiler instruments everything);
# FUZZ_SCOPE=no links every target whole.
# (Not for the fuzz_emu_ targets, which link otherwise.)
FUZZ_COV_fuzz_blkfront  ?= guest/dev/blk% guest/xen/%
FUZZ_COV_fuzz_netfront  ?= guest/dev/netfront% guest/xen/%
FUZZ_COV_fuzz_consfront ?= guest/dev/xencons% guest/kern/console.c guest/xen/%
FUZZ_COV_fuzz_console   ?= guest/dev/xencons% hv-model/backends/consback% \
	hv-model/toolstack/console_link.c
# The xenbus handshakes: the guest's frontend and xenbus client, not the
# store and backend helper that play dom0. The hypercall entry: the model.
FUZZ_COV_fuzz_xenbus       ?= guest/dev/blk% guest/xen/%
FUZZ_COV_fuzz_netfront_xs  ?= guest/dev/netfront% guest/xen/%
FUZZ_COV_fuzz_hypercall    ?= hv-model/%
# The xenstore client on its ring: the client, not the guest around it.
FUZZ_COV_fuzz_xs_client    ?= guest/xen/xs%
# The backend targets: the backend and the grant and xenbus code it runs
# on what the frontend wrote.
FUZZ_COV_fuzz_blkback   ?= hv-model/backends/blk% hv-model/gnttab/% hv-model/xenbus/%
FUZZ_COV_fuzz_netback   ?= hv-model/backends/net% hv-model/gnttab/% hv-model/xenbus/%
# Less what only puts a backend back between inputs (FUZZ_COV_EXCEPT_<target>):
# the same few edges every time, no path of the backend's.
FUZZ_COV_EXCEPT_fuzz_blkback ?= hv-model/backends/blkback_mark.c
FUZZ_COV_EXCEPT_fuzz_netback ?= hv-model/backends/netback_mark.c
FUZZ_SCOPE   ?= $(if $(findstring fuzzer-no-link,$(FUZZ_FLAGS)),yes,no)
ifeq ($(FUZZ_SCOPE),yes)
# FUZZ_FLAGS without fuzzer-no-link, alone or in a -fsanitize= list.
fuzz_comma := ,
fuzz_nolink := fuzzer-no-link
FUZZ_NOCOV_FLAGS := $(patsubst %$(fuzz_comma),%,$(subst =$(fuzz_comma),=,$(subst $(fuzz_comma)$(fuzz_comma),$(fuzz_comma),\
	$(subst $(fuzz_nolink),,$(filter-out -fsanitize=$(fuzz_nolink),$(FUZZ_FLAGS))))))
FUZZ_NOCOV_OBJS  := $(patsubst %.c,$(BUILD)/fuzz/nocov/%.o,$(FUZZ_LIB_SRCS))

$(BUILD)/fuzz/nocov/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_NOCOV_FLAGS) -ffreestanding $(GUEST_INC) $(FDT_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/fuzz/nocov/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZ_NOCOV_FLAGS) $(HV_INC) $(FDT_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BUILD)/fuzz/libfuzznocov.a: $(FUZZ_NOCOV_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# The instrumented objects come first: the archive's copies of the same
# files then define nothing still missing and stay out of the link.
# A change of scope (this file) links again.
fuzz_cov_objs = $(filter-out $(addprefix $(BUILD)/fuzz/obj/,$(patsubst %.c,%.o,$(FUZZ_COV_EXCEPT_$(1)))),\
	$(filter $(addprefix $(BUILD)/fuzz/obj/,$(patsubst %.c,%.o,$(FUZZ_COV_$(1)))),$(FUZZ_LIB_OBJS)))
define fuzz_scoped_link
$(BUILD)/fuzz/$(1): $(BUILD)/fuzz/obj/tests/fuzz/$(1).o $(call fuzz_cov_objs,$(1)) \
		$(BUILD)/fuzz/libfuzznocov.a mk/fuzz.mk
	$$(Q)$$(FUZZ_CC) $$(FUZZ_FLAGS) $$(FUZZ_ENGINE) -o $$@ $$(filter %.o %.a,$$^) $$(HOST_LIBS)
endef
$(foreach t,$(notdir $(FUZZ_BINS)),$(if $(FUZZ_COV_$(t)),$(eval $(call fuzz_scoped_link,$(t)))))
endif

# The emulated targets (fuzz_emu_*: the arm64 Image under Unicorn, reset
# from a snapshot for every input) link the Unicorn the optimised build
# links, as its static archive, into a position-dependent program: 2.1.1
# unless UNICORN=system (mk/unicorn.mk, which adds the dependency). Debian
# 12's 2.0.1 sends every guest store through a path that allocates, which
# under ASan costs these targets about four times their speed.
FUZZ_EMU_BINS := $(filter $(BUILD)/fuzz/fuzz_emu_%,$(FUZZ_BINS))
# make bench: how many inputs a CPU second the emulated target runs.
BENCH_PROGRAMS += bench/emu-fuzz-bench.sh
BENCH_DEPS     += $(BUILD)/fuzz/fuzz_emu_blkfront $(BUILD)/fuzz/fuzz_emu_xs
# make bench: what finding the written pages costs a restore, by region
# size and pages written (bench/bench_emu_watch.c).
EMU_WATCH_BENCH := $(BUILD)/bench/bench_emu_watch
$(EMU_WATCH_BENCH): $(call bench_obj,bench/bench_emu_watch.c) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(filter %.o,$^) -Wl,--start-group $(BENCH_LIB) \
		-Wl,--end-group $(OPT_LIBS)
.SECONDARY: $(call bench_obj,bench/bench_emu_watch.c)
BENCH_PROGRAMS += $(EMU_WATCH_BENCH)
BENCH_DEPS     += $(EMU_WATCH_BENCH)
# Under the emulated targets the model and the simulator run on every trap
# of the guest; their comparison tracing (libFuzzer's table of compared
# values, for mutations) cost these targets about a tenth of an input. They
# link those from objects without it (build/fuzz/nocmp): every edge still
# counts (cov, ft); the target's own source and the tests/lib headers it
# inlines keep their tracing. Only with -fsanitize=fuzzer-no-link, as
# FUZZ_SCOPE; the rest of the library as before.
ifeq ($(FUZZ_SCOPE),yes)
FUZZ_NOCMP_OBJS := $(patsubst %.c,$(BUILD)/fuzz/nocmp/%.o,\
	$(filter-out guest/%,$(FUZZ_LIB_SRCS)))
$(BUILD)/fuzz/nocmp/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize-coverage=trace-cmp $(DEPFLAGS) -c $< -o $@

$(BUILD)/fuzz/libfuzznocmp.a: $(FUZZ_NOCMP_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

FUZZ_EMU_LIBS := $(BUILD)/fuzz/libfuzznocmp.a $(BUILD)/fuzz/libfuzzlib.a
else
FUZZ_EMU_LIBS := $(BUILD)/fuzz/libfuzzlib.a
endif
$(FUZZ_EMU_BINS): $(BUILD)/fuzz/fuzz_emu_%: \
		$(BUILD)/fuzz/obj/tests/fuzz/fuzz_emu_%.o $(FUZZ_EMU_LIBS)
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_ENGINE) -no-pie -o $@ $^ $(OPT_LIBS)

# Seed inputs a mutation would take long to find: a real guest device tree.
FUZZ_CORPUS := $(BUILD)/fuzz/corpus
$(FUZZ_CORPUS)/fuzz_dt/guest.dtb: $(XENSIM)
	@mkdir -p $(@D)
	$(Q)$(XENSIM) run --native -q --bootargs "console=hvc0" --dump-dtb $@ >/dev/null

$(BUILD)/fuzz/smoke: scripts/fuzz-smoke.sh $(FUZZ_BINS) $(FUZZ_CORPUS)/fuzz_dt/guest.dtb \
		$(wildcard $(FUZZ_SEEDS)/*/*) mk/fuzz.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec sh scripts/fuzz-smoke.sh %s %s %s %s\n' "$(FUZZ_RUNS)" "$(FUZZ_CORPUS)" "$(FUZZ_SEEDS)" "$(foreach b,$(FUZZ_BINS),$(b):$(call fuzz_runs,$(b)))" > $@
	$(Q)chmod +x $@

CHECK_PROGRAMS += $(BUILD)/fuzz/smoke
CHECK_DEPS     += $(BUILD)/fuzz/smoke

# Seeds for the xenstored targets (fuzz_xs_requests, fuzz_xs_ring): short
# sessions of well-formed requests, so mutation starts past the framing.
# The generator is a shell script: a .c file anywhere under tests/fuzz
# would be taken for a fuzz target (FUZZ_SRCS).
XS_FUZZ_SEEDS := $(FUZZ_CORPUS)/.xs-seeds
$(XS_FUZZ_SEEDS): tests/fuzz/seeds/xs_seeds.sh
	@mkdir -p $(@D)
	$(Q)sh $< $(FUZZ_CORPUS) && touch $@

$(BUILD)/fuzz/smoke: $(XS_FUZZ_SEEDS)

# Seeds for the network targets (fuzz_netfront, fuzz_netfront_xs,
# fuzz_netback): one input per path, written by a shell script.
NET_FUZZ_SEEDS := $(FUZZ_CORPUS)/.net-seeds
$(NET_FUZZ_SEEDS): tests/fuzz/seeds/net_seeds.sh
	@mkdir -p $(@D)
	$(Q)sh $< $(FUZZ_CORPUS) && touch $@

$(BUILD)/fuzz/smoke: $(NET_FUZZ_SEEDS)

# Seed for the domain-config target: the example configs.
$(FUZZ_CORPUS)/fuzz_domcfg/.seeds: $(wildcard fixtures/domains/*.cfg)
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/ && touch $@

$(BUILD)/fuzz/smoke: $(FUZZ_CORPUS)/fuzz_domcfg/.seeds

# Seeds for the loader target: the images the build made, whole and cut to
# what a fuzzing run keeps of an input (-max_len); crafted headers are in
# the repository.
LOADER_FUZZ_SEEDS := $(FUZZ_CORPUS)/.loader-seeds
$(LOADER_FUZZ_SEEDS): tests/fuzz/seeds/loader_seeds.sh $(ARM_IMAGES)
	@mkdir -p $(@D)
	$(Q)sh $< $(FUZZ_CORPUS) $(ARM_IMAGES) && touch $@

$(BUILD)/fuzz/smoke: $(LOADER_FUZZ_SEEDS)

# Seeds generated at build time, for the campaign as for the smoke run.
FUZZ_GENERATED := $(FUZZ_CORPUS)/fuzz_dt/guest.dtb $(XS_FUZZ_SEEDS) \
	$(NET_FUZZ_SEEDS) $(LOADER_FUZZ_SEEDS) \
	$(FUZZ_CORPUS)/fuzz_domcfg/.seeds

FUZZ_SECONDS ?= 10
FUZZ_JOBS    ?= 1
FUZZ_OUT     ?= $(BUILD)/fuzz/campaign

.PHONY: fuzz fuzz-build fuzz-bins fuzz-targets
fuzz-targets: $(FUZZ_BINS)
fuzz-bins: $(FUZZ_BINS) $(FUZZ_GENERATED)

fuzz-build: deps
	$(Q)$(MAKE) --no-print-directory fuzz-bins

fuzz: fuzz-build
	$(Q)sh scripts/fuzz-run.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_OUT) \
		$(FUZZ_SEEDS) $(FUZZ_CORPUS) $(FUZZ_BINS)

# Targets that keep their machine from input to input must reset all an
# input changes: A, B, A in one process gives A's digest both times.
FUZZ_RESET_TARGETS := $(addprefix $(BUILD)/fuzz/,fuzz_blkback fuzz_netback \
	fuzz_blkfront fuzz_consfront fuzz_netfront fuzz_console \
	fuzz_loader fuzz_xs_requests fuzz_xs_ring fuzz_xenbus fuzz_netfront_xs \
	fuzz_emu_blkfront fuzz_emu_netfront fuzz_emu_xs fuzz_emu_consfront \
	fuzz_hypercall)
FUZZ_RESET_PAIRS   ?= 4
$(BUILD)/fuzz/reset: tests/fuzz/fuzz-reset.sh $(FUZZ_RESET_TARGETS) \
		$(wildcard $(FUZZ_SEEDS)/*/*) $(FUZZ_GENERATED) mk/fuzz.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec sh tests/fuzz/fuzz-reset.sh %s %s %s %s\n' "$(FUZZ_RESET_PAIRS)" "$(FUZZ_SEEDS)" "$(FUZZ_CORPUS)" "$(FUZZ_RESET_TARGETS)" > $@
	$(Q)chmod +x $@

CHECK_PROGRAMS += $(BUILD)/fuzz/reset
CHECK_DEPS     += $(BUILD)/fuzz/reset

# scripts/fuzz-run.sh's table, judged on fake targets' canned logs.
CHECK_PROGRAMS += tests/fuzz/test-fuzz-run.sh
