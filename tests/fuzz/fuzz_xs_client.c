/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target: the guest's xenstore client facing a malicious server. The
 * input is everything the "server" does: bytes it puts on the reply ring,
 * index values it writes, its error field. The client must never crash,
 * hang or read outside the page, whatever it is fed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "guest_port.h"
#include "gxen/xs.h"

static struct xenstore_domain_interface page;
static const uint8_t *in;
static size_t in_len;
static uint64_t clock_ns;

static uint8_t take(void)
{
	uint8_t b;

	if (!in_len)
		return 0;
	b = *in++;
	in_len--;
	return b;
}

/* Each wait, the server acts: a command byte chooses what it does. Once
 * the input is spent it only takes requests; when there are none to take
 * the client can only wait for a reply that never comes, so time jumps to
 * its deadline instead of passing a tick per wait. */
static void server_acts(void *ctx, uint64_t deadline_ns)
{
	uint8_t cmd, n;

	(void)ctx;
	if (!in_len && page.req_cons == page.req_prod &&
	    deadline_ns > clock_ns) {
		clock_ns = deadline_ns;
		return;
	}
	cmd = take();
	clock_ns += 1000000;
	switch (cmd & 7) {
	case 0:        /* take requests */
		page.req_cons = page.req_prod;
		break;
	case 1:        /* put bytes on the reply ring */
		n = take();
		for (uint8_t i = 0; i < n && in_len; i++)
			page.rsp[MASK_XENSTORE_IDX(page.rsp_prod++)] = (char)take();
		break;
	case 2:        /* move rsp_prod anywhere */
		page.rsp_prod += (uint32_t)take() << (take() & 24);
		break;
	case 3:        /* move req_cons anywhere */
		page.req_cons += (uint32_t)take() << (take() & 24);
		break;
	case 4:
		page.error = take() & 3;
		break;
	case 5:
		page.connection = take() & 1;
		break;
	default:
		break;
	}
}

static void nothing(void *ctx)
{
	(void)ctx;
}

static uint64_t now(void *ctx)
{
	(void)ctx;
	return clock_ns;
}

static void on_watch(const char *path, const char *token, void *arg)
{
	(void)path, (void)token, (void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct xs_transport tp = {
		.kick = nothing, .wait = server_acts, .now_ns = now,
		.timeout_ns = 64000000,
	};
	char buf[256];
	xs_transaction_t t;

	test_guest_port_attach();
	memset(&page, 0, sizeof(page));
	in = data;
	in_len = size;
	page.server_features = take() & 3;
	page.rsp_cons = page.rsp_prod = (uint32_t)take() << 24;
	page.req_cons = page.req_prod = (uint32_t)take() << 24;
	if (xs_connect(&page, &tp))
		return 0;
	xs_read(XBT_NIL, "a", buf, sizeof(buf));
	xs_directory(XBT_NIL, "d", buf, sizeof(buf));
	xs_watch("w", "tok", on_watch, NULL);
	xs_poll();
	if (xs_transaction_start(&t) == 0)
		xs_transaction_end(t, false);
	xs_write(XBT_NIL, "a", "v");
	xs_poll();
	xs_disconnect();
	return 0;
}
