# SPDX-License-Identifier: BSD-2-Clause
# Interop with the real Xen: Debian's xen-hypervisor-4.17-arm64, fetched
# with apt-get download and unpacked under build/xen (never installed),
# boots the ARM images under qemu-system-aarch64 (tests/interop). Uses
# fetch_deb and ARM_IMAGES from mk/arm.mk. `make interop` runs it alone,
# then compares the transcripts with xensim's (as make check does);
# the seven boots take about 2 s, so `make check` runs it too.

XEN_DIR := $(BUILD)/xen
XEN_BIN := $(XEN_DIR)/boot/xen-4.17-arm64
INTEROP := tests/interop/run-interop.sh

$(XEN_BIN): | $(DEB_READY)
	$(Q)$(call fetch_deb,xen-hypervisor-4.17-arm64,arm64,$(XEN_DIR))
	$(Q)test -f $@ && touch $@

# A Linux dom0 (Debian's arm64 kernel, xl, xenstored, xenconsoled,
# blkback, netback) that creates the arm64 guest with xl
# (tests/interop/run-dom0.sh): make interop only, as it downloads about
# 70 MB of Debian packages once and boots for about half a minute.
DOM0_DIR := $(BUILD)/dom0
DOM0_INITRAMFS := $(DOM0_DIR)/base.cpio.gz
DOM0_RUN := tests/interop/run-dom0.sh

# dom0's UDP echo client: a static arm64 program without a C library.
DOM0_UDP_ECHO := $(BUILD)/dom0-tools/udp-echo
$(DOM0_UDP_ECHO): tests/interop/udp_echo.c
	$(Q)mkdir -p $(@D)
	$(Q)aarch64-linux-gnu-gcc -std=c11 -Wall -Wextra -Werror -O2 -static \
		-nostdlib -ffreestanding -fno-builtin -fno-stack-protector -o $@ $<

$(DOM0_INITRAMFS): tests/interop/dom0-initramfs.sh $(wildcard tests/interop/dom0/*) | $(DEB_READY)
	$(Q)sh tests/interop/dom0-initramfs.sh $(DOM0_DIR)

.PHONY: interop
interop: deps
	$(Q)$(MAKE) --no-print-directory $(ARM_IMAGES) $(XEN_BIN) $(SAN_XENSIM) \
		$(DOM0_INITRAMFS) $(DOM0_UDP_ECHO) $(BLKPATTERN)
	$(Q)XENSIM=$(SAN_XENSIM) sh scripts/run-tests.sh $(INTEROP) --wait tests/transcript/compare-real-xen.sh $(DOM0_RUN)

CHECK_PROGRAMS += $(INTEROP)
CHECK_DEPS     += $(ARM_IMAGES) $(XEN_BIN)
