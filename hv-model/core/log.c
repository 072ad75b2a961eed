/* SPDX-License-Identifier: BSD-2-Clause */
/* The model's console: hypervisor messages filtered by level, guest lines
 * always, everything through the machine's sink. */
#include <stdio.h>
#include <string.h>

#include "hv/log.h"
#include "hv/machine.h"

void hv_console_line(struct hv_machine *m, const char *line)
{
	if (m->console_sink)
		m->console_sink(m->console_ctx, line);
	else
		printf("%s\n", line);
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
