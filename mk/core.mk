# SPDX-License-Identifier: BSD-2-Clause
# The command-line test of xensim itself.
CHECK_PROGRAMS += tests/cli/test-cli.sh tests/cli/test-config.sh \
	tests/lint/test-spdx.sh tests/cli/test-disk.sh tests/cli/test-seeds.sh \
	tests/cli/test-layout.sh tests/cli/test-smp.sh tests/cli/test-reattach.sh \
	tests/cli/test-suspend.sh tests/cli/test-suspend-io.sh \
	tests/cli/test-suspend-smp.sh
CHECK_DEPS     += $(SAN_XENSIM) $(XENSIM) $(BUILD)/arm64/Image \
	$(BUILD)/arm32/zImage $(BUILD)/arm32/zImage-thumb

# Debian's xenstore tools against a guest running in xensim.
CHECK_PROGRAMS += tests/xenstore/xensim-tools.sh
CHECK_DEPS     += $(BUILD)/arm64/Image

# Which build is which: build/xensim and build/xenstored-sim -O2 without
# sanitizers, build/san/'s with ASan+UBSan.
CHECK_PROGRAMS += tests/cli/test-builds.sh
CHECK_DEPS     += $(XENSIM) $(XS_DAEMON) $(SAN_XENSIM) $(SAN_XS_DAEMON)

# The SMP check under 100 seeds in every runtime, all of it sanitized
# (make check sweeps the emulated runtimes with the optimised build and
# only a few seeds under ASan, where a seed costs several times more).
.PHONY: soak-smp
soak-smp: $(SAN_XENSIM) $(BUILD)/arm64/Image $(BUILD)/arm32/zImage \
	$(BUILD)/arm32/zImage-thumb
	XENSIM=$(SAN_XENSIM) SMP_XENSIM=$(SAN_XENSIM) SMP_SEEDS=1-100 \
		SMP_SAN_SEEDS=1-1 sh tests/cli/test-smp.sh
