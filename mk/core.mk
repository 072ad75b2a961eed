# SPDX-License-Identifier: BSD-2-Clause
# The command-line test of xensim itself.
CHECK_PROGRAMS += tests/cli/test-cli.sh tests/cli/test-config.sh \
	tests/lint/test-spdx.sh tests/cli/test-disk.sh tests/cli/test-seeds.sh \
	tests/cli/test-layout.sh tests/cli/test-smp.sh tests/cli/test-reattach.sh \
	tests/cli/test-suspend.sh tests/cli/test-suspend-io.sh
CHECK_DEPS     += $(SAN_XENSIM) $(BUILD)/arm64/Image $(BUILD)/arm32/zImage \
	$(BUILD)/arm32/zImage-thumb

# Debian's xenstore tools against a guest running in xensim.
CHECK_PROGRAMS += tests/xenstore/xensim-tools.sh
CHECK_DEPS     += $(BUILD)/arm64/Image

# Which build is which: build/xensim and build/xenstored-sim -O2 without
# sanitizers, build/san/'s with ASan+UBSan.
CHECK_PROGRAMS += tests/cli/test-builds.sh
CHECK_DEPS     += $(XENSIM) $(XS_DAEMON) $(SAN_XENSIM) $(SAN_XS_DAEMON)

# The SMP check under 100 seeds in every runtime (make check runs 100
# native seeds and 20 emulated ones a runtime, under ASan): the optimised
# build, about 5 s of CPU an emulated runtime and vCPU count.
.PHONY: soak-smp
soak-smp: $(XENSIM) $(BUILD)/arm64/Image $(BUILD)/arm32/zImage \
	$(BUILD)/arm32/zImage-thumb
	XENSIM=$(XENSIM) SMP_SEEDS=1-100 sh tests/cli/test-smp.sh
