/* SPDX-License-Identifier: BSD-2-Clause */
/* See xs_world.h. */
#include <string.h>

#include "guest_port.h"
#include "xs_world.h"

#define TIMEOUT_NS 50000000ull    /* 50 virtual ms a request */

static struct xs_world *cur;

static void server_notified(void *opaque)
{
	(void)opaque;
	cur->notifies++;
}

static void serve(void)
{
	if (cur->ring && !cur->silent)
		hv_xs_ring_kick(cur->ring);
}

/* The guest's kick runs the server to completion, as an event would. */
static void kick(void *ctx)
{
	(void)ctx;
	cur->kicks++;
	serve();
}

static void wait_once(void *ctx, uint64_t deadline_ns)
{
	(void)ctx;
	(void)deadline_ns;
	cur->now += 1000000;
	cur->waits++;
	if (cur->on_wait)
		cur->on_wait(cur);
	serve();
}

static uint64_t now(void *ctx)
{
	(void)ctx;
	return cur->now;
}

static const struct xs_transport transport = {
	.kick = kick, .wait = wait_once, .now_ns = now,
	.timeout_ns = TIMEOUT_NS,
};

int xs_world_start(struct xs_world *w, bool with_server)
{
	struct hv_xs_domain_info info = { .domid = XS_WORLD_DOMID, .name = "guest",
					   .memory_kb = 65536, .vcpus = 1 };

	memset(w, 0, sizeof(*w));
	cur = w;
	test_guest_port_attach();
	w->page.req_cons = w->page.req_prod = 0xfffffff0u;
	w->page.rsp_cons = w->page.rsp_prod = 0xffffff00u;
	if (with_server) {
		w->xs = hv_xs_new(NULL);
		if (!w->xs || hv_xs_toolstack_create_domain(w->xs, &info))
			return -1;
		w->ring = hv_xs_ring_new(w->xs, XS_WORLD_DOMID, &w->page,
					 server_notified, NULL);
		if (!w->ring)
			return -1;
	}
	return xs_connect(&w->page, &transport);
}

int xs_world_reconnect(struct xs_world *w)
{
	return xs_connect(&w->page, &transport);
}

void xs_world_stop(struct xs_world *w)
{
	xs_disconnect();
	if (w->ring)
		hv_xs_ring_free(w->ring);
	if (w->xs)
		hv_xs_free(w->xs);
	w->ring = NULL;
	w->xs = NULL;
}
