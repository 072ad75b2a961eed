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
	memcpy(&mark->nb, nb, sizeof(*nb));
	return mark;
}

void hv_netback_rewind(struct hv_netback *nb,
		       const struct hv_netback_mark *mark)
{
	struct hv_netback_frame *rxq[HV_NETBACK_MAX_QUEUES];
	struct hv_xs_conn *conn = nb->dev.xb.conn;

	/* The frames queued since go; the queues' memory stays ours. */
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++) {
		if (nb->queue[i].rxq)
			netback_rxq_clear(&nb->queue[i]);
		rxq[i] = nb->queue[i].rxq;
	}
	*nb = mark->nb;
	nb->dev.xb.conn = conn;
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		nb->queue[i].rxq = rxq[i];
}

void hv_netback_mark_free(struct hv_netback_mark *mark)
{
	free(mark);
}

/* What the rewind puts back, in a copy: the rest (the live backend's
 * queues' memory and store connection) cleared. */
static void put_back_part(struct hv_netback *dst, const struct hv_netback *nb)
{
	memcpy(dst, nb, sizeof(*dst));
	dst->dev.xb.conn = NULL;
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++)
		dst->queue[i].rxq = NULL;
}

bool hv_netback_mark_same(const struct hv_netback_mark *a,
			  const struct hv_netback_mark *b)
{
	static struct hv_netback x, y;   /* large: not on the stack */

	put_back_part(&x, &a->nb);
	put_back_part(&y, &b->nb);
	return !memcmp(&x, &y, sizeof(x));
}

void hv_netback_sleep(struct hv_netback *nb)
{
	hv_xenbus_backend_sleep(&nb->dev.xb);
}

int hv_netback_wake(struct hv_netback *nb)
{
	return hv_xenbus_backend_wake(&nb->dev.xb);
}

void hv_netback_forget(struct hv_netback *nb)
{
	if (!nb)
		return;
	hv_netback_sleep(nb);
	for (unsigned i = 0; i < HV_NETBACK_MAX_QUEUES; i++) {
		if (nb->queue[i].rxq)
			netback_rxq_clear(&nb->queue[i]);
		free(nb->queue[i].rxq);
	}
	free(nb);
}
