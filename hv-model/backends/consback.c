/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's end of the PV console ring (see hv/consback.h). The guest owns
 * out_prod and in_cons and may change them, or anything in the page, at
 * any time: each is loaded once per pass and checked against the index we
 * own; ours (out_cons, in_prod) are kept here and only written to the page,
 * never read back. */
#include <string.h>

#include <xen/errno.h>
#include <xen/io/console.h>

#include "hv/consback.h"
#include "hv/console.h"
#include "hv/domain.h"
#include "hv/events.h"
#include "hv/evtchn.h"
#include "hv/log.h"

/* Output is moved in chunks of this size: a bounded copy on our stack. */
#define CONSBACK_CHUNK 256

static uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void mark_broken(struct hv_consback *cb, const char *ring,
			uint32_t prod, uint32_t cons)
{
	hv_log(cb->guest->machine, HV_LOG_ERR, "d%u console: broken %s ring "
	       "(prod %u, cons %u: more than a ring apart); no longer served",
	       cb->guest->domid, ring, prod, cons);
	cb->broken = true;
}

/* The default sink: the Xen console, as console_io output is shown. */
static size_t xen_console_write(void *ctx, const char *buf, size_t len)
{
	hv_console_guest_chars(ctx, buf, len);
	return len;
}

int hv_consback_start(struct hv_consback *cb, struct hv_domain *dom0,
		      struct hv_domain *guest, struct xencons_interface *page,
		      evtchn_port_t dom0_port, hv_consback_write_fn *write,
		      void *write_ctx)
{
	memset(cb, 0, sizeof(*cb));
	if (!page)
		return -XEN_EINVAL;
	cb->guest = guest;
	cb->dom0 = dom0;
	cb->page = page;
	cb->dom0_port = dom0_port;
	hv_consback_set_sink(cb, write, write_ctx);
	return 0;
}

void hv_consback_set_sink(struct hv_consback *cb, hv_consback_write_fn *write,
			  void *write_ctx)
{
	cb->write = write ? write : xen_console_write;
	cb->write_ctx = write ? write_ctx : cb->guest;
}

/* Copy n bytes at free-running position pos out of ring (of size size, a
 * power of two), in at most two pieces around the wrap. */
static void ring_copy_out(char *dst, const char *ring, size_t size,
			  uint32_t pos, size_t n)
{
	size_t off = pos & (size - 1);
	size_t first = size - off < n ? size - off : n;

	memcpy(dst, ring + off, first);
	memcpy(dst + first, ring, n - first);
}

static void ring_copy_in(char *ring, size_t size, uint32_t pos,
			 const char *src, size_t n)
{
	size_t off = pos & (size - 1);
	size_t first = size - off < n ? size - off : n;

	memcpy(ring + off, src, first);
	memcpy(ring, src + first, n - first);
}

/* Move what the guest produced to the sink, a chunk at a time, until the
 * ring is empty or the sink is full. Whether any byte moved. */
static bool drain_output(struct hv_consback *cb)
{
	struct xencons_interface *page = cb->page;
	uint32_t cons = cb->out_cons;
	uint32_t prod = load_acquire(&page->out_prod);  /* one read */
	char chunk[CONSBACK_CHUNK];
	bool moved = false;

	if (prod - cons > sizeof(page->out)) {
		mark_broken(cb, "out", prod, cons);
		return false;
	}
	while (cons != prod) {
		size_t n = prod - cons < sizeof(chunk) ? prod - cons
						       : sizeof(chunk);
		size_t took;

		/* load_acquire above orders these reads after the index. */
		ring_copy_out(chunk, page->out, sizeof(page->out), cons, n);
		took = cb->write(cb->write_ctx, chunk, n);
		if (took > n)
			took = n;
		cons += (uint32_t)took;
		cb->out_bytes += took;
		moved |= took > 0;
		if (took < n)
			break;
	}
	/* Done reading the slots before handing them back. */
	if (moved)
		HV_EVENT(cb->guest->machine, .kind = HV_EV_RING_CONSUME,
			 .domid = cb->guest->domid, .vcpu = HV_EV_NO_VCPU,
			 .dev = "console",
			 .arg = { 0, cons, cons - cb->out_cons });
	cb->out_cons = cons;
	store_release(&page->out_cons, cons);
	/* Still data on the ring: the sink was full; come back without a
	 * kick. */
	cb->kicked = cons != prod;
	return moved;
}

bool hv_consback_run(struct hv_consback *cb)
{
	bool moved;

	if (!cb->page || cb->broken || !cb->kicked)
		return false;
	cb->kicked = false;
	moved = drain_output(cb);
	/* Tell the guest there is room again. */
	if (moved)
		hv_evtchn_send_from(cb->dom0, cb->dom0_port);
	return moved;
}

size_t hv_consback_input_room(struct hv_consback *cb)
{
	struct xencons_interface *page = cb->page;
	uint32_t prod, cons;

	if (!page || cb->broken)
		return 0;
	prod = cb->in_prod;
	cons = load_acquire(&page->in_cons);  /* one read */
	if (prod - cons > sizeof(page->in)) {
		mark_broken(cb, "in", prod, cons);
		return 0;
	}
	return sizeof(page->in) - (prod - cons);
}

size_t hv_consback_input(struct hv_consback *cb, const char *buf, size_t len)
{
	size_t room = hv_consback_input_room(cb);
	struct xencons_interface *page = cb->page;
	uint32_t prod;
	size_t n = len < room ? len : room;

	if (n == 0)
		return 0;
	prod = cb->in_prod;
	ring_copy_in(page->in, sizeof(page->in), prod, buf, n);
	/* The bytes must be visible before the index that publishes them. */
	cb->in_prod = prod + (uint32_t)n;
	store_release(&page->in_prod, cb->in_prod);
	HV_EVENT(cb->guest->machine, .kind = HV_EV_RING_PRODUCE,
		 .domid = cb->guest->domid, .vcpu = HV_EV_NO_VCPU,
		 .dev = "console", .arg = { 1, cb->in_prod, n });
	cb->in_bytes += n;
	hv_evtchn_send_from(cb->dom0, cb->dom0_port);
	return n;
}

void hv_consback_stop(struct hv_consback *cb)
{
	/* Whatever the guest wrote before it went goes out first. */
	if (cb->page && !cb->broken) {
		cb->kicked = true;
		drain_output(cb);
	}
	cb->page = NULL;
}
