/* SPDX-License-Identifier: BSD-2-Clause */
/* HYPERVISOR_console_io: a guest's writes to the Xen console, collected into
 * lines and shown as "(dN) ..." (dom0's unprefixed, as on Xen), and reads
 * from the console input for domains allowed to own the console. */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>
#include <xen/xen.h>

#include "hv/console.h"
#include "hv/hypercall.h"
#include "hv/machine.h"

/* Xen copies a write in chunks of 127 bytes and prints each before it
 * copies the next: a buffer that faults part-way prints its head first. */
#define CONSOLE_WRITE_CHUNK 127

static void flush_line(struct hv_domain *d)
{
	char line[HV_CONSOLE_LINE + 16];

	if (d->domid == 0)
		snprintf(line, sizeof(line), "%.*s", (int)d->console_len,
			 d->console_line);
	else
		snprintf(line, sizeof(line), "(d%u) %.*s", d->domid,
			 (int)d->console_len, d->console_line);
	hv_console_line(d->machine, line);
	d->console_len = 0;
}

/* Like Xen, drop what cannot be shown rather than trust the guest: which
 * bytes go into a line (a table: a fuzzed guest writes thousands of
 * bytes, and a test per byte is most of what a write costs). A char is
 * compared as the host's char, signed or not, as a test on c would be. */
#define SAME16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
#define HIGH      (CHAR_MIN < 0 ? 0 : 1)   /* bytes 0x80-0xff */
static const unsigned char shown[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,      /* tab only */
	SAME16(0),
	SAME16(1), SAME16(1), SAME16(1), SAME16(1), SAME16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,      /* not DEL */
	SAME16(HIGH), SAME16(HIGH), SAME16(HIGH), SAME16(HIGH),
	SAME16(HIGH), SAME16(HIGH), SAME16(HIGH), SAME16(HIGH),
};

/* Whether all 8 bytes of w are shown (none below 0x20, tab included;
 * none 0x7f; none 0x80-0xff unless those are shown): then they go into
 * the line at once. A tab, shown, takes the byte loop. Each test is exact for "is there such a byte"
 * (borrows only ever flag bytes above one that really is). */
static bool all_shown8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80;
	uint64_t del = w ^ (ones * 0x7f);

	if ((w - ones * 0x20) & ~w & highs)
		return false;
	if ((del - ones) & ~del & highs)
		return false;
	return HIGH || !(w & highs);
}

/* Eight bytes into line at at, each kept only if shown: a byte is always
 * written and at moves past it only then. Unrolled: no test per byte. */
static unsigned put_by_table(char *line, unsigned at, const char *s)
{
#define PUT(k) (line[at] = s[k], at += shown[(unsigned char)s[k]])
	PUT(0); PUT(1); PUT(2); PUT(3); PUT(4); PUT(5); PUT(6); PUT(7);
#undef PUT
	return at;
}

/* Adds s[0..len), which holds no newline, to the line being built; a
 * full line goes out at once. */
static void console_put_run(struct hv_domain *d, const char *s, size_t len)
{
	const size_t full = sizeof(d->console_line) - 1;

	while (len) {
		/* Each byte adds at most one: this many cannot overflow. */
		size_t n = full - d->console_len < len ? full - d->console_len
						       : len;
		unsigned at = d->console_len;

		size_t i = 0;

		/* Eight at a time (at + 8 stays within what n leaves room
		 * for): at once when all are shown, else through the table
		 * without testing the word again for each of its bytes. */
		for (; n - i >= 8; i += 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (all_shown8(w)) {
				memcpy(d->console_line + at, &w, 8);
				at += 8;
			} else {
				at = put_by_table(d->console_line, at, s + i);
			}
		}
		for (; i < n; i++) {
			d->console_line[at] = s[i];
			at += shown[(unsigned char)s[i]];
		}
		d->console_len = at;
		s += n;
		len -= n;
		if (d->console_len == full)
			flush_line(d);
	}
}

void hv_console_guest_chars(struct hv_domain *d, const char *s, size_t len)
{
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t run = nl ? (size_t)(nl - s) : len;

		console_put_run(d, s, run);
		if (!nl)
			break;
		flush_line(d);
		s += run + 1;
		len -= run + 1;
	}
}

static long console_write(struct hv_vcpu *v, uint32_t count, uint64_t gva)
{
	struct hv_domain *d = v->domain;
	char chunk[CONSOLE_WRITE_CHUNK];
	uint32_t done = 0;

	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done
							 : sizeof(chunk);

		if (hv_copy_from_guest(v, chunk, gva + done, n))
			return -XEN_EFAULT;
		hv_console_guest_chars(d, chunk, n);
		done += n;
	}
	return 0;
}

static long console_read(struct hv_vcpu *v, uint32_t count, uint64_t gva)
{
	struct hv_machine *m = v->domain->machine;
	unsigned n = count < m->input_len ? (unsigned)count : m->input_len;

	if (hv_copy_to_guest(v, gva, m->input, n))
		return -XEN_EFAULT;
	memmove(m->input, m->input + n, m->input_len - n);
	m->input_len -= n;
	return n;
}

long hv_do_console_io(struct hv_vcpu *v, const uint64_t arg[5])
{
	struct hv_domain *d = v->domain;

	if (!d->privileged && !d->is_console)
		return -XEN_EPERM;
	/* cmd and count are 32-bit in the hypercall's prototype. */
	switch ((uint32_t)arg[0]) {
	case CONSOLEIO_write:
		return console_write(v, (uint32_t)arg[1], arg[2]);
	case CONSOLEIO_read:
		return console_read(v, (uint32_t)arg[1], arg[2]);
	default:
		return -XEN_ENOSYS;
	}
}
