# SPDX-License-Identifier: BSD-2-Clause
# Traces: xensim run --trace writes a Chrome/Perfetto trace, xensim
# trace-report draws it. trace_check holds a trace to the format with a
# strict JSON parser (sim/json.c); the test also renders the report in
# headless Chromium.
TRACE_CHECK := $(BUILD)/trace/trace_check

$(TRACE_CHECK): tests/trace/trace_check.c sim/json.c sim/json.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -Isim -o $@ \
		tests/trace/trace_check.c sim/json.c

CHECK_PROGRAMS += tests/cli/test-trace.sh
CHECK_DEPS     += $(SAN_XENSIM) $(TRACE_CHECK) $(BUILD)/arm64/Image \
		  $(BUILD)/arm32/zImage-thumb
all: $(TRACE_CHECK)
