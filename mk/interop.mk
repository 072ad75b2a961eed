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

.PHONY: interop
interop: deps
	$(Q)$(MAKE) --no-print-directory $(ARM_IMAGES) $(XEN_BIN) $(SAN_XENSIM)
	$(Q)XENSIM=$(SAN_XENSIM) sh scripts/run-tests.sh $(INTEROP) tests/transcript/compare-real-xen.sh

CHECK_PROGRAMS += $(INTEROP)
CHECK_DEPS     += $(ARM_IMAGES) $(XEN_BIN)
