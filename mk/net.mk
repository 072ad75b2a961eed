# SPDX-License-Identifier: BSD-2-Clause
# The network seen from the host: tests/net/net_peer.c, a host at the far
# end of --net-socket that answers ARP, ICMP echo and UDP echo, and
# tests/net/test-netio.sh, which drives it and reads --pcap captures back
# with tshark.
NET_PEER := $(BUILD)/net/net_peer

$(NET_PEER): tests/net/net_peer.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CSTD) $(WARN) $(OPT) $(SAN) -Iguest/include -o $@ $<

CHECK_PROGRAMS += tests/net/test-netio.sh
CHECK_DEPS     += $(SAN_XENSIM) $(NET_PEER) $(BUILD)/arm64/Image \
		  $(BUILD)/arm32/zImage
all: $(NET_PEER)

# make bench: the data path natively in one process (bench/bench_net.c),
# then two arm64 guests in one run (bench/net-bench.sh).
NET_BENCH := $(BUILD)/bench/bench_net
$(NET_BENCH): $(call bench_obj,bench/bench_net.c) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) -o $@ $(filter %.o,$^) -Wl,--start-group $(BENCH_LIB) \
		-Wl,--end-group $(OPT_LIBS)
.SECONDARY: $(call bench_obj,bench/bench_net.c)

BENCH_PROGRAMS += $(NET_BENCH) bench/net-bench.sh
BENCH_DEPS     += $(NET_BENCH) $(XENSIM) $(BUILD)/arm64/Image
