/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's xenstore client over the shared ring page. One request is in
 * flight at a time; replies are checked strictly (type, request id,
 * transaction id, length, nul termination) before anything is believed.
 * Errors are negative Xen errno values; a broken connection is -XEN_EIO. */
#ifndef GXEN_XS_H
#define GXEN_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

typedef uint32_t xs_transaction_t;
#define XBT_NIL ((xs_transaction_t)0)

/* How the client reaches the other end: kick its event channel, and wait
 * for the other end's event. */
struct xs_transport {
	void (*kick)(void *ctx);
	/* Idle until the other end signals (it wrote to the ring or took from
	 * it) or now_ns() reaches deadline_ns (0: no deadline). May return
	 * early: the client looks at the ring and the clock after each. */
	void (*wait)(void *ctx, uint64_t deadline_ns);
	void *ctx;
	uint64_t timeout_ns;          /* per request; 0 for none */
	uint64_t (*now_ns)(void *ctx);
};

/* Connect to the ring page; performs the reconnect handshake when the
 * server offers it, so stale state from a previous owner is dropped. */
int xs_connect(struct xenstore_domain_interface *page,
	       const struct xs_transport *transport);
/* After the domain was resumed in a new one: connect to the (new) ring,
 * keep every watch and register each again with the new server (each
 * fires once, as at any registration); transactions opened before end
 * in -XEN_EAGAIN, as a conflicting one does, so that their callers
 * start them again (xs_transact does). */
int xs_resume(struct xenstore_domain_interface *page,
	      const struct xs_transport *transport);
/* Forget the connection and every watch (the page is left as it is). */
void xs_disconnect(void);
bool xs_connected(void);

/* Values and directories come back nul-terminated in buf; the length of
 * the value (or the number of directory entries) is returned. -XEN_E2BIG
 * when buf is too small. */
int xs_read(xs_transaction_t t, const char *path, char *buf, size_t size);
int xs_write(xs_transaction_t t, const char *path, const char *value);
int xs_mkdir(xs_transaction_t t, const char *path);
int xs_rm(xs_transaction_t t, const char *path);
/* Entries as consecutive nul-terminated names. */
int xs_directory(xs_transaction_t t, const char *path, char *buf,
		 size_t size);
int xs_get_domain_path(uint16_t domid, char *buf, size_t size);

int xs_transaction_start(xs_transaction_t *t);
/* Commit (abort false) or abort; -XEN_EAGAIN when the commit conflicted. */
int xs_transaction_end(xs_transaction_t t, bool abort);
/* Run body in a transaction, retrying on -XEN_EAGAIN (from the commit,
 * or from body: the transaction was lost in a suspend) up to a few times;
 * body's other errors abort the transaction and are returned. */
int xs_transact(int (*body)(xs_transaction_t t, void *arg), void *arg);

/* Watches: fn(path, token, arg) runs from xs_poll() (never from inside a
 * request), once at registration and then on each change under path. */
typedef void (*xs_watch_fn)(const char *path, const char *token, void *arg);
int xs_watch(const char *path, const char *token, xs_watch_fn fn, void *arg);
int xs_unwatch(const char *path, const char *token);
/* Deliver queued watch events; returns how many ran. */
unsigned xs_poll(void);

/* Wait for the other end's next event, or until xs_now_ns() reaches
 * deadline_ns (0: no deadline); false when not connected. Callers look at
 * what they wait for and at the clock after each return. */
bool xs_wait_until(uint64_t deadline_ns);
/* Now, on the transport's clock (0 without one). */
uint64_t xs_now_ns(void);

/* What went wrong last, for the log: the server's error name or a reason. */
const char *xs_last_error(void);

#endif
