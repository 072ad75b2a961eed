# SPDX-License-Identifier: BSD-2-Clause
# Unicorn 2.1.1 for the optimised build (build/xensim and the benchmarks):
# Debian 13's libunicorn-dev (headers and libunicorn.a), downloaded from
# Debian's archive, checked against its SHA-256 and unpacked under
# build/unicorn-2.1.1, never installed; it needs only glibc 2.34, so it
# runs on Debian 12. Beside Debian 12's 2.0.1 it takes guest stores off
# the slow path 2.0.1 sends every one through: an arm64 run and a --seeds
# run each cost about half the CPU time (README "Running a guest", make
# bench). The sanitized build the tests run keeps Debian 12's 2.0.1, and
# tests/cli/test-unicorn.sh holds the two to the same transcripts.
# `make UNICORN=system` builds everything against 2.0.1.
UNICORN ?= 2.1.1

ifeq ($(UNICORN),2.1.1)
UC211_DEB     := libunicorn-dev_2.1.1-2+b2_amd64.deb
UC211_SHA256  := 479613e244a6023c03708951a5f0e00fc96c83a4b74b4d74c9fe7d3a9050208b
UC211_DIR     := $(BUILD)/unicorn-2.1.1
UC211_LIB     := $(UC211_DIR)/usr/lib/x86_64-linux-gnu/libunicorn.a
UC211_HEADER  := $(UC211_DIR)/usr/include/unicorn/unicorn.h

$(UC211_LIB): mk/unicorn.mk scripts/fetch-deb.sh
	@mkdir -p $(BUILD)/deb
	$(Q)set -e; deb=$(BUILD)/deb/$(UC211_DEB); rm -rf $(UC211_DIR); \
	  if sh scripts/fetch-deb.sh "$$deb" libunicorn-dev 2.1.1 trixie amd64 \
	      '$(UC211_DEB)' '$(UC211_SHA256)'; then \
	    dpkg -x "$$deb" $(UC211_DIR); \
	  else \
	    echo "unicorn: WARNING: no Unicorn 2.1.1 from Debian's archive;" \
	      "build/xensim links Debian 12's Unicorn 2.0.1 (slower guest" \
	      "stores, same behaviour)" >&2; \
	    mkdir -p $(dir $(UC211_LIB)) $(UC211_DIR)/usr/include; \
	    cp -r /usr/include/unicorn $(UC211_DIR)/usr/include/; \
	    cp /usr/lib/$(LIB_DIR)/libunicorn.a $(UC211_LIB); \
	  fi
	$(Q)test -f $@ && touch $@ $(UC211_HEADER)

$(UC211_HEADER): $(UC211_LIB)

# The optimised objects that see Unicorn's API compile against its headers
# (searched before the system's; a new unpacking rebuilds them), and the
# optimised programs link it.
BENCH_CFLAGS += -I$(UC211_DIR)/usr/include
$(call bench_obj,$(SIM_SRCS)) $(UC_BENCH_OBJ) $(SWEEP_BENCH_OBJ): $(UC211_HEADER)
UC_STATIC := $(UC211_LIB)
$(XENSIM) $(UC_BENCH) $(SWEEP_BENCH) $(EV_BENCHES) $(FUZZ_EMU_BINS): $(UC211_LIB)
endif

# Both Unicorns, one behaviour: the optimised build/xensim against the
# sanitized one the other tests run.
CHECK_PROGRAMS += tests/cli/test-unicorn.sh
CHECK_DEPS     += $(XENSIM) $(SAN_XENSIM) $(ARM_IMAGES)
