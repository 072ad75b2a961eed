/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's first PV console: the ring page and event channel the
 * toolstack left in HVM_PARAM_CONSOLE_PFN / _EVTCHN (no xenbus handshake,
 * usable before xenstore). Once it is up, console output goes to the ring;
 * Xen's console_io keeps the earliest lines and takes over again when
 * there is no ring or the backend breaks it. Input comes from the ring's
 * `in` side. */
#ifndef DEV_XENCONS_H
#define DEV_XENCONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/console.h>

/* One ring page as seen by the frontend. We own out_prod and in_cons: they
 * are kept here and only written to the page; the backend's indexes are
 * read once per call and checked before use. */
struct xencons_ring {
	struct xencons_interface *page;
	XENCONS_RING_IDX out_prod;
	XENCONS_RING_IDX in_cons;
};

/* Start from the indexes on the page (a boot loader may have used it). */
void xencons_ring_attach(struct xencons_ring *r,
			 struct xencons_interface *page);
/* Put up to len bytes on the out ring; how many fit, or -XEN_EIO when the
 * backend's out_cons is impossible (the ring is broken). */
long xencons_ring_put(struct xencons_ring *r, const char *s, size_t len);
/* Take up to len bytes from the in ring; how many, or -XEN_EIO when the
 * backend's in_prod is impossible. */
long xencons_ring_get(struct xencons_ring *r, char *buf, size_t len);
/* Bytes of our output the backend has not consumed yet (0 when broken). */
size_t xencons_ring_unsent(const struct xencons_ring *r);

/* Find and attach the ring and send console output there. 0, -XEN_ENODEV
 * when this domain has none (real Xen's dom0less domUs), or another
 * negative Xen errno for unusable parameters. */
int xencons_init(void);
/* Forget the ring of a previous boot (no hypercall). */
void xencons_reset(void);
/* Whether output currently goes to the ring. */
bool xencons_active(void);

/* One input character, -XEN_EAGAIN when none is waiting, -XEN_ENODEV when
 * there is no ring (or it broke). */
int console_getc(void);
/* Read a line (up to '\n' or '\r', which is not stored) into buf, waiting
 * for input as long as it takes; at most cap - 1 characters are kept (the
 * rest of an over-long line is dropped) and buf is NUL-terminated. The
 * length kept, or -XEN_ENODEV without a ring. */
int console_read_line(char *buf, size_t cap);

#endif
