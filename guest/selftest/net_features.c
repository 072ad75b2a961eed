/* SPDX-License-Identifier: BSD-2-Clause */
/* The network frontend's features from the guest's bootargs, for the
 * network tests: net-queues=1..4 (default 1) and net-split, net-sg,
 * net-gso, net-csum, net-ipv6-csum, net-mcast, net-rx-notify = 0 or 1
 * (default 1: used when the backend offers it); what the guest takes on
 * rx, net-rx-sg, net-rx-gso (TCPv4 and v6) and net-rx-csum = 0 or 1
 * (default 1: asked of the backend); and the one line that says what was
 * negotiated. */
#include "dev/netfront.h"
#include "kern/boot.h"
#include "kern/printf.h"
#include "selftest.h"

void net_features_from_bootargs(struct netfront_features *f)
{
	netfront_features_default(f);
	f->queues = bootarg_uint("net-queues", 1, NETFRONT_MAX_QUEUES);
	if (f->queues == 0)
		f->queues = 1;
	f->split_evtchn = bootarg_uint("net-split", 1, 1);
	f->sg = bootarg_uint("net-sg", 1, 1);
	f->gso_tcpv4 = f->gso_tcpv6 = bootarg_uint("net-gso", 1, 1);
	f->csum = bootarg_uint("net-csum", 1, 1);
	f->ipv6_csum = bootarg_uint("net-ipv6-csum", 1, 1);
	f->mcast_control = bootarg_uint("net-mcast", 1, 1);
	f->rx_notify = bootarg_uint("net-rx-notify", 1, 1);
	f->rx_sg = bootarg_uint("net-rx-sg", 1, 1);
	f->rx_gso_tcpv4 = f->rx_gso_tcpv6 = bootarg_uint("net-rx-gso", 1, 1);
	f->rx_csum = bootarg_uint("net-rx-csum", 1, 1);
}

void net_features_print(const char *tag, const struct netfront *nf)
{
	const struct netfront_features *n = &nf->nego;

	kprintf("%s: features queues=%u split-evtchn=%u sg=%u gso-tcpv4=%u "
		"gso-tcpv6=%u csum=%u ipv6-csum=%u mcast=%u mtu=%u\n", tag,
		nf->nr_queues, n->split_evtchn, n->sg, n->gso_tcpv4,
		n->gso_tcpv6, n->csum, n->ipv6_csum, n->mcast_control, nf->mtu);
	kprintf("%s: rx features sg=%u gso-tcpv4=%u gso-tcpv6=%u csum=%u\n",
		tag, n->rx_sg, n->rx_gso_tcpv4, n->rx_gso_tcpv6, n->rx_csum);
}
