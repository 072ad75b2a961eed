/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hv_xs_uv: xenstored on a unix socket, driven by a libuv loop, for dom0
 * tools (Debian's xenstore-utils and libxenstore find it through
 * XENSTORED_PATH). Every connection is dom0. A client that sends a payload
 * over XENSTORE_PAYLOAD_MAX, or stops reading while replies pile up, is
 * disconnected; the others are unaffected. The process should ignore
 * SIGPIPE.
 */
#ifndef HV_XS_UV_H
#define HV_XS_UV_H

#include <uv.h>

#include <hv/xs.h>

struct hv_xs_uv;

/*
 * Listens on path (a stale socket there, one nobody answers on, is
 * replaced; a live one is -XEN_EADDRINUSE, any other file -XEN_EEXIST).
 * Returns 0 or a negative Xen errno.
 */
int hv_xs_uv_listen(struct hv_xs *xs, uv_loop_t *loop, const char *path,
		    struct hv_xs_uv **out);

/*
 * Stops listening, disconnects every client at once (their hv_xs
 * connections are freed before this returns) and removes the socket file.
 * The handles finish closing in the loop, which then frees the rest: run
 * the loop until it has no more work before closing it.
 */
void hv_xs_uv_close(struct hv_xs_uv *srv);

/* Connected clients right now (for tests). */
unsigned hv_xs_uv_clients(const struct hv_xs_uv *srv);

#endif /* HV_XS_UV_H */
