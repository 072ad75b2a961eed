# SPDX-License-Identifier: BSD-2-Clause
# The PV console seen from outside: a small client that types a line on
# the guest's console (unix socket, TCP, pty) and the scripts that drive it
# through every runtime, for console 0 and for channels (device/console/N).
CONSOLE_CLIENT := $(BUILD)/console/console_client

$(CONSOLE_CLIENT): tests/console/console_client.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -o $@ $<

CHECK_PROGRAMS += tests/console/test-console.sh tests/console/test-channel.sh
CHECK_DEPS     += $(SAN_XENSIM) $(CONSOLE_CLIENT) $(BUILD)/arm64/Image \
		  $(BUILD)/arm32/zImage $(BUILD)/arm32/zImage-thumb
all: $(CONSOLE_CLIENT)
