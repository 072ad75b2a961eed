# SPDX-License-Identifier: BSD-2-Clause
# ABI layout test: guest/include/xen against Debian's libxen-dev.
# tests/abi/probe.c is compiled to assembly for each target, once with our
# headers and once with Xen's (aarch64, armhf only); its marker lines become
# tables in build/abi/ that build/tests/abi-layout compares. Every header
# must also compile on its own, freestanding, for every target.

ABI_DIR       := $(BUILD)/abi
ABI_LAYOUT    := $(BUILD)/tests/abi-layout
ABI_TARGETS   := x86_64 aarch64 armhf
ABI_XEN_TARGETS := aarch64 armhf
ABI_XEN_INC   ?= /usr/include/xen

ABI_CC_x86_64  ?= gcc
ABI_CC_aarch64 ?= aarch64-linux-gnu-gcc
ABI_CC_armhf   ?= arm-linux-gnueabihf-gcc

# Freestanding with only the compiler's own headers (stddef.h, stdint.h):
# no libc header, host or cross, can leak in. $(1) is the compiler.
abi_cflags = -std=c11 -Wall -Wextra -Werror -ffreestanding -nostdinc \
	-isystem $(shell $(1) -print-file-name=include)

ABI_HEADERS  := $(shell find guest/include/xen -name '*.h' 2>/dev/null)
ABI_HDR_OBJS := $(foreach t,$(ABI_TARGETS),\
	$(patsubst guest/include/%.h,$(ABI_DIR)/hdr/$(t)/%.o,$(ABI_HEADERS)))
ABI_TABLES   := $(foreach t,$(ABI_TARGETS),$(ABI_DIR)/ours-$(t).inc) \
	$(foreach t,$(ABI_XEN_TARGETS),$(ABI_DIR)/xen-$(t).inc)

# Xen's headers are reached through build/abi/xeninc/xen only. They need
# <stdint.h>/<stddef.h> included first (probe.c does) and __XEN_TOOLS__ for
# the guest memory map, PSCI ids and some HVM_PARAMs; __XEN_TOOLS__ also sets
# __XEN_INTERFACE_VERSION__ to the latest (0x00040e00) and guards no member
# of any struct checked here.
$(ABI_DIR)/xeninc/xen:
	@mkdir -p $(@D)
	$(Q)ln -sfn $(ABI_XEN_INC) $@

define abi_target_rules
$(ABI_DIR)/ours-$(1).s: tests/abi/probe.c tests/abi/layout.def
	@mkdir -p $$(@D)
	$$(Q)$$(ABI_CC_$(1)) $$(call abi_cflags,$$(ABI_CC_$(1))) -Iguest/include \
		-Itests/abi -MMD -MP -MF $$(@:.s=.d) -MT $$@ -S -o $$@ $$<

# Each header alone, as the first thing a translation unit includes.
$(ABI_DIR)/hdr/$(1)/%.o: guest/include/%.h tests/abi/header-tu.c
	@mkdir -p $$(@D)
	$$(Q)$$(ABI_CC_$(1)) $$(call abi_cflags,$$(ABI_CC_$(1))) -Iguest/include \
		-include $$< -MMD -MP -MF $$(@:.o=.d) -MT $$@ -c -o $$@ tests/abi/header-tu.c
endef

define abi_xen_rules
$(ABI_DIR)/xen-$(1).s: tests/abi/probe.c tests/abi/layout.def | $(ABI_DIR)/xeninc/xen
	@mkdir -p $$(@D)
	$$(Q)$$(ABI_CC_$(1)) $$(call abi_cflags,$$(ABI_CC_$(1))) -DABI_XEN \
		-D__XEN_TOOLS__ -I$(ABI_DIR)/xeninc -Itests/abi \
		-MMD -MP -MF $$(@:.s=.d) -MT $$@ -S -o $$@ $$<
endef
$(foreach t,$(ABI_TARGETS),$(eval $(call abi_target_rules,$(t))))
$(foreach t,$(ABI_XEN_TARGETS),$(eval $(call abi_xen_rules,$(t))))

# The marker lines, as rows of a C table.
$(ABI_DIR)/%.inc: $(ABI_DIR)/%.s
	$(Q)sed -n 's/^[[:space:]]*@@abi //p' $< > $@.tmp && mv $@.tmp $@

$(ABI_LAYOUT): tests/abi/abi-layout.c tests/abi/layout.def $(ABI_TABLES) $(ABI_HDR_OBJS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -I$(ABI_DIR) -Itests/abi \
		-o $@ $< $(HOST_LDFLAGS)

CHECK_PROGRAMS += $(ABI_LAYOUT)
CHECK_DEPS     += $(ABI_LAYOUT)
