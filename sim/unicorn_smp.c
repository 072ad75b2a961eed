/* SPDX-License-Identifier: BSD-2-Clause */
/* Several vCPUs of one emulated domain on one host thread: each vCPU is
 * its own Unicorn engine over the same guest RAM (the model's buffers,
 * mapped in place), built when PSCI CPU_ON starts it. A seeded scheduler
 * runs one at a time in quanta: a number of instructions (uc_emu_start's
 * count) and a number of hypercalls, both drawn from the seed, so the same seed gives the same interleaving.
 * Virtual time moves only when every running vCPU waits. A vCPU resumed
 * after another ran finds its exclusive monitor cleared. Everything the
 * guest asks through PSCI (entry points, context ids) is the model's to
 * check; here only what it decided is carried out. */
#include <stdlib.h>

#include <xen/vcpu.h>

#include "hv/time.h"
#include "hv/vcpu.h"
#include "sim_internal.h"
#include "unicorn_monitor.h"
#include "vcpu.h"

/* Quanta with seed 0: 1024 instructions or 16 hypercalls, whichever
 * comes first. */
#define SMP_QUANTUM_INSNS      1024u
#define SMP_QUANTUM_HYPERCALLS 16u

struct sim_smp {
	struct sim *s;
	const struct sim_vcpu_arch *arch;
	const struct sim_boot *boot;  /* vCPU 0's: the image the others share */
	struct sim_vcpu *vc[HV_MAX_VCPUS];
	bool blocked[HV_MAX_VCPUS];   /* waits; runs again once woken */
	unsigned nr;
	unsigned cur;                 /* the vCPU running, or last run */
	uint64_t rng;
	uint64_t seed;
	uint64_t insns;               /* the running vCPU's quantum */
	unsigned calls_left;
	uint64_t switches;
};

/* xorshift64 of the scheduler's own, so its choices shift nothing else. */
static uint64_t smp_random(struct sim_smp *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return m->rng;
}

static void new_quantum(struct sim_smp *m)
{
	if (!m->seed) {
		m->insns = SMP_QUANTUM_INSNS;
		m->calls_left = SMP_QUANTUM_HYPERCALLS;
		return;
	}
	/* 1 to 4096 instructions, 1 to 32 calls. */
	m->insns = 1 + smp_random(m) % 4096;
	m->calls_left = 1 + (unsigned)(smp_random(m) % 32);
}

uint64_t sim_smp_quantum(struct sim *s)
{
	return s->smp->insns;
}

void sim_smp_after_hypercall(struct sim *s)
{
	struct sim_smp *m = s->smp;

	if (m->calls_left > 1) {
		m->calls_left--;
		return;
	}
	m->calls_left = 0;
	s->yield_wanted = true;
}

/* Whether vCPU i would run now: started, and not waiting on anything
 * still to come. */
static bool runnable(struct sim_smp *m, unsigned i)
{
	struct sim_vcpu *vc = m->vc[i];

	if (!vc || !vc->v->online || vc->v->start_pending)
		return false;
	return !m->blocked[i] || sim_unicorn_woken(vc);
}

/* CPU_ON started vCPU i during the last slice: it runs at the next. */
static bool starting(struct sim_smp *m, unsigned i)
{
	return m->s->domain->vcpu[i].start_pending;
}

/* sim_idle_step's question when every vCPU waits: would any wake? */
static bool any_woken(void *ctx)
{
	struct sim_smp *m = ctx;

	for (unsigned i = 0; i < m->nr; i++)
		if (starting(m, i) || (m->vc[i] && m->vc[i]->v->online &&
				       sim_unicorn_woken(m->vc[i])))
			return true;
	return false;
}

/* PSCI CPU_ON asked the runtime to start vCPU i: a fresh engine, its CPU
 * as do_common_cpu_on leaves it (the arch's boot state: EL1h, DAIF
 * masked, MMU off; arm32: SVC, A, I and F masked; x0 / r0 the context
 * id, in the boot's dtb slot). */
static int start_cpu(struct sim_smp *m, unsigned i)
{
	struct hv_vcpu *v = &m->s->domain->vcpu[i];
	struct sim_boot boot = *m->boot;

	boot.entry = v->start.entry;
	boot.dtb = v->start.context_id;
	boot.cpu_on = true;
	if (m->vc[i])
		sim_unicorn_close_cpu(m->vc[i]);
	m->vc[i] = sim_unicorn_open_cpu(m->s, m->arch, v, &boot);
	if (!m->vc[i])
		return -1;
	v->start_pending = false;
	m->blocked[i] = false;
	hv_vcpu_runstate_set(v, RUNSTATE_runnable);
	return 0;
}

static int start_pending_cpus(struct sim_smp *m)
{
	for (unsigned i = 1; i < m->nr; i++)
		if (m->s->domain->vcpu[i].start_pending && start_cpu(m, i))
			return -1;
	return 0;
}

/* The next vCPU to run: in turn with seed 0, as the seed picks
 * otherwise; -1 when every one waits or is down. */
