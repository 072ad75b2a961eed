/* SPDX-License-Identifier: BSD-2-Clause */
/* One simulated machine: the hypervisor model, its domains and its console.
 * Everything lives in this struct, so two machines can share a process and a
 * test or a fuzzer can build a fresh one per case. */
#ifndef HV_MACHINE_H
#define HV_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/domain.h"
#include "hv/fault.h"
#include "hv/layout.h"
#include "hv/log.h"

struct hv_timer;
struct hv_event_sink;

#define HV_MAX_DOMAINS 8

/* The version the model reports, as Xen 4.17 does. */
#define HV_XEN_MAJOR 4
#define HV_XEN_MINOR 17
#define HV_XEN_EXTRAVERSION ".0-xensim"

/* Xen's default console ring (16 KiB). */
#define HV_CONRING_SIZE 16384u

struct hv_machine {
	struct hv_domain *domain[HV_MAX_DOMAINS];   /* indexed by domid */
	/* Where domains' RAM, windows and devices go; set before the first
	 * domain is created (hv_layout_default() unless changed). */
	const struct hv_layout *layout;
	enum hv_log_level log_level;
	hv_console_sink_fn *console_sink;
	void *console_ctx;
	uint64_t seed;                 /* decides every interleaving and fault */
	struct hv_faults faults;       /* off unless a run asks (hv/fault.h) */
	uint64_t now_ns;               /* virtual time; only the model moves it */
	struct hv_timer *timers;       /* armed model timers, by deadline */
	uint64_t timer_seq;            /* arming order of the next timer */
	char cmdline[256];             /* the hypervisor's own command line */
	/* A debug build of Xen (debug=y): the debug hypercalls `hvc #0xFFxx`
	 * act; a release build (the default, like Debian's) answers them
	 * with an undefined-instruction exception. */
	bool xen_debug;
	char input[256];               /* console input for CONSOLEIO_read */
	unsigned input_len;
	/* Who hears the machine's events (hv/events.h); NULL: nobody. */
	struct hv_event_sink *event_sinks;
	/* The console ring: the last HV_CONRING_SIZE bytes of every line the
	 * console showed, as Xen keeps them for the 'w' key and
	 * CONSOLEIO/sysctl readconsole. NULL if it could not be allocated. */
	char *conring;
	uint64_t conring_prod;         /* bytes ever written */
	unsigned clock_samples;        /* the 't' key's count, as Xen keeps it */
};

/* A machine with no domains; NULL on allocation failure. The sink receives
 * every console line; NULL writes them to stdout. */
struct hv_machine *hv_machine_new(hv_console_sink_fn *sink, void *ctx);
void hv_machine_free(struct hv_machine *m);

/* Queue characters that CONSOLEIO_read hands out; returns how many fit. */
unsigned hv_machine_console_input(struct hv_machine *m, const char *s,
				  unsigned len);

#endif
