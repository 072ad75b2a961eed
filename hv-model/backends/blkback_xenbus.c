/* SPDX-License-Identifier: BSD-2-Clause */
/* The block backend's xenbus side: the nodes it offers before the frontend
 * looks, and at connect what the frontend chose (protocol, queues, ring
 * pages, event channels, persistent grants), each value read strictly and
 * checked against what was offered before anything is mapped. */
#include <stdio.h>
#include <string.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <xen/errno.h>
#include <xen/io/protocols.h>

#include "blkback_internal.h"
#include "hv/evtchn.h"
#include "hv/xs.h"

static struct hv_blkback *of(struct hv_xenbus_device *dev)
{
	return dev->priv;
}

/* ---- probe: what libxl and its hotplug script write, then what the
 * backend offers before the frontend looks ---- */

/* libxl's nodes, and what its block script writes once the device is
 * ready: the device's numbers, in hex as Linux's blkback reads them, and
 * its path. Here the device is the image itself: its numbers are those
 * of the device holding it (a loop device's under xl). */
static int write_toolstack_nodes(struct hv_blkback *bb)
{
	struct hv_xenbus_backend *xb = &bb->dev.xb;
	const char *type = bb->cdrom ? "cdrom" : "disk";
	char devid[16];
	struct stat sb;
	int rc = 0;

	if (fstat(bb->fd, &sb))
		return -XEN_EIO;

	snprintf(devid, sizeof(devid), "%u", bb->devid);
	rc |= hv_xenbus_frontend_write(xb, "virtual-device", devid);
	rc |= hv_xenbus_frontend_write(xb, "device-type", type);
	rc |= hv_xenbus_frontend_write(xb, "trusted", "1");
	rc |= hv_xenbus_backend_printf(xb, "params", "%s", bb->target);
	rc |= hv_xenbus_backend_printf(xb, "script", "/etc/xen/scripts/block");
	/* libxl serves a raw image file on a Linux dom0 as phy, through a
	 * loop device, unless the config names another backend type. */
	rc |= hv_xenbus_backend_printf(xb, "type", "%s", bb->type);
	rc |= hv_xenbus_backend_printf(xb, "mode", bb->readonly ? "r" : "w");
	rc |= hv_xenbus_backend_printf(xb, "device-type", "%s", type);
	rc |= hv_xenbus_backend_printf(xb, "dev", "%s", bb->vdev);
	rc |= hv_xenbus_backend_printf(xb, "removable", "%d", bb->cdrom);
	rc |= hv_xenbus_backend_printf(xb, "bootable", "1");
	rc |= hv_xenbus_backend_printf(xb, "discard-enable", "%d",
				       bb_offers_discard(bb));
	rc |= hv_xenbus_backend_printf(xb, "specification", "xen");
	rc |= hv_xenbus_backend_printf(xb, "physical-device", "%x:%x",
				       major(sb.st_dev), minor(sb.st_dev));
	rc |= hv_xenbus_backend_printf(xb, "physical-device-path", "%s",
				       bb->target);
	rc |= hv_xenbus_backend_printf(xb, "hotplug-status", "connected");
	return rc ? -XEN_EIO : 0;
}

/* What Linux's blkback offers at probe, before it knows the device. */
static int write_limits(struct hv_blkback *bb)
{
	struct hv_xenbus_backend *xb = &bb->dev.xb;
	const struct hv_blkback_features *f = &bb->f;
	int rc = 0;

	if (f->max_indirect_segments)
		rc |= hv_xenbus_backend_printf(xb,
					       "feature-max-indirect-segments",
					       "%u", f->max_indirect_segments);
	rc |= hv_xenbus_backend_printf(xb, "multi-queue-max-queues", "%u",
				       f->max_queues);
	rc |= hv_xenbus_backend_printf(xb, "max-ring-page-order", "%u",
				       f->max_ring_page_order);
	return rc ? -XEN_EIO : 0;
}

/* What Linux's blkback writes only at connect, once it has the device
 * and the frontend's rings: the features the device allows, its size,
 * sector sizes and info. */