static int pick(struct sim_smp *m)
{
	unsigned cand[HV_MAX_VCPUS], n = 0;

	for (unsigned k = 1; k <= m->nr; k++) {
		unsigned i = (m->cur + k) % m->nr;

		if (runnable(m, i))
			cand[n++] = i;
	}
	if (!n)
		return -1;
	return (int)cand[m->seed ? smp_random(m) % n : 0];
}

/* Run the vCPU picked for one quantum; false once the run is over. */
static bool run_one(struct sim_smp *m, unsigned i)
{
	struct sim_vcpu *vc = m->vc[i];
	enum sim_slice after;

	if (i != m->cur) {
		m->switches++;
		/* Back on its CPU after another vCPU ran: Xen's return to
		 * the guest (an exception return) leaves no exclusive
		 * monitor, so an STXR/STREX whose LDXR/LDREX came before
		 * the switch fails, as on hardware. */
		sim_uc_monitor_clear(vc->uc, m->arch->uc_arch == UC_ARCH_ARM64);
	}
	m->cur = i;
	new_quantum(m);
	m->s->yield_wanted = false;
	hv_vcpu_runstate_set(vc->v, RUNSTATE_running);
	after = sim_unicorn_slice(vc);
	if (after == SIM_SLICE_DONE)
		return false;
	m->blocked[i] = after == SIM_SLICE_BLOCKED;
	if (vc->v->online)
		hv_vcpu_runstate_set(vc->v, m->blocked[i] ? RUNSTATE_blocked :
				     RUNSTATE_runnable);
	return true;
}

/* Every running vCPU waits: the machine runs (virtual time jumps) until
 * one would wake; false when nothing ever will, or a limit is reached. */
static bool idle_all(struct sim_smp *m)
{
	struct sim *s = m->s;
	bool any_online = false;

	for (unsigned i = 0; i < m->nr; i++)
		any_online |= m->vc[i] && m->vc[i]->v->online;
	if (!any_online) {
		/* Every vCPU took itself down: the domain hangs, as on Xen. */
		s->deadlocked = true;
		return false;
	}
	if (sim_idle_step(s))
		return true;
	if (s->limit && hv_domain_running(s->domain))
		sim_unicorn_limit(m->vc[m->cur]);
	return false;
}

enum sim_slice sim_unicorn_smp_slice(struct sim_smp *m)
{
	int i;

	if (!hv_domain_running(m->s->domain) || start_pending_cpus(m))
		return SIM_SLICE_DONE;
	i = pick(m);
	if (i < 0)
		return SIM_SLICE_BLOCKED;
	if (!run_one(m, (unsigned)i))
		return SIM_SLICE_DONE;
	/* The domain waits only when every vCPU does: one CPU_ON just
	 * started has yet to run. */
	for (unsigned k = 0; k < m->nr; k++)
		if (runnable(m, k) || starting(m, k))
			return SIM_SLICE_YIELD;
	return SIM_SLICE_BLOCKED;
}

struct sim_smp *sim_unicorn_smp_open(struct sim *s,
				     const struct sim_vcpu_arch *arch,
				     const struct sim_boot *boot)
{
	struct sim_smp *m = calloc(1, sizeof(*m));

	if (!m) {
		sim_fail(s, SIM_SETUP_ERROR, "out of memory");
		return NULL;
	}
	*m = (struct sim_smp){
		.s = s, .arch = arch, .boot = boot,
		.nr = s->domain->nr_vcpus,
		.seed = s->cfg->seed,
		.rng = s->cfg->seed ^ 0x9e3779b97f4a7c15ull,
	};
	s->smp = m;             /* before vCPU 0's engine: it counts quanta */
	m->vc[0] = sim_unicorn_open(s, arch, boot);
	if (!m->vc[0]) {
		s->smp = NULL;
		free(m);
		return NULL;
	}
	s->woken = any_woken;
	s->woken_ctx = m;
	s->domain->runs_secondaries = true;
	return m;
}

void sim_unicorn_smp_limit(struct sim_smp *m)
{
	sim_unicorn_limit(m->vc[m->cur]);
}

void sim_unicorn_smp_close(struct sim_smp *m)
{
	struct sim *s = m->s;

	hv_log(s->machine, HV_LOG_INFO, "d%u: %u vCPUs, %llu switches",
	       s->domain->domid, m->nr, (unsigned long long)m->switches);
	for (unsigned i = 1; i < m->nr; i++)
		if (m->vc[i])
			sim_unicorn_close_cpu(m->vc[i]);
	s->domain->runs_secondaries = false;
	sim_unicorn_close(m->vc[0]);
	s->smp = NULL;
	free(m);
}

int sim_unicorn_run_smp(struct sim *s, const struct sim_vcpu_arch *arch,
			const struct sim_boot *boot)
{
	struct sim_smp *m = sim_unicorn_smp_open(s, arch, boot);
	enum sim_slice after;

	if (!m)
		return -1;
	do
		after = sim_unicorn_smp_slice(m);
	while (after == SIM_SLICE_YIELD ||
	       (after == SIM_SLICE_BLOCKED && idle_all(m)));
	sim_unicorn_smp_close(m);
	return 0;
}
