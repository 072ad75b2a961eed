# SPDX-License-Identifier: BSD-2-Clause
# xensim: one non-recursive build into build/.
#   make            build everything for the workstation
#   make run        boot the guest in the simulator
#   make check      install missing packages, build, run every test
#   make bench      print the benchmark figures
# Components add sources by living in their directory; extra rules live in
# mk/*.mk fragments, included at the end.

BUILD    ?= build
CC       ?= gcc
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

# Sanitized workstation build: the tests and build/san/ (below).
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
WARN     := -Wall -Wextra -Werror
CSTD     := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
OPT      ?= -O1 -g
DEPFLAGS  = -MMD -MP

FDT_CFLAGS  := $(shell pkg-config --cflags libfdt 2>/dev/null)
FDT_LIBS    := $(shell pkg-config --libs libfdt 2>/dev/null || echo -lfdt)
UV_LIBS     := $(shell pkg-config --libs libuv 2>/dev/null || echo -luv)
UC_LIBS     := $(shell pkg-config --libs unicorn 2>/dev/null || echo -lunicorn)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

HV_INC    := -Ihv-model/include -Iguest/include -Isim -Iguest/arch/host -Itests/lib
GUEST_INC := -Iguest/include

# Guest code is freestanding C11 even when built for the workstation.
GUEST_CFLAGS := $(CSTD) $(WARN) $(OPT) $(SAN) -ffreestanding $(GUEST_INC) $(FDT_CFLAGS)
HOST_CFLAGS  := $(CSTD) $(WARN) $(OPT) $(SAN) $(HV_INC) $(FDT_CFLAGS)
HOST_LDFLAGS := $(SAN)

# The native guest's writable state goes into sections of its own, whose
# bounds the linker gives as __start_/__stop_ symbols: a run of several
# native domains keeps a copy per domain and swaps it in at each turn
# (sim/guest_state.c). Read-only and relro data stay shared.
OBJCOPY ?= objcopy
GUEST_STATE_SECTIONS := --rename-section .data=guest_data \
	--rename-section .data.rel.local=guest_data_rel_local \
	--rename-section .data.rel=guest_data_rel \
	--rename-section .bss=guest_bss

srcs = $(sort $(shell find $(1) -name '*.c' 2>/dev/null))

# The guest sources every target shares, and the workstation port.
GUEST_COMMON_SRCS := $(call srcs,guest/kern guest/xen guest/dev guest/selftest)
GUEST_COMMON_SRCS := $(filter-out guest/kern/freestanding/%,$(GUEST_COMMON_SRCS))
GUEST_HOST_SRCS   := $(GUEST_COMMON_SRCS) $(call srcs,guest/arch/host)
HV_SRCS           := $(call srcs,hv-model)
SIM_SRCS          := $(call srcs,sim)
SIM_MAIN          := sim/main.c
UNIT_SRCS         := $(call srcs,tests/unit tests/integration)
TEST_LIB_SRCS     := $(call srcs,tests/lib)

obj = $(patsubst %.c,$(BUILD)/host/%.o,$(1))

GUEST_HOST_OBJS := $(call obj,$(GUEST_HOST_SRCS))
HV_OBJS         := $(call obj,$(HV_SRCS))
SIM_OBJS        := $(call obj,$(filter-out $(SIM_MAIN),$(SIM_SRCS)))
TEST_LIB_OBJS   := $(call obj,$(TEST_LIB_SRCS))

LIBGUEST := $(BUILD)/host/libguest.a
LIBHV    := $(BUILD)/host/libhv.a
LIBSIM   := $(BUILD)/host/libsim.a

# What users run: build/xensim (and mk/xenstore.mk's build/xenstored-sim),
# -O2 without sanitizers. What tests run: the same programs built with
# ASan+UBSan under $(SAN_BIN). Test rules and scripts use $(SAN_BIN)'s
# binaries; `make check` hands scripts their paths as XENSIM and XS_DAEMON.
XENSIM     := $(BUILD)/xensim
SAN_BIN    := $(BUILD)/san
SAN_XENSIM := $(SAN_BIN)/xensim

HOST_LIBS := $(UC_LIBS) $(UV_LIBS) $(FDT_LIBS) -lpthread

UNIT_TESTS := $(addprefix $(BUILD)/tests/,$(basename $(notdir $(UNIT_SRCS))))

# Everything `make check` runs; fragments append to it. Each entry is a
# CMocka program or prints one line per check and ends "N passed, N failed,
# N skipped" (scripts/run-tests.sh judges them; README "Tests").
# CHECK_LAST runs after all of CHECK_PROGRAMS, whatever the order of the
# fragments: programs that judge what others left behind.
CHECK_PROGRAMS := $(UNIT_TESTS)
CHECK_LAST     :=
CHECK_DEPS     := $(XENSIM) $(SAN_XENSIM) $(UNIT_TESTS)
BENCH_PROGRAMS :=
BENCH_DEPS     :=

# `make run`: fragments may point it at another kernel.
RUN_DEPS ?= $(XENSIM)
RUN_CMD  ?= $(XENSIM) run --native

.PHONY: all deps run check bench clean
all: $(XENSIM) $(SAN_XENSIM) $(UNIT_TESTS)

