# SPDX-License-Identifier: BSD-2-Clause
# Debian's unmodified arm64 Linux as a domU of xensim (tests/linux):
# `make linux` fetches the kernel, busybox-static and xenstore-utils from
# Debian 12 (apt-get download + dpkg-deb into build/linux, about 65 MB
# once, nothing installed), builds the initramfs with the project's init
# (tests/linux/linux-initramfs.sh), boots it from
# fixtures/domains/linux-arm64.cfg, types a few commands at its shell and
# powers it off, printing the last console lines and the time to each
# milestone.

LINUX_DIR := $(BUILD)/linux
LINUX_INITRAMFS := $(LINUX_DIR)/initramfs.cpio.gz

$(LINUX_INITRAMFS): tests/linux/linux-initramfs.sh tests/linux/init | $(DEB_READY)
	$(Q)sh tests/linux/linux-initramfs.sh $(LINUX_DIR)

.PHONY: linux
linux: deps
	$(Q)$(MAKE) --no-print-directory $(XENSIM) $(LINUX_INITRAMFS)
	$(Q)XENSIM=$(XENSIM) sh tests/linux/run-linux.sh

# make check drives the same kernel at its shell (tests/linux/test-linux.sh,
# about 5 s): the first run downloads the packages.
CHECK_PROGRAMS += tests/linux/test-linux.sh
CHECK_DEPS     += $(XENSIM) $(LINUX_INITRAMFS)

# make bench: the same kernel to its shell in xensim and as an xl domU of a
# Linux dom0 on real Xen under QEMU (bench/linux-bench.sh, about 3 min;
# its Xen side, tests/linux/run-linux-xen.sh, reuses make interop's dom0).
BENCH_PROGRAMS += bench/linux-bench.sh
BENCH_DEPS     += $(XENSIM) $(LINUX_INITRAMFS) $(XEN_BIN) $(DOM0_INITRAMFS)
