/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's console: hypervisor messages filtered by level, guest lines
 * always, everything through the machine's sink and into its console
 * ring (what the 'w' debug key prints again). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/log.h"
#include "hv/machine.h"

/* Copied in at most two pieces (where the ring wraps), not byte by byte:
 * every console line passes here. */
static void conring_put(struct hv_machine *m, const char *s, size_t len)
{
	while (len) {
		size_t at = (size_t)(m->conring_prod % HV_CONRING_SIZE);
		size_t n = HV_CONRING_SIZE - at < len ? HV_CONRING_SIZE - at
						      : len;

		memcpy(m->conring + at, s, n);
		m->conring_prod += n;
		s += n;
		len -= n;
	}
}

void hv_console_line(struct hv_machine *m, const char *line)
{
	if (m->conring) {
		conring_put(m, line, strlen(line));
		conring_put(m, "\n", 1);
	}
	if (m->console_sink)
		m->console_sink(m->console_ctx, line);
	else
		printf("%s\n", line);
}

void hv_conring_dump(struct hv_machine *m)
{
	uint64_t start, len;
	char *text, *line, *nl;

	if (!m->conring)
		return;
	len = m->conring_prod < HV_CONRING_SIZE ? m->conring_prod :
		HV_CONRING_SIZE;
	start = m->conring_prod - len;
	text = malloc(len + 1);
	if (!text)
		return;
	for (uint64_t i = 0; i < len; i++)
		text[i] = m->conring[(start + i) % HV_CONRING_SIZE];
	text[len] = '\0';
	/* As Xen writes the ring straight to the serial port: the lines
	 * are not logged again (nor put back into the ring). */
	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (m->console_sink)
			m->console_sink(m->console_ctx, line);
		else
			printf("%s\n", line);
	}
	free(text);
}

static void xen_line(struct hv_machine *m, const char *fmt, va_list ap)
{
	char line[512] = "(XEN) ";
	size_t n = strlen(line);

	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	hv_console_line(m, line);
}

void hv_vlog(struct hv_machine *m, enum hv_log_level level, const char *fmt,
	     va_list ap)
{
	if (level <= m->log_level)
		xen_line(m, fmt, ap);
}

void hv_printk(struct hv_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xen_line(m, fmt, ap);
	va_end(ap);
}

void hv_log(struct hv_machine *m, enum hv_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(m, level, fmt, ap);
	va_end(ap);
}