deps:
	$(Q)sh scripts/deps.sh

$(BUILD)/host/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) $(DEPFLAGS) -c $< -o $@
	$(Q)$(OBJCOPY) $(GUEST_STATE_SECTIONS) $@

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIBGUEST): $(GUEST_HOST_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBHV): $(HV_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBSIM): $(SIM_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SAN_XENSIM): $(call obj,$(SIM_MAIN)) $(LIBSIM) $(LIBGUEST) $(LIBHV)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LIBS)

TEST_LINK = $(CC) $(HOST_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(HOST_LIBS)

$(BUILD)/tests/%: $(BUILD)/host/tests/unit/%.o $(TEST_LIB_OBJS) $(LIBSIM) $(LIBGUEST) $(LIBHV)
	@mkdir -p $(@D)
	$(Q)$(TEST_LINK)

$(BUILD)/tests/%: $(BUILD)/host/tests/integration/%.o $(TEST_LIB_OBJS) $(LIBSIM) $(LIBGUEST) $(LIBHV)
	@mkdir -p $(@D)
	$(Q)$(TEST_LINK)

# The optimised library: the model, the native guest and the simulator
# built -O2 without sanitizers, objects under build/bench-obj. Users'
# binaries and the benchmarks link it.
BENCH_OBJ     := $(BUILD)/bench-obj
BENCH_CFLAGS  := $(CSTD) $(WARN) -O2 -g $(HV_INC) $(GUEST_INC) $(FDT_CFLAGS)
BENCH_GCFLAGS := $(CSTD) $(WARN) -O2 -g -ffreestanding $(GUEST_INC) $(FDT_CFLAGS)
bench_obj      = $(patsubst %.c,$(BENCH_OBJ)/%.o,$(1))
BENCH_LIB     := $(BENCH_OBJ)/libbench.a

$(BENCH_OBJ)/guest/%.o: guest/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_GCFLAGS) $(DEPFLAGS) -c $< -o $@
	$(Q)$(OBJCOPY) $(GUEST_STATE_SECTIONS) $@

$(BENCH_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(BENCH_LIB): $(call bench_obj,$(filter-out $(SIM_MAIN),$(SIM_SRCS)) \
		$(GUEST_HOST_SRCS) $(HV_SRCS))
	$(Q)rm -f $@ && ar rcs $@ $^

# build/xensim links Debian's libunicorn.a and libfdt.a and is not
# position-independent: starting it then costs no dynamic relocation of
# libunicorn (23,000 symbol lookups, and 45,000 relative relocations once
# it sits in a PIE), which took more CPU than a whole native run (make
# bench: "xensim --help"). Without the archives it links the shared ones.
# Every program linked from $(BENCH_LIB) links $(OPT_LIBS): mk/unicorn.mk
# may point UC_STATIC at another Unicorn.
LIB_DIR      := $(shell $(CC) -print-multiarch 2>/dev/null)
UC_STATIC    := $(wildcard /usr/lib/$(LIB_DIR)/libunicorn.a)
FDT_STATIC   := $(wildcard /usr/lib/$(LIB_DIR)/libfdt.a)
OPT_LIBS      = $(or $(UC_STATIC),$(UC_LIBS)) $(UV_LIBS) \
	$(or $(FDT_STATIC),$(FDT_LIBS)) -lpthread -lm

$(XENSIM): $(call bench_obj,$(SIM_MAIN)) $(BENCH_LIB)
	$(Q)$(CC) -no-pie -o $@ $(call bench_obj,$(SIM_MAIN)) -Wl,--start-group \
		$(BENCH_LIB) -Wl,--end-group $(OPT_LIBS)

include $(sort $(wildcard mk/*.mk))

# Each goal builds its prerequisites in a second make, after deps.sh has
# installed what the first one's $(shell pkg-config ...) could not find.
# That make runs one job per CPU (JOBS) unless make was given its own -j.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
SUBMAKE_J := $(if $(findstring -j,$(MAKEFLAGS)),,-j$(JOBS))
.PHONY: run-deps check-deps bench-deps
run-deps: $(RUN_DEPS)
check-deps: $(CHECK_DEPS)
bench-deps: $(BENCH_DEPS)

run: deps
	$(Q)$(MAKE) --no-print-directory -s $(SUBMAKE_J) run-deps
	$(RUN_CMD)

check: deps
	$(Q)$(MAKE) --no-print-directory -s $(SUBMAKE_J) check-deps
	$(Q)XENSIM=$(SAN_XENSIM) XS_DAEMON=$(SAN_XS_DAEMON) \
		sh scripts/run-tests.sh $(CHECK_PROGRAMS) --wait $(CHECK_LAST)

bench: deps
	$(Q)$(MAKE) --no-print-directory -s $(SUBMAKE_J) bench-deps
	@echo "Measured: the -O2 builds without sanitizers users run" \
		"($(XENSIM), $(XS_DAEMON), $(BUILD)/bench/*), not $(SAN_BIN)/."
	$(Q)sh scripts/bench-run.sh $(BENCH_PROGRAMS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -type f -name '*.d' 2>/dev/null)
