/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim trace-report: a --trace file drawn as one self-contained HTML
 * page (inline SVG): xenbus states per device end, ring traffic per
 * device, hypercall counts per domain. */
#ifndef SIM_TRACE_REPORT_H
#define SIM_TRACE_REPORT_H

#include <stddef.h>

/* Read trace, write html; -1 with err set on a file that cannot be read,
 * is not JSON or not a trace, or an html that cannot be written. */
int sim_trace_report(const char *trace, const char *html, char *err,
		     size_t errlen);

#endif
