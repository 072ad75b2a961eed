/* SPDX-License-Identifier: BSD-2-Clause */
/* A connected backend copied and put back (see hv_netback_mark in
 * hv/netback.h): for a fuzzer that connects once and then runs every case
 * from that point, instead of a handshake of its own per case. Only with
 * no frame queued for the guest at the mark: a queued GSO packet owns its
 * bytes, which a copy would share. */
#include <stdlib.h>
#include <string.h>

#include "netback_internal.h"

struct hv_netback_mark {
	struct hv_netback nb;
};

struct hv_netback_mark *hv_netback_mark(const struct hv_netback *nb)
{
	struct hv_netback_mark *mark;

	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		if (nb->queue[i].rxq_len)
			return NULL;
	if (!(mark = malloc(sizeof(*mark))))
		return NULL;
	mark->nb = *nb;
	return mark;
}

void hv_netback_rewind(struct hv_netback *nb,
		       const struct hv_netback_mark *mark)
{
	struct hv_netback_frame *rxq[HV_NETBACK_MAX_QUEUES];

	/* The frames queued since go; the queues' memory stays ours. */
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++) {
		if (nb->queue[i].rxq)
			netback_rxq_clear(&nb->queue[i]);
		rxq[i] = nb->queue[i].rxq;
	}
	*nb = mark->nb;
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		nb->queue[i].rxq = rxq[i];
}

void hv_netback_mark_free(struct hv_netback_mark *mark)
{
	free(mark);
}
