/* SPDX-License-Identifier: BSD-2-Clause */
/* Log and Xen console of the model: every line the simulated hypervisor or a
 * guest prints goes through one sink per machine, with Xen's prefixes:
 * "(XEN) " for the hypervisor, "(dN) " for a domU's console_io output. */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>

struct hv_machine;

enum hv_log_level {
	HV_LOG_ERR,
	HV_LOG_WARN,
	HV_LOG_INFO,
	HV_LOG_DEBUG,
};

/* Where a finished console line goes; line has no trailing newline. */
typedef void hv_console_sink_fn(void *ctx, const char *line);

/* Hypervisor message at a level; printed as "(XEN) ..." when the machine's
 * log level lets it through. */
void hv_log(struct hv_machine *m, enum hv_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void hv_vlog(struct hv_machine *m, enum hv_log_level level, const char *fmt,
	     va_list ap);

/* A hypervisor message that is always shown, like Xen's printk. */
void hv_printk(struct hv_machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A whole line on the Xen console, always shown (like Xen's serial port). */
void hv_console_line(struct hv_machine *m, const char *line);

#endif
