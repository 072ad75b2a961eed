# SPDX-License-Identifier: BSD-2-Clause
# The Unicorn runtime's extra build: the tiny hand-assembled guests its tests
# and benchmarks run, what those tests need built first, `make run` on the
# real arm64 Image, and the benchmark programs (built without sanitizers).

# ---- tiny guests: tests/unit/unicorn_guests/{a64,a32,t32}_*.S ----
UCG_SRC     := tests/unit/unicorn_guests
UCG_OUT     := $(BUILD)/unicorn-guests
UCG_CROSS64 ?= aarch64-linux-gnu-
UCG_CROSS32 ?= arm-linux-gnueabihf-
UCG_DEPS    := $(wildcard $(UCG_SRC)/*.h $(UCG_SRC)/*.S)
UCG_LDFLAGS := -nostdlib -static -no-pie -I$(UCG_SRC) -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

UCG_IMAGES  := $(patsubst $(UCG_SRC)/%.S,$(UCG_OUT)/%.Image,\
	$(wildcard $(UCG_SRC)/a64_*.S))
UCG_ZIMAGES := $(patsubst $(UCG_SRC)/%.S,$(UCG_OUT)/%.zImage,\
	$(wildcard $(UCG_SRC)/a32_*.S $(UCG_SRC)/t32_*.S))
UCG_ALL     := $(UCG_IMAGES) $(UCG_ZIMAGES)

# Linked where the loader puts them: RAM base + text_offset / + 0x8000.
$(UCG_OUT)/%.Image: $(UCG_SRC)/%.S $(UCG_DEPS)
	@mkdir -p $(@D)
	$(Q)$(UCG_CROSS64)gcc $(UCG_LDFLAGS) -Wl,-Ttext=0x40080000 -o $@.elf $<
	$(Q)$(UCG_CROSS64)objcopy -O binary $@.elf $@

$(UCG_OUT)/%.zImage: $(UCG_SRC)/%.S $(UCG_DEPS)
	@mkdir -p $(@D)
	$(Q)$(UCG_CROSS32)gcc $(UCG_LDFLAGS) -Wl,-Ttext=0x40008000 -o $@.elf $<
	$(Q)$(UCG_CROSS32)objcopy -O binary $@.elf $@

.PHONY: unicorn-guests
unicorn-guests: $(UCG_ALL)

# ---- tests ----
UC_TESTS := $(filter $(BUILD)/tests/test_unicorn%,$(UNIT_TESTS))
$(UC_TESTS): | $(UCG_ALL)
$(BUILD)/host/tests/unit/test_unicorn%.o: HOST_CFLAGS += \
	-DUCG_DIR='"$(abspath $(UCG_OUT))"'

# One battery, three runtimes: the real ARM images (mk/arm.mk) and the
# transcript normaliser.
THREE_RUNTIMES := $(BUILD)/tests/test_three_runtimes
THREE_IMAGES   := $(BUILD)/arm64/Image $(BUILD)/arm32/zImage \
	$(BUILD)/arm32/zImage-thumb
$(THREE_RUNTIMES): | $(THREE_IMAGES)
$(BUILD)/host/tests/integration/test_three_runtimes.o: HOST_CFLAGS += \
	-DXENSIM_BUILD='"$(abspath $(BUILD))"' -DXENSIM_SRC='"$(CURDIR)"'

CHECK_DEPS += $(UCG_ALL) $(THREE_IMAGES)

# ---- make run: the arm64 Image under Unicorn, from a domain config with
# a disk (mk/blk.mk makes build/disk.img) and the block self-check, as a
# user runs it (xensim run has no instruction budget by default) ----
RUN_DEPS := $(XENSIM) $(BUILD)/arm64/Image $(BUILD)/disk.img
RUN_CMD  := $(XENSIM) run fixtures/domains/arm64-disk.cfg

# ---- benchmark: bench/bench_unicorn.c, linked with $(BENCH_LIB) (the top
# Makefile's optimised, sanitizer-free build of the model, the native guest
# and the simulator) ----
UC_BENCH     := $(BUILD)/bench/bench_unicorn
UC_BENCH_OBJ := $(BENCH_OBJ)/bench/bench_unicorn.o
$(UC_BENCH_OBJ): BENCH_CFLAGS += -DUCG_DIR='"$(abspath $(UCG_OUT))"' \
	-DXENSIM_BUILD='"$(abspath $(BUILD))"'

$(UC_BENCH): $(UC_BENCH_OBJ) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(UC_BENCH_OBJ) -Wl,--start-group $(BENCH_LIB) \
		-Wl,--end-group $(OPT_LIBS)

.SECONDARY: $(UC_BENCH_OBJ)

BENCH_PROGRAMS += $(UC_BENCH)
BENCH_DEPS     += $(UC_BENCH) $(UCG_ALL) $(BUILD)/arm64/Image $(BUILD)/arm32/zImage

# After the interop runs (CHECK_LAST): real Xen's dom0 and domU
# transcripts against xensim's, through the same normaliser.
CHECK_LAST += tests/transcript/compare-real-xen.sh
