/* SPDX-License-Identifier: BSD-2-Clause */
/* See blk_world.h. The scripted backend trusts the frontend (the tests are
 * about the frontend distrusting it); it copies data through the model's
 * grant table, so a grant the frontend got wrong still fails loudly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "blk_world.h"
#include "hv/evtchn.h"


static void frontend_changed(struct hv_xenbus_backend *xb,
			     enum xenbus_state state, void *arg)
{
	struct blk_world *w = arg;

	(void)xb;
	w->seen = state;
	w->pending = true;
}

static unsigned long fe_ulong(struct blk_world *w, const char *node)
{
	unsigned long v = 0;

	if (hv_xenbus_frontend_read_ulong(&w->xb, node, UINT32_MAX, &v))
		return ~0ul;
	return v;
}

static void unmap_all(struct blk_world *w)
{
	for (unsigned q = 0; q < BLK_WORLD_QUEUES; q++) {
		struct blk_world_queue *queue = &w->queue[q];

		for (unsigned i = 0; i < queue->nr_maps; i++)
			hv_gnttab_unmap(w->dom0, queue->map[i].handle);
		if (queue->port)
			hv_evtchn_close_for(w->dom0, queue->port);
		memset(queue, 0, sizeof(*queue));
	}
}

/* Map one queue's ring (pages the frontend allocated contiguously). */
static bool map_queue(struct blk_world *w, unsigned q, const char *dir)
{
	struct blk_world_queue *queue = &w->queue[q];
	unsigned pages = 1u << w->ring_order;
	char node[64];

	for (unsigned i = 0; i < pages; i++) {
		unsigned long ref;

		if (w->wrote_ring_ref)
			snprintf(node, sizeof(node), "%sring-ref", dir);
		else
			snprintf(node, sizeof(node), "%sring-ref%u", dir, i);
		ref = fe_ulong(w, node);
		if (ref == ~0ul ||
		    hv_gnttab_map_ref(w->dom0, 1, (grant_ref_t)ref, false,
				      &queue->map[i]) != GNTST_okay)
			return false;
		queue->nr_maps++;
		if ((unsigned char *)queue->map[i].page !=
		    (unsigned char *)queue->map[0].page + i * 4096)
			return false;
	}
	XEN_BACK_RING_INIT(&queue->ring, (blkif_sring_t *)queue->map[0].page,
			   pages * 4096);
	snprintf(node, sizeof(node), "%sevent-channel", dir);
	return fe_ulong(w, node) != ~0ul &&
	       hv_evtchn_bind_interdomain_for(w->dom0, 1,
					      (evtchn_port_t)fe_ulong(w, node),
					      &queue->port) == 0;
}

static void connect(struct blk_world *w)
{
	unsigned long order = fe_ulong(w, "ring-page-order");
	unsigned long queues = fe_ulong(w, "multi-queue-num-queues");
	char dir[32];

	unmap_all(w);       /* rings kept from an earlier connection */
	w->wrote_ring_ref = order == ~0ul;
	w->ring_order = w->wrote_ring_ref ? 0 : (unsigned)order;
	w->nr_queues = queues == ~0ul ? 1 : (unsigned)queues;
	if (w->ring_order > 2 || w->nr_queues > BLK_WORLD_QUEUES)
		goto fail;
	for (unsigned q = 0; q < w->nr_queues; q++) {
		if (w->nr_queues == 1)
			dir[0] = '\0';
		else
			snprintf(dir, sizeof(dir), "queue-%u/", q);
		if (!map_queue(w, q, dir))
			goto fail;
	}
	w->connects++;
	hv_xenbus_backend_switch_state(&w->xb, XenbusStateConnected);
	return;
fail:
	unmap_all(w);
	hv_xenbus_backend_printf(&w->xb, "error", "bad ring keys");
	hv_xenbus_backend_switch_state(&w->xb, XenbusStateClosing);
}

