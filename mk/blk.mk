# The host's half of the block self-check: build/blkpattern makes disk
# images and checks them byte for byte against the guest's pattern.

BLKPATTERN := $(BUILD)/blkpattern

$(BLKPATTERN): $(BUILD)/host/tests/blk/blkpattern.o
	$(Q)$(CC) $(HOST_LDFLAGS) -o $@ $^

CHECK_DEPS += $(BLKPATTERN)
all: $(BLKPATTERN)
