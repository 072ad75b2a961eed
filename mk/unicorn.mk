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
UC211_URL     := http://deb.debian.org/debian/pool/main/u/unicorn-engine/$(UC211_DEB)
UC211_DIR     := $(BUILD)/unicorn-2.1.1
UC211_LIB     := $(UC211_DIR)/usr/lib/x86_64-linux-gnu/libunicorn.a
UC211_HEADER  := $(UC211_DIR)/usr/include/unicorn/unicorn.h

$(UC211_LIB): mk/unicorn.mk
	@mkdir -p $(BUILD)/deb
	$(Q)set -e; deb=$(BUILD)/deb/$(UC211_DEB); \
	  if [ ! -f "$$deb" ]; then \
	    curl -fsS -o "$$deb.part" '$(UC211_URL)' || { echo "unicorn: cannot" \
	      "download $(UC211_URL); make UNICORN=system builds with" \
	      "Debian 12's Unicorn 2.0.1" >&2; rm -f "$$deb.part"; exit 1; }; \
	    mv "$$deb.part" "$$deb"; \
	  fi; \
	  if ! echo '$(UC211_SHA256)  '"$$deb" | sha256sum -c --quiet -; then \
	    echo "unicorn: $$deb is not Debian's $(UC211_DEB)" >&2; \
	    rm -f "$$deb"; exit 1; \
	  fi; \
	  rm -rf $(UC211_DIR); dpkg -x "$$deb" $(UC211_DIR)
	$(Q)test -f $@ && touch $@ $(UC211_HEADER)

$(UC211_HEADER): $(UC211_LIB)

# The optimised objects that see Unicorn's API compile against its headers
# (searched before the system's; a new unpacking rebuilds them), and the
# optimised programs link it.
BENCH_CFLAGS += -I$(UC211_DIR)/usr/include
$(call bench_obj,$(SIM_SRCS)) $(UC_BENCH_OBJ) $(SWEEP_BENCH_OBJ): $(UC211_HEADER)
UC_STATIC := $(UC211_LIB)
$(XENSIM) $(UC_BENCH) $(SWEEP_BENCH) $(EV_BENCHES): $(UC211_LIB)
endif

# Both Unicorns, one behaviour: the optimised build/xensim against the
# sanitized one the other tests run.
CHECK_PROGRAMS += tests/cli/test-unicorn.sh
CHECK_DEPS     += $(XENSIM) $(SAN_XENSIM) $(ARM_IMAGES)
