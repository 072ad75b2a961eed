# SPDX-License-Identifier: BSD-2-Clause
# bench/bench_uc_reset.c: how fast each way of putting a Unicorn engine and
# its guest RAM back to a snapshot goes (Unicorn alone, no model), printed
# by make bench. After mk/unicorn.mk: built against the Unicorn the
# optimised programs link (2.1.1 unless UNICORN=system).
UC_RESET_BENCH     := $(BUILD)/bench/bench_uc_reset
UC_RESET_BENCH_OBJ := $(BENCH_OBJ)/bench/bench_uc_reset.o

$(UC_RESET_BENCH_OBJ): $(UC211_HEADER)

$(UC_RESET_BENCH): $(UC_RESET_BENCH_OBJ) $(UC211_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(UC_RESET_BENCH_OBJ) $(OPT_LIBS)

.SECONDARY: $(UC_RESET_BENCH_OBJ)

BENCH_PROGRAMS += $(UC_RESET_BENCH)
BENCH_DEPS     += $(UC_RESET_BENCH)