static void act_on_frontend(struct blk_world *w)
{
	if (!w->pending)
		return;
	w->pending = false;
	switch (w->seen) {
	case XenbusStateInitialised:
		if (w->xb.be_state != XenbusStateConnected)
			connect(w);
		break;
	case XenbusStateClosing:
		hv_xenbus_backend_switch_state(&w->xb, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		if (!w->keep_maps)
			unmap_all(w);
		hv_xenbus_backend_switch_state(&w->xb, XenbusStateClosed);
		break;
	case XenbusStateInitialising:
		if (w->xb.be_state == XenbusStateClosed)
			hv_xenbus_backend_switch_state(&w->xb,
						       XenbusStateInitWait);
		break;
	default:
		break;
	}
}

/* Copy one segment between the disk and the granted page. */
static int16_t move_segment(struct blk_world *w, bool to_disk,
			    const struct blkif_request_segment *seg,
			    uint64_t *pos)
{
	uint16_t off = (uint16_t)(seg->first_sect * 512);
	uint16_t len = (uint16_t)((seg->last_sect - seg->first_sect + 1) * 512);

	if (seg->last_sect < seg->first_sect || seg->last_sect > 7 ||
	    *pos + len > w->disk_bytes)
		return BLKIF_RSP_ERROR;
	if (to_disk ? hv_gnttab_copy_from_ref(w->dom0, 1, seg->gref, off,
					      w->disk + *pos, len) :
		      hv_gnttab_copy_to_ref(w->dom0, 1, seg->gref, off,
					    w->disk + *pos, len))
		return BLKIF_RSP_ERROR;
	if (!to_disk && w->corrupt_reads) {
		unsigned char flipped = w->disk[*pos] ^ 1;

		hv_gnttab_copy_to_ref(w->dom0, 1, seg->gref, off, &flipped, 1);
	}
	*pos += len;
	return BLKIF_RSP_OKAY;
}

static int16_t do_rw(struct blk_world *w, uint8_t op, uint64_t sector,
		     const struct blkif_request_segment *seg, unsigned nseg)
{
	uint64_t pos = sector * 512;
	int16_t st = BLKIF_RSP_OKAY;

	for (unsigned i = 0; i < nseg && st == BLKIF_RSP_OKAY; i++)
		st = move_segment(w, op != BLKIF_OP_READ, &seg[i], &pos);
	return st;
}

static int16_t do_request(struct blk_world *w, const union blkif_sring_entry *e)
{
	const struct blkif_request_indirect *ind = (const void *)e;
	const struct blkif_request_discard *d = (const void *)e;
	struct blkif_request_segment seg[64];

	switch (e->req.operation) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		return do_rw(w, e->req.operation, e->req.sector_number,
			     e->req.seg, e->req.nr_segments);
	case BLKIF_OP_WRITE_BARRIER:
		if (w->flush_unsupported)
			return BLKIF_RSP_EOPNOTSUPP;
		return do_rw(w, BLKIF_OP_WRITE, e->req.sector_number,
			     e->req.seg, e->req.nr_segments);
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (w->flush_error)
			return BLKIF_RSP_ERROR;
		return w->flush_unsupported ? BLKIF_RSP_EOPNOTSUPP :
					      BLKIF_RSP_OKAY;
	case BLKIF_OP_DISCARD:
		if (w->discard_unsupported)
			return BLKIF_RSP_EOPNOTSUPP;
		if ((d->sector_number + d->nr_sectors) * 512 > w->disk_bytes)
			return BLKIF_RSP_ERROR;
		memset(w->disk + d->sector_number * 512, 0xdd,
		       d->nr_sectors * 512);
		return BLKIF_RSP_OKAY;
	case BLKIF_OP_INDIRECT:
		if (ind->nr_segments > 64 ||
		    hv_gnttab_copy_from_ref(w->dom0, 1,
					    ind->indirect_grefs[0], 0, seg,
					    (uint16_t)(ind->nr_segments *
						       sizeof(seg[0]))))
			return BLKIF_RSP_ERROR;
		return do_rw(w, ind->indirect_op, ind->sector_number, seg,
			     ind->nr_segments);
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
}

static void respond(struct blk_world_queue *queue, uint64_t id, uint8_t op,
		    int16_t status)
{
	struct blkif_response *rsp =
		XEN_RING_RSP(&queue->ring, queue->ring.rsp_prod_pvt);

	memset(rsp, 0, sizeof(*rsp));
	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	queue->ring.rsp_prod_pvt++;
}

/* Answer request e, misbehaving as scripted once `after` went by. */
static void answer(struct blk_world *w, struct blk_world_queue *queue,
		   const union blkif_sring_entry *e, int16_t status)
{
	bool bad = w->responses >= w->after;
	uint64_t id = e->req.id;
	uint8_t op = e->req.operation;

	w->responses++;
	if (!bad || w->mode == BW_GOOD) {
		respond(queue, id, op, status);
		return;
	}
	switch (w->mode) {
	case BW_BAD_ID:
		respond(queue, id + 1000, op, status);
		break;
	case BW_DUPLICATE_ID:
		/* The first answer twice, the next never: as many responses
		 * as requests, one id repeated. */
		if (w->responses == w->after + 1) {
			respond(queue, id, op, status);
			respond(queue, id, op, status);
		}
		break;
	case BW_ID_NOT_PENDING:
		respond(queue, id ^ 1, op, status);
		break;
	case BW_WRONG_OP:
		respond(queue, id, (uint8_t)(op == BLKIF_OP_READ ?
					     BLKIF_OP_WRITE : BLKIF_OP_READ),
			status);
		break;
	case BW_UNKNOWN_STATUS:
		respond(queue, id, op, 7);
		break;
	case BW_RSP_PROD_OVERFLOW:
		respond(queue, id, op, status);
		queue->ring.rsp_prod_pvt += 5;
		break;
	default:
		break;
	}
}

static void serve_queue(struct blk_world *w, struct blk_world_queue *queue)
{
	blkif_sring_t *sring = queue->ring.sring;
	RING_IDX prod = __atomic_load_n(&sring->req_prod, __ATOMIC_ACQUIRE);
	RING_IDX before = queue->ring.rsp_prod_pvt;

	while (queue->ring.req_cons != prod) {
		union blkif_sring_entry e;

		memcpy(&e, XEN_RING_REQ(&queue->ring, queue->ring.req_cons),
		       sizeof(e));
		queue->ring.req_cons++;
		w->requests++;
		w->last_op = e.req.operation;
		if (w->mode == BW_SILENT && w->responses >= w->after)
			continue;
		answer(w, queue, &e, do_request(w, &e));
	}
	if (queue->ring.rsp_prod_pvt == before)
		return;
	__atomic_store_n(&sring->rsp_prod, queue->ring.rsp_prod_pvt,
			 __ATOMIC_RELEASE);
	hv_evtchn_send_from(w->dom0, queue->port);
}

bool blk_world_dom0_work(void *ctx)
{
	struct blk_world *w = ctx;

	if (w->on_turn)
		w->on_turn(w);
	act_on_frontend(w);
	if (w->manual || w->xb.be_state != XenbusStateConnected)
		return false;
	for (unsigned q = 0; q < w->nr_queues; q++)
		if (w->queue[q].nr_maps)
			serve_queue(w, &w->queue[q]);
	return false;
}

static const char *const defaults[] = {
	"sector-size", "512",
	"feature-flush-cache", "1",
	"feature-barrier", "1",
	"feature-discard", "1",
	"discard-granularity", "4096",
	"discard-secure", "1",
	"feature-persistent", "1",
	"feature-max-indirect-segments", "32",
	"max-ring-page-order", "2",
	"info", "0",
	NULL,
};

static int write_keys(struct blk_world *w, const char *const *keys,
		      bool *sectors_given, unsigned long *sector_size)
{
	char path[160];

	for (unsigned i = 0; keys && keys[i]; i += 2) {
		snprintf(path, sizeof(path), BLK_WORLD_BE "/%s", keys[i]);
		if (hv_xs_write_str(w->xs, path, keys[i + 1]))
			return -1;
		if (strcmp(keys[i], "sectors") == 0)
			*sectors_given = true;
		if (strcmp(keys[i], "sector-size") == 0)
			*sector_size = strtoul(keys[i + 1], NULL, 10);
	}
	return 0;
}

int blk_world_start(struct blk_world *w, uint64_t disk_bytes,
		    const char *const *keys)
{
	return blk_world_start_with(w, disk_bytes, keys, NULL, NULL);
}

int blk_world_attach(struct blk_world *w, struct hv_domain *dom0,
		     struct hv_xs *xs, uint64_t disk_bytes,
		     const char *const *keys)
{
	unsigned long sector_size = 512;
	bool sectors_given = false;
	char value[32];

	w->dom0 = dom0;
	w->xs = xs;
	w->disk = calloc(1, disk_bytes);
	w->disk_bytes = disk_bytes;
	if (!w->disk)
		return -1;
	if (hv_xenbus_backend_create(&w->xb, w->xs, 1, "vbd", BLK_WORLD_VDEV,
				     frontend_changed, w) ||
	    write_keys(w, defaults, &sectors_given, &sector_size) ||
	    write_keys(w, keys, &sectors_given, &sector_size)) {
		printf("blk_world: cannot create the backend\n");
		return -1;
	}
	if (!sectors_given && sector_size) {
		snprintf(value, sizeof(value), "%llu",
			 (unsigned long long)(disk_bytes / sector_size));
		if (hv_xs_write_str(w->xs, BLK_WORLD_BE "/sectors", value))
			return -1;
	}
	return 0;
}

void blk_world_detach(struct blk_world *w)
{
	unmap_all(w);
	if (w->xb.xs)
		hv_xenbus_backend_destroy(&w->xb);
	free(w->disk);
	w->disk = NULL;
}

int blk_world_start_with(struct blk_world *w, uint64_t disk_bytes,
			 const char *const *keys, hv_console_sink_fn *sink,
			 void *sink_ctx)
{
	struct sim_config cfg;
	struct sim_result res;

	memset(w, 0, sizeof(*w));
	sim_config_init(&cfg);
	cfg.memory_mib = 64;
	cfg.log_level = HV_LOG_ERR;
	cfg.dom0_extra = blk_world_dom0_work;
	cfg.dom0_extra_ctx = w;
	cfg.console_sink = sink;
	cfg.console_ctx = sink_ctx;
	w->sn = sim_native_start(&cfg, &res);
	if (!w->sn) {
		printf("blk_world: %s\n", res.message);
		return -1;
	}
	return blk_world_attach(w, sim_native_dom0(w->sn),
				sim_native_xs(w->sn), disk_bytes, keys);
}

bool blk_world_stop(struct blk_world *w)
{
	struct sim_result res;
	bool running = true;

	if (w->sn) {
		running = sim_native_running(w->sn, &res);
		if (!running)
			printf("blk_world: the guest stopped: %s\n",
			       res.message);
		blk_world_detach(w);
		sim_native_stop(w->sn);
	}
	free(w->disk);
	memset(w, 0, sizeof(*w));
	return running;
}

int blk_world_read_fe(struct blk_world *w, const char *node, char *buf,
		      unsigned size)
{
	char path[160];
	int n;

	snprintf(path, sizeof(path), BLK_WORLD_FE "/%s", node);
	n = hv_xs_read(w->xs, path, buf, size - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}
