/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The xenstore load generator's workloads: raw wire-protocol clients on a
 * unix socket, each checking every reply (type, req_id, payload where it is
 * known) and stopping the benchmark on the first wrong one, so a daemon
 * that answers fast but wrongly cannot score.
 */
#ifndef XS_LOAD_H
#define XS_LOAD_H

#include <stddef.h>

enum xs_workload {
	XS_LOAD_READ,
	XS_LOAD_WRITE,
	XS_LOAD_DIRECTORY,
	XS_LOAD_TRANSACTION,
	XS_LOAD_WATCH,
	XS_LOAD_PIPELINED_READ,
	XS_LOAD_FOUR_WRITERS,
	XS_LOAD_COUNT,
};

extern const char *const xs_load_name[XS_LOAD_COUNT];
extern const char *const xs_load_unit[XS_LOAD_COUNT];

/* Writes the nodes every workload expects; the daemon must be empty. */
void xs_load_prepare(const char *socket_path);

struct xs_load_result {
	double units;   /* reads, writes, transactions, events ... done */
	double seconds; /* the time they took */
};

/* Runs one workload for about `seconds`. */
struct xs_load_result xs_load_run(const char *socket_path, enum xs_workload w, double seconds);

#endif /* XS_LOAD_H */
