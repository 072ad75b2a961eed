/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cuts a transport's byte stream into whole messages. The header's len is
 * the peer's claim: it is checked against XENSTORE_PAYLOAD_MAX as soon as
 * the header is complete, before a single payload byte is accepted.
 */
#include <xen/errno.h>
#include <string.h>

#include "xs_internal.h"

#define HDR_LEN ((uint32_t)sizeof(struct xsd_sockmsg))

void hv_xs_framer_hdr(const struct hv_xs_framer *f, struct xsd_sockmsg *hdr)
{
	memcpy(hdr, f->buf, sizeof(*hdr));
}

const uint8_t *hv_xs_framer_payload(const struct hv_xs_framer *f)
{
	return f->buf + HDR_LEN;
}

void hv_xs_framer_reset(struct hv_xs_framer *f)
{
	f->have = 0;
}

size_t hv_xs_framer_want(const struct hv_xs_framer *f)
{
	struct xsd_sockmsg hdr;

	if (f->have < HDR_LEN)
		return HDR_LEN - f->have;
	hv_xs_framer_hdr(f, &hdr); /* validated by hv_xs_framer_put already */
	return HDR_LEN + hdr.len - f->have;
}

int hv_xs_framer_put(struct hv_xs_framer *f, const void *data, size_t n)
{
	struct xsd_sockmsg hdr;

	if (n > hv_xs_framer_want(f))
		return -XEN_EINVAL; /* caller bug: would run into the next message */
	memcpy(f->buf + f->have, data, n);
	f->have += (uint32_t)n;
	if (f->have < HDR_LEN)
		return 0;
	hv_xs_framer_hdr(f, &hdr);
	if (hdr.len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	return f->have == HDR_LEN + hdr.len;
}
