# SPDX-License-Identifier: BSD-2-Clause
# The real ARM guests from the same sources as the workstation build:
#   build/arm64/Image (+ Image.elf)          arm64 Linux Image
#   build/arm32/zImage, zImage-thumb (+ .elf) arm32 zImage, ARM and Thumb-2
# Cross-compiled freestanding and position independent, linked with
# Debian's libfdt.a for the target: fetched with apt-get download and
# unpacked under build/, never installed. `make arm` builds all three.

ARM64_CROSS ?= aarch64-linux-gnu-
ARM32_CROSS ?= arm-linux-gnueabihf-
DEB_DIR     := $(BUILD)/deb

# The foreign dpkg architectures (and the tools) in place, once per tree:
# the downloads below may run in parallel, scripts/deps.sh must not.
DEB_READY := $(DEB_DIR)/.deps-ok
$(DEB_READY):
	$(Q)sh scripts/deps.sh
	@mkdir -p $(@D)
	$(Q)touch $@

# fetch_deb PKG ARCH DEST: download PKG:ARCH and unpack it into DEST (a
# stale package list gets one apt-get update and a second try).
fetch_deb = rm -rf $(DEB_DIR)/$(1)_$(2) && \
	mkdir -p $(DEB_DIR)/$(1)_$(2) && cd $(DEB_DIR)/$(1)_$(2) && \
	{ apt-get download -q=2 $(1):$(2) 2>/dev/null || \
	  { apt-get update -qq; apt-get download -q=2 $(1):$(2); }; } && \
	cd - >/dev/null && rm -rf $(3) && mkdir -p $(3) && \
	dpkg -x $(DEB_DIR)/$(1)_$(2)/$(1)_*.deb $(3)

FDT_arm64 := $(BUILD)/arm64/libfdt
FDT_armhf := $(BUILD)/arm32/libfdt
LIBFDT_arm64 := $(FDT_arm64)/usr/lib/aarch64-linux-gnu/libfdt.a
LIBFDT_armhf := $(FDT_armhf)/usr/lib/arm-linux-gnueabihf/libfdt.a

$(LIBFDT_arm64): | $(DEB_READY)
	$(Q)$(call fetch_deb,libfdt-dev,arm64,$(FDT_arm64))
	$(Q)test -f $@ && touch $@

$(LIBFDT_armhf): | $(DEB_READY)
	$(Q)$(call fetch_deb,libfdt-dev,armhf,$(FDT_armhf))
	$(Q)test -f $@ && touch $@

# Every guest source but the workstation port, plus the freestanding C
# library bits and the code both ARM ports share.
ARM_SRCS := $(GUEST_COMMON_SRCS) $(call srcs,guest/kern/freestanding) \
	$(call srcs,guest/arch/arm-common)
arm_asm = $(sort $(wildcard guest/arch/$(1)/*.S))

# Freestanding, PIE with hidden symbols (no GOT), no stack protector of
# our own, no FP/SIMD in our code (IRQ handlers do not save it), aligned
# accesses only (parts run with the MMU off), no memcpy/memset calls
# synthesised from loops (the string functions are such loops).
ARM_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -fpie \
	-fno-plt -fno-stack-protector -fno-common \
	-fno-tree-loop-distribute-patterns -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -mgeneral-regs-only \
	-include guest/arch/arm-common/hidden.h -Iguest/include \
	-Iguest/arch/arm-common $(DEPFLAGS)
# No C library headers, host or target: the compiler's own, and the few
# libfdt asks for from guest/kern/freestanding/include. $(1) is the prefix.
arm_inc = -nostdinc -isystem guest/kern/freestanding/include \
	-isystem $(shell $(1)gcc -print-file-name=include 2>/dev/null)
ARM_LDFLAGS := -nostdlib -static-pie -Wl,-z,text -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

# arm64: no outline atomics (their run-time check needs the C library);
# a frame record in every function, leaves too, for the x29 chain that
# crash reports walk.
ARM64_CFLAGS := $(ARM_CFLAGS) $(call arm_inc,$(ARM64_CROSS)) \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-mstrict-align -mno-outline-atomics -Iguest/arch/arm64 \
	-isystem $(FDT_arm64)/usr/include
# arm32: ARMv7 with the virtualization extensions (hvc) and LPAE, the
# armhf float ABI of Debian's libfdt.
ARM32_CFLAGS := $(ARM_CFLAGS) $(call arm_inc,$(ARM32_CROSS)) \
	-march=armv7ve -mfpu=vfpv3-d16 -mfloat-abi=hard -mno-unaligned-access \
	-Iguest/arch/arm32 -isystem $(FDT_armhf)/usr/include

# arm_image NAME CROSS CFLAGS ARCHDIR LIBFDT OUT: objects under
# $(BUILD)/NAME-obj, the ELF OUT.elf (for debugging; the build fails if it
# holds a relocation head.S cannot apply) and the raw image OUT.
define arm_image
$(1)_OBJS := $$(patsubst %,$(BUILD)/$(1)-obj/%.o,$$(basename $$(ARM_SRCS) \
	$$(call srcs,guest/arch/$(4)) $$(call arm_asm,$(4))))

$(BUILD)/$(1)-obj/%.o: %.c mk/arm.mk | $(5)
	@mkdir -p $$(@D)
	$$(Q)$(2)gcc $(3) -c $$< -o $$@

$(BUILD)/$(1)-obj/%.o: %.S mk/arm.mk | $(5)
	@mkdir -p $$(@D)
	$$(Q)$(2)gcc $(3) -c $$< -o $$@

$(6).elf: $$($(1)_OBJS) $(5) guest/arch/arm-common/image.ld
	$$(Q)$(2)gcc $(3) $$(ARM_LDFLAGS) -Wl,-T,guest/arch/arm-common/image.ld \
		-o $$@ $$($(1)_OBJS) $(5) -lgcc
	$$(Q)$(2)readelf -rW $$@ | awk '/R_(AARCH64|ARM)_/ && !/RELATIVE/ \
		{ print "$$@: relocation the image cannot apply: " $$$$0; bad = 1 } \
		END { exit bad }' || { rm -f $$@; exit 1; }

$(6): $(6).elf
	$$(Q)$(2)objcopy -O binary $$< $$@
endef

$(eval $(call arm_image,arm64,$(ARM64_CROSS),$(ARM64_CFLAGS),arm64,$(LIBFDT_arm64),$(BUILD)/arm64/Image))
$(eval $(call arm_image,arm32-arm,$(ARM32_CROSS),$(ARM32_CFLAGS) -marm,arm32,$(LIBFDT_armhf),$(BUILD)/arm32/zImage))
$(eval $(call arm_image,arm32-thumb,$(ARM32_CROSS),$(ARM32_CFLAGS) -mthumb,arm32,$(LIBFDT_armhf),$(BUILD)/arm32/zImage-thumb))

ARM_IMAGES := $(BUILD)/arm64/Image $(BUILD)/arm32/zImage $(BUILD)/arm32/zImage-thumb

.PHONY: arm
arm: $(ARM_IMAGES)
all: $(ARM_IMAGES)

# Their boot headers, as Xen reads them.
IMAGE_HEADERS_TEST := $(BUILD)/tests/image-headers
$(IMAGE_HEADERS_TEST): tests/interop/test_image_headers.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -o $@ $< $(CMOCKA_LIBS)

CHECK_PROGRAMS += $(IMAGE_HEADERS_TEST)
CHECK_DEPS     += $(ARM_IMAGES) $(IMAGE_HEADERS_TEST)
