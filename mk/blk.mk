# SPDX-License-Identifier: BSD-2-Clause
# PV block devices from outside: build/blkpattern makes disk images and
# checks them byte for byte against the guest's self-check pattern;
# tests/blk/test-blk.sh boots the guest with bootarg blk-selftest and a raw
# image (natively and under Unicorn: arm64, arm32 ARM and Thumb-2; 512-
# and 4096-byte sectors; backend features all on, all off and each off on
# its own; two runs at a time, BLK_JOBS) and checks the image;
# make run's disk; make bench's block figures beside fio's.

BLKPATTERN := $(BUILD)/blkpattern

$(BLKPATTERN): $(BUILD)/host/tests/blk/blkpattern.o
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^

CHECK_PROGRAMS += tests/blk/test-blk.sh
CHECK_DEPS     += $(BLKPATTERN) $(SAN_XENSIM) $(ARM_IMAGES)
all: $(BLKPATTERN)

# make run's disk (fixtures/domains/arm64-disk.cfg): 4 MiB, made once.
$(BUILD)/disk.img: | $(BLKPATTERN)
	$(Q)$(BLKPATTERN) make $@ 4194304

# The block benchmark runs build/xensim (-O2, no sanitizers): what users run.
BENCH_PROGRAMS += bench/blk-bench.sh
BENCH_DEPS     += $(BLKPATTERN) $(XENSIM) $(BUILD)/arm64/Image
