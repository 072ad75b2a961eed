/* SPDX-License-Identifier: BSD-2-Clause */
/* --trace FILE.json: the machine's events as a Chrome/Perfetto trace
 * (Trace Event format), written as they come, on virtual time. */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stddef.h>

struct sim_trace;
struct hv_machine;

/* Create path and write the trace's opening; NULL with err set when the
 * file cannot be created. */
struct sim_trace *sim_trace_open(const char *path, char *err, size_t errlen);
/* Follow machine m's events (a restart's new machine goes on after the
 * last event written); detach before m is freed. */
void sim_trace_attach(struct sim_trace *t, struct hv_machine *m);
void sim_trace_detach(struct sim_trace *t, struct hv_machine *m);
/* Finish and close the file; -1 with err set when writing failed. */
int sim_trace_close(struct sim_trace *t, char *err, size_t errlen);

#endif