static int write_device_nodes(struct hv_blkback *bb)
{
	struct hv_xenbus_backend *xb = &bb->dev.xb;
	const struct hv_blkback_features *f = &bb->f;
	unsigned info = (bb->readonly ? VDISK_READONLY : 0) |
			(bb->cdrom ? VDISK_REMOVABLE | VDISK_CDROM : 0);
	int rc = 0;

	rc |= hv_xenbus_backend_printf(xb, "feature-flush-cache", "%d",
				       bb_offers_flush(bb));
	rc |= hv_xenbus_backend_printf(xb, "feature-barrier", "%d",
				       bb_offers_barrier(bb));
	rc |= hv_xenbus_backend_printf(xb, "feature-discard", "%d",
				       bb_offers_discard(bb));
	if (bb_offers_discard(bb)) {
		rc |= hv_xenbus_backend_printf(xb, "discard-granularity", "%u",
					       f->sector_size);
		rc |= hv_xenbus_backend_printf(xb, "discard-alignment", "0");
		rc |= hv_xenbus_backend_printf(xb, "discard-secure", "%d",
					       f->discard_secure);
	}
	/* As negotiated: Linux writes what it will use. */
	rc |= hv_xenbus_backend_printf(xb, "feature-persistent", "%d",
				       bb->persistent);
	/* "sectors" counts sector-size units, as Xen 4.17's blkif.h says. */
	rc |= hv_xenbus_backend_printf(xb, "sectors", "%llu",
				       (unsigned long long)(bb->bytes /
							    f->sector_size));
	rc |= hv_xenbus_backend_printf(xb, "sector-size", "%u",
				       f->sector_size);
	rc |= hv_xenbus_backend_printf(xb, "physical-sector-size", "%u",
				       f->physical_sector_size ?
				       f->physical_sector_size :
				       f->sector_size);
	rc |= hv_xenbus_backend_printf(xb, "info", "%u", info);
	return rc ? -XEN_EIO : 0;
}

static int probe(struct hv_xenbus_device *dev)
{
	struct hv_blkback *bb = of(dev);
	int rc = write_toolstack_nodes(bb);

	return rc ? rc : write_limits(bb);
}

/* ---- connect: what the frontend chose ---- */

