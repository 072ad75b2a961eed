/* SPDX-License-Identifier: BSD-2-Clause */
/* The network backend's offloads on a tx packet already joined in
 * nb->pkt: a checksum the frontend left blank (NETTXF_csum_blank) is
 * filled here, and a packet with a GSO extra goes to the switch whole,
 * its MSS clamped to our MTU: a port that takes GSO packets (a frontend
 * that asked for them) gets it so, every other port the segments the
 * switch cuts (hv/netgso.h). The packet is the guest's: every length is
 * checked against the bytes there. */
#include "hv/machine.h"
#include "hv/netgso.h"
#include "netback_internal.h"

static void to_switch(struct hv_netback *nb, const void *frame, size_t len)
{
	if (nb->sw_port >= 0)
		hv_netswitch_input(nb->cfg.sw, nb->sw_port, frame, len);
}

/* A checked GSO packet of len bytes, whole to the switch. */
static const char *tx_gso(struct hv_netback *nb, size_t len,
			  const struct netif_extra_info *x)
{
	struct hv_net_gso gso = { x->u.gso.type, x->u.gso.size };
	struct hv_net_l4 v;
	unsigned mss;
	const char *bad = hv_net_gso_check(nb->pkt, len, &gso,
					   nb->cfg.offer.mtu + HV_ETH_HLEN,
					   &v, &mss);

	if (bad)
		return bad;
	gso.mss = (uint16_t)mss;
	nb->stats.tx_gso++;
	nb->stats.tx_segments += hv_net_gso_segments(nb->pkt, &v, mss);
	if (nb->sw_port >= 0)
		hv_netswitch_input_gso(nb->cfg.sw, nb->sw_port, nb->pkt, len,
				       &gso);
	return NULL;
}

const char *netback_tx_offload(struct hv_netback *nb, size_t len,
			       bool csum_blank,
			       const struct netif_extra_info *gso)
{
	const struct hv_netback_features *f = &nb->cfg.offer;
	struct hv_net_l4 v;
	const char *bad;

	if (gso)
		return tx_gso(nb, len, gso);
	if (!csum_blank) {
		to_switch(nb, nb->pkt, len);
		return NULL;
	}
	if ((bad = hv_net_l4_parse(nb->pkt, len, &v)))
		return bad;
	if (v.ipv6 ? !f->ipv6_csum : !f->csum)
		return v.ipv6 ? "csum_blank on IPv6: ipv6 checksum offload "
			       "was not offered" : "csum_blank: checksum "
			       "offload was not offered";
	hv_net_l4_fill_csum(nb->pkt, &v);
	nb->stats.tx_csum_filled++;
	to_switch(nb, nb->pkt, len);
	return NULL;
}
