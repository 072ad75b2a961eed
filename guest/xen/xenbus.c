/* SPDX-License-Identifier: BSD-2-Clause */
/* xenbus for frontends. Everything read from the store was written by the
 * toolstack or the backend: paths and numbers are bounded and parsed
 * strictly before the driver sees them. */
#include <stdarg.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "gxen/xenbus.h"
#include "kern/printf.h"
#include "kern/string.h"

#define NR_STATES (XenbusStateReconfigured + 1)

static const char *const state_names[NR_STATES] = {
	"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
	"Closing", "Closed", "Reconfiguring", "Reconfigured",
};

/* allowed[from] has bit `to` set when a frontend may move from -> to.
 * Closing and Closed are reachable from everywhere: a driver must always
 * be able to give up. */
#define S(x) (1u << XenbusState##x)
static const uint16_t allowed[NR_STATES] = {
	[XenbusStateUnknown] = S(Initialising),
	[XenbusStateInitialising] = S(Initialising) | S(InitWait) |
				    S(Initialised) | S(Connected),
	[XenbusStateInitWait] = S(Initialised) | S(Connected),
	[XenbusStateInitialised] = S(Connected),
	[XenbusStateConnected] = S(Reconfiguring),
	[XenbusStateClosing] = 0,
	[XenbusStateClosed] = S(Initialising),
	[XenbusStateReconfiguring] = S(Reconfigured),
	[XenbusStateReconfigured] = S(Connected),
};
#undef S

const char *xenbus_state_name(enum xenbus_state state)
{
	return (unsigned)state < NR_STATES ? state_names[state] : "Invalid";
}

static int join(char *buf, size_t size, const char *dir, const char *node)
{
	int n = ksnprintf(buf, size, "%s/%s", dir, node);

	return n < 0 || (size_t)n >= size ? -XEN_E2BIG : 0;
}

/* A strict unsigned number: digits only (or 0x and hex digits), no sign,
 * no spaces, no overflow. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned base = 10;
	unsigned long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -XEN_EINVAL;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return -XEN_EINVAL;
		if (d > max || v > (max - d) / base)
			return -XEN_ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int xenbus_read_ulong(xs_transaction_t t, const char *dir, const char *node,
		      unsigned long max, unsigned long *out)
{
	char path[XENBUS_PATH_MAX + 32], value[32];
	int rc = join(path, sizeof(path), dir, node);

	if (rc)
		return rc;
	rc = xs_read(t, path, value, sizeof(value));
	if (rc < 0)
		return rc == -XEN_E2BIG ? -XEN_ERANGE : rc;
	return parse_ulong(value, max, out);
}

int xenbus_printf(xs_transaction_t t, const char *dir, const char *node,
		  const char *fmt, ...)
{
	char path[XENBUS_PATH_MAX + 32], value[128];
	va_list ap;
	int n, rc = join(path, sizeof(path), dir, node);

	if (rc)
		return rc;
	va_start(ap, fmt);
	n = kvsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		return -XEN_E2BIG;
	return xs_write(t, path, value);
}

enum xenbus_state xenbus_read_state(const char *dir)
{
	unsigned long v;

	if (xenbus_read_ulong(XBT_NIL, dir, "state", NR_STATES - 1, &v))
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

int xenbus_enumerate(const char *type,
		     void (*found)(const char *nodename, void *arg), void *arg)
{
	static char names[XENSTORE_PAYLOAD_MAX + 1];
	char dir[XENBUS_PATH_MAX], node[XENBUS_PATH_MAX];
	int count, rc;
	const char *p;

	if ((rc = join(dir, sizeof(dir), "device", type)))
		return rc;
	count = xs_directory(XBT_NIL, dir, names, sizeof(names));
	if (count == -XEN_ENOENT)
		return 0;
	if (count < 0)
		return count;
	p = names;
	for (int i = 0; i < count; i++, p += strlen(p) + 1) {
		if (join(node, sizeof(node), dir, p)) {
			kprintf("xenbus: skipping %s/<too long>\n", dir);
			continue;
		}
		found(node, arg);
	}
	return count;
}

int xenbus_probe(struct xenbus_device *dev, const char *nodename)
{
	char path[XENBUS_PATH_MAX + 16];
	unsigned long id;
	int rc;

	memset(dev, 0, sizeof(*dev));
	if (strlen(nodename) >= sizeof(dev->nodename))
		return -XEN_E2BIG;
	memcpy(dev->nodename, nodename, strlen(nodename) + 1);
	if ((rc = join(path, sizeof(path), nodename, "backend")))
		return rc;
	rc = xs_read(XBT_NIL, path, dev->otherend, sizeof(dev->otherend));
	if (rc < 0)
		return rc;
	if (dev->otherend[0] != '/') {
		kprintf("xenbus: %s: backend \"%s\" is not an absolute path\n",
			nodename, dev->otherend);
		return -XEN_EINVAL;
	}
	rc = xenbus_read_ulong(XBT_NIL, nodename, "backend-id",
			       DOMID_FIRST_RESERVED - 1, &id);
	if (rc) {
		kprintf("xenbus: %s: bad backend-id\n", nodename);
		return rc;
	}
	dev->otherend_id = (uint16_t)id;
	dev->state = xenbus_read_state(nodename);
	dev->otherend_state = xenbus_read_state(dev->otherend);
	return 0;
}

int xenbus_switch_state(struct xenbus_device *dev, enum xenbus_state next)
{
	int rc;

	if ((unsigned)next >= NR_STATES || (unsigned)dev->state >= NR_STATES)
		return -XEN_EINVAL;
	if (next == dev->state)
		return 0;
	if (next != XenbusStateClosing && next != XenbusStateClosed &&
	    !(allowed[dev->state] & 1u << next)) {
		kprintf("xenbus: %s: refusing %s -> %s\n", dev->nodename,
			xenbus_state_name(dev->state), xenbus_state_name(next));
		return -XEN_EINVAL;
	}
	rc = xenbus_printf(XBT_NIL, dev->nodename, "state", "%u",
			   (unsigned)next);
	if (rc == 0)
		dev->state = next;
	return rc;
}

static void otherend_event(const char *path, const char *token, void *arg)
{
	struct xenbus_device *dev = arg;
	enum xenbus_state st;

	(void)path;
	(void)token;
	st = xenbus_read_state(dev->otherend);
	if (st == dev->otherend_state)
		return;
	dev->otherend_state = st;
	if (dev->otherend_changed)
		dev->otherend_changed(dev, st);
}

int xenbus_watch_otherend(struct xenbus_device *dev, xenbus_otherend_fn fn)
{
	char path[XENBUS_PATH_MAX + 16];
	int rc = join(path, sizeof(path), dev->otherend, "state");

	if (rc)
		return rc;
	dev->otherend_changed = fn;
	ksnprintf(dev->watch_token, sizeof(dev->watch_token), "be:%p",
		  (void *)dev);
	return xs_watch(path, dev->watch_token, otherend_event, dev);
}

int xenbus_unwatch_otherend(struct xenbus_device *dev)
{
	char path[XENBUS_PATH_MAX + 16];
	int rc = join(path, sizeof(path), dev->otherend, "state");

	return rc ? rc : xs_unwatch(path, dev->watch_token);
}

/* The state is read again only after a write of it: the store's event
 * also comes with the replies to our own requests, and reading on each
 * would make every read wake the next wait at once, a busy loop. */