/* <frontend>/<node> as a string; "" when absent. */
static int read_string(struct hv_blkback *bb, const char *node, char *buf,
		       size_t size)
{
	char path[HV_XENBUS_PATH_MAX + 32];
	int n;

	snprintf(path, sizeof(path), "%s/%s", bb->dev.xb.fe_path, node);
	n = hv_xs_read(bb->dev.xb.xs, path, buf, size - 1);
	if (n == -XEN_ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	if (n < 0)
		return n;
	if ((size_t)n >= size - 1)
		return -XEN_E2BIG;
	buf[n] = '\0';
	return 0;
}

/* A number node that may be absent (then dflt). */
static int read_optional(struct hv_blkback *bb, const char *node,
			 unsigned long max, unsigned long dflt,
			 unsigned long *out)
{
	int rc = hv_xenbus_frontend_read_ulong(&bb->dev.xb, node, max, out);

	if (rc == -XEN_ENOENT) {
		*out = dflt;
		return 0;
	}
	return rc;
}

static void on_notify(void *ctx, struct hv_domain *d, evtchn_port_t port)
{
	struct bb_queue *q = ctx;

	(void)d;
	(void)port;
	/* Acted on in dom0's turn, as the seed schedules it. */
	q->kicked = true;
}

/* Map the ring pages and bind the event channel of one queue, whose nodes
 * sit in prefix ("" or "queue-N/"). */
static int connect_queue(struct hv_blkback *bb, struct bb_queue *q,
			 const char *prefix, bool ring_order_given)
{
	struct hv_xenbus_device *dev = &bb->dev;
	char node[48];
	unsigned long v;
	int rc;

	q->bb = bb;
	q->nr_pages = 1u << bb->ring_order;
	for (unsigned i = 0; i < q->nr_pages; i++) {
		if (ring_order_given)
			snprintf(node, sizeof(node), "%sring-ref%u", prefix, i);
		else
			snprintf(node, sizeof(node), "%sring-ref", prefix);
		rc = hv_xenbus_frontend_read_ulong(&dev->xb, node, UINT32_MAX,
						   &v);
		if (rc) {
			hv_xenbus_device_error(dev, rc, "reading %s", node);
			return rc;
		}
		if (hv_gnttab_map_ref(bb->dom0, bb->guest->domid,
				      (grant_ref_t)v, false, &q->ring[i]) !=
		    GNTST_okay) {
			hv_xenbus_device_error(dev, -XEN_EINVAL, "mapping %s "
					       "(grant %lu)", node, v);
			return -XEN_EINVAL;
		}
		q->nr_mapped++;
	}
	q->nr_ents = XEN_RING_SIZE(q->nr_pages * BB_PAGE,
				   sizeof(union blkif_sring_entry));
	q->req_cons = q->rsp_prod_pvt = 0;
	snprintf(node, sizeof(node), "%sevent-channel", prefix);
	rc = hv_xenbus_frontend_read_ulong(&dev->xb, node, UINT32_MAX, &v);
	if (!rc && (v == 0 ||
		    hv_evtchn_bind_interdomain_for(bb->dom0, bb->guest->domid,
						   (evtchn_port_t)v, &q->port)))
		rc = -XEN_EINVAL;
	if (!rc)
		rc = hv_evtchn_set_consumer(bb->dom0, q->port, on_notify, q);
	if (rc) {
		hv_xenbus_device_error(dev, rc, "binding %s", node);
		return rc;
	}
	/* Requests queued before we connected are waiting. */
	q->kicked = true;
	return 0;
}

static int read_protocol(struct hv_blkback *bb)
{
	char proto[32];
	int rc = read_string(bb, "protocol", proto, sizeof(proto));

	/* The model's rings have ARM's layout: that is "arm-abi", and what
	 * a frontend that names no protocol (native) means here. */
	if (!rc && proto[0] && strcmp(proto, XEN_IO_PROTO_ABI_ARM))
		rc = -XEN_EINVAL;
	if (rc)
		hv_xenbus_device_error(&bb->dev, rc, "unsupported protocol "
				       "\"%s\" (only %s)", rc == -XEN_EINVAL ?
				       proto : "?", XEN_IO_PROTO_ABI_ARM);
	return rc;
}

static int read_choices(struct hv_blkback *bb, bool *order_given)
{
	struct hv_xenbus_device *dev = &bb->dev;
	unsigned long v;
	int rc;

	rc = read_optional(bb, "multi-queue-num-queues", UINT32_MAX, 1, &v);
	if (rc || v < 1 || v > bb->f.max_queues) {
		hv_xenbus_device_error(dev, rc ? rc : -XEN_EINVAL,
				       "multi-queue-num-queues must be 1 to "
				       "%u", bb->f.max_queues);
		return rc ? rc : -XEN_EINVAL;
	}
	bb->nr_queues = (unsigned)v;
	rc = read_optional(bb, "ring-page-order", UINT32_MAX, ~0ul, &v);
	if (rc || (v != ~0ul && v > bb->f.max_ring_page_order)) {
		hv_xenbus_device_error(dev, rc ? rc : -XEN_EINVAL,
				       "ring-page-order must be 0 to %u",
				       bb->f.max_ring_page_order);
		return rc ? rc : -XEN_EINVAL;
	}
	*order_given = v != ~0ul;
	bb->ring_order = *order_given ? (unsigned)v : 0;
	rc = read_optional(bb, "feature-persistent", UINT32_MAX, 0, &v);
	if (rc) {
		hv_xenbus_device_error(dev, rc, "reading feature-persistent");
		return rc;
	}
	bb->persistent = bb->f.persistent && v;
	return 0;
}

static int connect_device(struct hv_xenbus_device *dev)
{
	struct hv_blkback *bb = of(dev);
	bool order_given;
	char prefix[24];
	int rc;

	if ((rc = read_protocol(bb)) || (rc = read_choices(bb, &order_given)))
		return rc;
	for (unsigned i = 0; i < bb->nr_queues; i++) {
		if (bb->nr_queues > 1)
			snprintf(prefix, sizeof(prefix), "queue-%u/", i);
		else
			prefix[0] = '\0';
		bb->q[i].index = i;
		rc = connect_queue(bb, &bb->q[i], prefix, order_given);
		if (rc)
			return rc;
	}
	rc = write_device_nodes(bb);
	if (rc)
		hv_xenbus_device_error(dev, rc, "writing the device's nodes");
	else
		bb_fault_connected(bb);
	return rc;
}

static void disconnect_device(struct hv_xenbus_device *dev)
{
	struct hv_blkback *bb = of(dev);

	/* The frontend closed: what was taken is answered before the rings
	 * go (a restart or the device's end drops it instead). */
	if (bb->loop_ready && !bb->drop_in_flight)
		bb_io_answer_all(bb);
	if (bb->loop_ready)
		bb_io_drain(bb, NULL);
	for (unsigned i = 0; i < HV_BLKBACK_MAX_QUEUES; i++) {
		struct bb_queue *q = &bb->q[i];

		bb_grants_forget(q);
		for (unsigned p = 0; p < q->nr_mapped; p++)
			hv_gnttab_unmap(bb->dom0, q->ring[p].handle);
		if (q->port)
			hv_evtchn_close_for(bb->dom0, q->port);
		memset(q, 0, sizeof(*q));
	}
	bb->nr_queues = 0;
}

const struct hv_xenbus_device_ops bb_xenbus_ops = {
	.probe = probe,
	.connect = connect_device,
	.disconnect = disconnect_device,
};
