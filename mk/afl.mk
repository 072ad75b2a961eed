# SPDX-License-Identifier: BSD-2-Clause
# The fuzz targets under AFL++ (Debian's afl++, installed on first use):
# the same sources built by afl-clang-fast into $(AFL_BUILD), each target
# fuzzed AFL_SECONDS by afl-fuzz, AFL_JOBS at a time (scripts/fuzz-afl.sh).
#   make fuzz-afl AFL_SECONDS=60 AFL_JOBS=2
AFL_BUILD   ?= $(BUILD)/afl
AFL_SECONDS ?= 10
AFL_JOBS    ?= 1
AFL_OUT     ?= $(AFL_BUILD)/campaign
AFL_FLAGS   ?= -fsanitize=address,undefined -fno-sanitize-recover=all -g -O1

.PHONY: fuzz-afl
fuzz-afl: fuzz-build
	$(Q)sh scripts/deps.sh afl++
	$(Q)$(MAKE) --no-print-directory BUILD=$(AFL_BUILD) FUZZ_CC=afl-clang-fast \
		FUZZ_FLAGS='$(AFL_FLAGS)' FUZZ_ENGINE=-fsanitize=fuzzer fuzz-targets
	$(Q)sh scripts/fuzz-afl.sh $(AFL_SECONDS) $(AFL_JOBS) $(AFL_OUT) \
		$(FUZZ_SEEDS) $(FUZZ_CORPUS) \
		$(addprefix $(AFL_BUILD)/fuzz/,$(notdir $(FUZZ_BINS)))