static void state_written(const char *path, const char *token, void *arg)
{
	bool *changed = arg;

	(void)path;
	(void)token;
	*changed = true;
}

/* A long wait says what it waits on: on a slow host that is the line
 * that tells a stall from a hang. */
static void note_wait(const struct xenbus_device *dev, uint64_t waited_ns)
{
	kprintf("xenbus: %s: still waiting for the backend (%s, %s) after "
		"%llu s\n", dev->nodename, dev->otherend,
		xenbus_state_name(dev->otherend_state),
		(unsigned long long)(waited_ns / 1000000000ull));
}

static int wait_for_states(struct xenbus_device *dev, unsigned want,
			   unsigned fail, uint64_t timeout_ns, bool *changed)
{
	uint64_t start = xs_now_ns(), until = start + timeout_ns;
	uint64_t note_at = start + XENBUS_WAIT_NOTE_NS;

	for (;;) {
		enum xenbus_state st;
		uint64_t now, next;

		xs_poll();
		if (*changed) {
			*changed = false;
			st = xenbus_read_state(dev->otherend);
			dev->otherend_state = st;
			if (want & XENBUS_STATE_BIT(st))
				return 0;
			if (fail & XENBUS_STATE_BIT(st))
				return -XEN_ENOTCONN;
		}
		if (!xs_connected())
			return -XEN_EIO;
		now = xs_now_ns();
		if (now >= until)
			return -XEN_ETIMEDOUT;
		if (now >= note_at) {
			note_wait(dev, now - start);
			note_at += XENBUS_WAIT_NOTE_NS;
		}
		next = note_at < until ? note_at : until;
		if (!xs_wait_until(next))
			return -XEN_ETIMEDOUT;
	}
}

int xenbus_wait_for_states(struct xenbus_device *dev, unsigned want,
			   unsigned fail, uint64_t timeout_ns)
{
	char path[XENBUS_PATH_MAX + 16], token[32];
	int rc = join(path, sizeof(path), dev->otherend, "state");
	bool changed = true;          /* read it once whatever happens */

	if (rc)
		return rc;
	/* A watch for the wait's length: every write of the state then comes
	 * with the store's event, which is what ends a wait. */
	ksnprintf(token, sizeof(token), "wait:%p", (void *)dev);
	rc = xs_watch(path, token, state_written, &changed);
	if (rc)
		return rc;
	rc = wait_for_states(dev, want, fail, timeout_ns, &changed);
	xs_unwatch(path, token);
	return rc;
}

int xenbus_wait_for_otherend(struct xenbus_device *dev,
			     enum xenbus_state state, uint64_t timeout_ns)
{
	/* Closing is a step on the way to Closed, not an error. */
	unsigned fail = XENBUS_STATE_BIT(XenbusStateClosed);

	if (state != XenbusStateClosed)
		fail |= XENBUS_STATE_BIT(XenbusStateClosing);
	return xenbus_wait_for_states(dev, XENBUS_STATE_BIT(state), fail,
				      timeout_ns);
}
