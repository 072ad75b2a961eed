# SPDX-License-Identifier: BSD-2-Clause
# xenstored in the model: the standalone daemon, Xen's own test-xenstore
# (downloaded with apt-get download and unpacked into the build tree, never
# installed), the real-client test and the benchmark.
# The unit tests (tests/unit/test_xs_*.c) are built by the top Makefile.

XS_SRCS       := $(call srcs,hv-model/xenstore)
XS_OBJS       := $(call obj,$(XS_SRCS))

XS_DAEMON     := $(BUILD)/xenstored-sim
SAN_XS_DAEMON := $(SAN_BIN)/xenstored-sim
XS_CLIENTS    := $(BUILD)/xenstore/xs-clients
XS_BENCH      := $(BUILD)/bench/xs-bench

# test-xenstore and the libraries it loads: xen-utils-4.17 has the binary,
# libxenstore4 and libxentoolcore1 what it links (ldd). Only those files are
# kept, in build/debs/{bin,lib}: the packages unpack into a temporary
# directory (their trees hold names like runtime.d, which the top Makefile
# would take for dependency files).
XS_DEBS_DIR   := $(BUILD)/debs
XS_DEB_PKGS   := xen-utils-4.17 libxenstore4 libxentoolcore1
XS_TEST_XENSTORE := $(XS_DEBS_DIR)/bin/test-xenstore
XS_APT        := apt-get -o APT::Sandbox::User=root -qq download

# Linked from the daemon's own objects, so it needs nothing else of the
# model: optimised for users, sanitized for the tests.
$(XS_DAEMON): $(call bench_obj,tests/xenstore/xenstored_sim.c $(XS_SRCS))
	$(Q)$(CC) -o $@ $^ $(UV_LIBS)

$(SAN_XS_DAEMON): $(call obj,tests/xenstore/xenstored_sim.c) $(XS_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^ $(UV_LIBS)

all: $(XS_DAEMON) $(SAN_XS_DAEMON)

# apt-get download writes into the current directory. Retry once after
# refreshing the package lists (a fresh machine may have none).
$(XS_TEST_XENSTORE):
	@mkdir -p $(XS_DEBS_DIR)
	$(Q)set -e; cd $(XS_DEBS_DIR); rm -rf ./*.deb bin lib; \
	  $(XS_APT) $(XS_DEB_PKGS) >/dev/null 2>&1 || \
	    { apt-get update -qq && $(XS_APT) $(XS_DEB_PKGS); }; \
	  tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  for deb in ./*.deb; do dpkg -x "$$deb" "$$tmp"; done; \
	  mkdir -p bin lib; \
	  cp "$$tmp/usr/lib/xen-4.17/bin/test-xenstore" bin/; \
	  cp -P "$$tmp"/usr/lib/*/libxenstore.so.4* "$$tmp"/usr/lib/*/libxentoolcore.so.1* lib/
	$(Q)test -x $@ && touch $@

# An unprivileged guest on a ring the daemon maps from a file (--ring-dir).
XS_GUEST_PEER := $(BUILD)/xenstore/xs-guest-peer

$(XS_GUEST_PEER): $(call obj,tests/xenstore/xs_guest_peer.c)
	@mkdir -p $(@D)
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^

# The client test as CHECK_PROGRAMS runs it: the script with this build's paths.
$(XS_CLIENTS): tests/xenstore/xs-clients.sh mk/xenstore.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nXS_DAEMON=%s XS_DEBS=%s XS_GUEST_PEER=%s exec sh %s "$$@"\n' \
	  '$(abspath $(SAN_XS_DAEMON))' '$(abspath $(XS_DEBS_DIR))' '$(abspath $(XS_GUEST_PEER))' \
	  '$(abspath tests/xenstore/xs-clients.sh)' >$@
	$(Q)chmod +x $@

# The benchmark: the model's daemon as users run it (-O2, no sanitizers)
# against Xen's C xenstored from xen-utils-4.17, each a separate process
# loaded by xs-compare over its unix socket.
XS_C_XENSTORED  := $(XS_DEBS_DIR)/bin/xenstored
XS_SHIM         := $(BUILD)/bench/xs-cxenstored-shim.so
XS_COMPARE      := $(BUILD)/bench/xs-compare

$(XS_COMPARE): $(call bench_obj,bench/xs_compare.c bench/xs_floor.c bench/xs_load.c)
	@mkdir -p $(@D)
	$(Q)$(CC) -pthread -o $@ $^

# Xen's headers the shim implements against use GNU C (anonymous unions).
$(XS_SHIM): bench/xs_cxenstored_shim.c
	@mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -fPIC -shared -o $@ $<

# From the xen-utils-4.17 package test-xenstore's rule downloaded; the
# daemon runs with the Xen libraries libxen-dev installed (scripts/deps.sh).
$(XS_C_XENSTORED): $(XS_TEST_XENSTORE)
	$(Q)set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  dpkg -x $(XS_DEBS_DIR)/xen-utils-4.17_*.deb "$$tmp"; \
	  cp "$$tmp/usr/lib/xen-4.17/bin/xenstored" $@
	$(Q)test -x $@ && touch $@

# What `make bench` runs: xs-compare with this build's paths.
$(XS_BENCH): mk/xenstore.mk
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\nexec %s --model %s --c-xenstored %s --shim %s "$$@"\n' \
	  '$(abspath $(XS_COMPARE))' '$(abspath $(XS_DAEMON))' \
	  '$(abspath $(XS_C_XENSTORED))' '$(abspath $(XS_SHIM))' >$@
	$(Q)chmod +x $@

CHECK_PROGRAMS += $(XS_CLIENTS)
CHECK_DEPS     += $(XS_DAEMON) $(SAN_XS_DAEMON) $(XS_TEST_XENSTORE) $(XS_CLIENTS) $(XS_GUEST_PEER)
BENCH_PROGRAMS += $(XS_BENCH)
BENCH_DEPS     += $(XS_BENCH) $(XS_COMPARE) $(XS_DAEMON) $(XS_C_XENSTORED) $(XS_SHIM)

.PHONY: xenstore-check
xenstore-check: $(SAN_XS_DAEMON) $(XS_TEST_XENSTORE) $(XS_CLIENTS) $(XS_GUEST_PEER) \
		$(filter $(BUILD)/tests/test_xs_%,$(UNIT_TESTS))
	$(Q)sh scripts/run-tests.sh $(filter $(BUILD)/tests/test_xs_%,$(UNIT_TESTS)) $(XS_CLIENTS)

# Slow and stuck watchers on both daemons (bench/xs-watchers.sh): events
# delivered, disconnects, resident memory. Not part of `make bench`: at
# 200000 writes a scenario it runs for minutes. XS_WATCHERS_WRITES=N for less.
XS_WATCHERS        := $(BUILD)/bench/xs-watchers
XS_WATCHERS_WRITES ?= 200000

$(XS_WATCHERS): $(call bench_obj,bench/xs_watchers.c)
	@mkdir -p $(@D)
	$(Q)$(CC) -pthread -o $@ $^

BENCH_DEPS += $(XS_WATCHERS)

.PHONY: xs-watchers
xs-watchers: $(XS_WATCHERS) $(XS_DAEMON) $(XS_C_XENSTORED) $(XS_SHIM)
	$(Q)sh bench/xs-watchers.sh $(abspath $(XS_DAEMON)) $(abspath $(XS_C_XENSTORED)) \
	  $(abspath $(XS_SHIM)) $(abspath $(XS_WATCHERS)) $(XS_WATCHERS_WRITES)
