/* What the simulator's runtimes share: the machine being run and the hooks
 * each runtime provides. */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include "hv/machine.h"
#include "loader.h"
#include "sim.h"

struct sim {
	const struct sim_config *cfg;
	struct hv_machine *machine;
	struct hv_domain *domain;
	uint64_t dtb_gpa;
	struct sim_kernel kernel;    /* emulated runtimes: the file, */
	struct sim_boot boot;        /* and where it was placed */
	struct sim_result *res;
	bool deadlocked;             /* idle with nothing to wake it */
	/* The runtime's answer to "would wfi wake now?", when it has its own
	 * interrupt controller (NULL: any raised line wakes). */
	bool (*woken)(void *ctx);
	void *woken_ctx;
	bool halted;                 /* the guest stopped its CPU */
};

/* Run the domain's vCPU 0 until it stops; fills s->res on runtime errors. */
int sim_native_run(struct sim *s);

/* One step of the machine while the guest idles: backends, timers. Returns
 * whether anything happened that could wake the guest. */
bool sim_idle_step(struct sim *s);

/* Write a formatted message into the result. */
void sim_fail(struct sim *s, enum sim_outcome o, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
