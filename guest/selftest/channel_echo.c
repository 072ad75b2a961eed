/* SPDX-License-Identifier: BSD-2-Clause */
/* Bootarg "channel-echo": on each secondary console (device/console/M, a
 * "channel" when it has a name), connect, say "channel NAME: type a line"
 * on it, read one line from it and say it back there as "channel NAME:
 * echo LINE", then close. Console 0 logs each step ("channel: ..."), so a
 * test (or a person at the other end of the channel) can check output and
 * input end to end. Whatever the backend puts on the ring is only data. */
#include <stdarg.h>

#include <xen/errno.h>

#include "dev/xencons_fe.h"
#include "gxen/xs.h"
#include "kern/printf.h"
#include "kern/string.h"
#include "port.h"
#include "selftest.h"

#define MAX_CHANNELS 8
#define LINE_MAX 128

struct found {
	unsigned n;
	char node[MAX_CHANNELS][32];
};

static void note_channel(const char *nodename, void *arg)
{
	struct found *f = arg;

	if (f->n < MAX_CHANNELS)
		ksnprintf(f->node[f->n++], sizeof(f->node[0]), "%s", nodename);
}

/* All of len bytes onto the channel, waiting while its ring is full. */
static int put_all(struct xencons_fe *fe, const char *s, size_t len)
{
	while (len) {
		long n = xencons_fe_write(fe, s, len);

		if (n < 0)
			return (int)n;
		if (n == 0) {
			arch_idle();
			continue;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

int channel_say(struct xencons_fe *fe, const char *fmt, ...)
{
	char buf[LINE_MAX + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -XEN_EINVAL;
	return put_all(fe, buf, strlen(buf));
}

int channel_read_line(struct xencons_fe *fe, char *buf, size_t cap)
{
	size_t len = 0;
	char c;

	for (;;) {
		long n = xencons_fe_read(fe, &c, 1);

		if (n < 0)
			return (int)n;
		if (n == 0) {
			/* No deadline: the other end types when it types. */
			arch_idle();
			continue;
		}
		if (c == '\n' || c == '\r')
			break;
		if (len < cap - 1)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return (int)len;
}

void channel_name(const char *node, char *name, size_t cap)
{
	char path[64];

	ksnprintf(path, sizeof(path), "%s/name", node);
	if (xs_read(XBT_NIL, path, name, cap) < 0)
		name[0] = '\0';
}

static bool echo_one(const char *node)
{
	struct xencons_fe fe;
	char name[64], line[LINE_MAX];
	int rc;

	channel_name(node, name, sizeof(name));
	rc = xencons_fe_connect(&fe, node);
	if (rc) {
		kprintf("channel: %s: cannot connect: %d\n", node, rc);
		return false;
	}
	kprintf("channel: %s (%s) connected\n", node, name);
	line[0] = '\0';
	rc = channel_say(&fe, "channel %s: type a line\n", name);
	if (!rc)
		rc = channel_read_line(&fe, line, sizeof(line));
	if (rc >= 0)
		rc = channel_say(&fe, "channel %s: echo %s\n", name, line);
	if (rc < 0)
		kprintf("channel: %s: error %d\n", node, rc);
	else
		kprintf("channel: %s echo %s\n", name, line);
	if (xencons_fe_disconnect(&fe))
		rc = rc ? rc : -XEN_EIO;
	return rc == 0;
}

unsigned channel_echo_run(void)
{
	struct found f = { 0 };
	unsigned failed = 0;
	int n = xencons_fe_enumerate(note_channel, &f);

	if (n < 0) {
		kprintf("channel: cannot list device/console: %d\n", n);
		return 1;
	}
	kprintf("channel: %u secondary console(s)\n", f.n);
	for (unsigned i = 0; i < f.n; i++)
		if (!echo_one(f.node[i]))
			failed++;
	return failed;
}
