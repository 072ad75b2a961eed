/* SPDX-License-Identifier: BSD-2-Clause */
/* What gdb reads, writes and watches in the guest: memory by virtual
 * address, through the vCPU's own stage-1 tables (identity with the MMU
 * off), and breakpoints and watchpoints as engine hooks keyed by address,
 * so nothing is ever written into guest memory: neither the guest nor the
 * model can see a breakpoint. Software and hardware breakpoints are the
 * same hook; a watchpoint is a memory hook on its range, and while one is
 * set every instruction is hooked so the stop lands exactly after the
 * access (gdb then knows the accessing instruction ran). */
#include <stdio.h>
#include <string.h>

#include <xen/errno.h>

#include "gdb_internal.h"
#include "hv/guest_va.h"
#include "vcpu.h"

/* Translations are looked up one smallest page at a time. */
#define PAGE 4096u

/* ---- memory ---- */

static uint8_t *va_ptr(struct sim_vcpu *vc, uint64_t va, size_t len,
		       bool write)
{
	struct hv_mmu_regs regs;
	struct hv_gva_xlate x;

	vc->arch->mmu_regs(vc, &regs);
	if (hv_stage1_walk(&vc->v->domain->mem, &regs, va, &x))
		return NULL;
	(void)write;        /* gdb may write read-only pages, as a debugger */
	return hv_gpa_ptr(&vc->v->domain->mem, x.gpa, len);
}

/* One piece of an access, never crossing a page. */
static size_t chunk(uint64_t va, size_t left)
{
	size_t in_page = PAGE - (size_t)(va % PAGE);

	return left < in_page ? left : in_page;
}

size_t gdb_mem_read(struct sim_vcpu *vc, uint64_t va, uint8_t *buf,
		    size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = chunk(va + done, len - done);
		const uint8_t *p = va_ptr(vc, va + done, n, false);

		if (!p)
			break;
		memcpy(buf + done, p, n);
		done += n;
	}
	return done;
}

size_t gdb_mem_write(struct sim_vcpu *vc, uint64_t va, const uint8_t *buf,
		     size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = chunk(va + done, len - done);
		uint8_t *p = va_ptr(vc, va + done, n, true);

		if (!p)
			break;
		memcpy(p, buf + done, n);
		done += n;
	}
	/* The engine may hold translated code from what changed. */
	if (done)
		uc_ctl_remove_cache(vc->uc, va, va + done);
	return done;
}

/* Drop the code translated from the guest's image, so that every block
 * calls the hooks added since. The image holds all the code the guest
 * runs; dropping it all (the engine's TB flush) takes seconds. */
static void retranslate_image(struct sim_vcpu *vc)
{
	const struct sim_boot *b = &vc->sim->boot;

	uc_ctl_remove_cache(vc->uc, b->image_start, b->image_end);
}

/* ---- stops ---- */

void gdb_stop_cpu(struct sim_vcpu *vc, int signal, const char *why)
{
	struct sim_gdb_cpu *d = &vc->dbg;

	d->stop_signal = signal;
	snprintf(d->stop_why, sizeof(d->stop_why), "%s", why);
	if (vc->stop < SIM_STOP_CHECK)
		vc->stop = SIM_STOP_CHECK;
	uc_emu_stop(vc->uc);
}

/* Runs before the instruction at a breakpoint's address. */
static void on_break(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	struct sim_gdb *gdb = vc->dbg.gdb;

	(void)uc;
	(void)size;
	if (vc->dbg.step && addr == vc->dbg.step_from)
		return;           /* the step's own first instruction */
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS; i++) {
		const struct gdb_point *p = &gdb->point[i];

		if (p->used && p->addr == addr && p->type <= GDB_BREAK_HW) {
			gdb_stop_cpu(vc, GDB_SIGTRAP, p->type == GDB_BREAK_SW ?
				     "swbreak:;" : "hwbreak:;");
			vc->have_resume = true;
			vc->resume = addr;
			return;
		}
	}
}

/* A watched access, from inside its instruction: noted, reported before
 * the next one. */
static void on_watch(uc_engine *uc, uc_mem_type type, uint64_t addr,
		     int size, int64_t value, void *ctx)
{
	struct sim_vcpu *vc = ctx;
	struct sim_gdb *gdb = vc->dbg.gdb;
	bool write = type == UC_MEM_WRITE;

	(void)uc;
	(void)value;
	if (vc->dbg.watch_hit)
		return;
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS; i++) {
		const struct gdb_point *p = &gdb->point[i];
		const char *kind;

		if (!p->used || p->type < GDB_WATCH_WRITE ||
		    addr + (uint64_t)size <= p->addr || addr >= p->addr + p->len)
			continue;
		if (p->type == GDB_WATCH_WRITE && !write)
			continue;
		if (p->type == GDB_WATCH_READ && write)
			continue;
		kind = p->type == GDB_WATCH_WRITE ? "watch" :
		       p->type == GDB_WATCH_READ ? "rwatch" : "awatch";
		vc->dbg.watch_hit = true;
		snprintf(vc->dbg.watch_why, sizeof(vc->dbg.watch_why),
			 "%s:%llx;", kind, (unsigned long long)p->addr);
		return;
	}
}

/* Every instruction while a watchpoint is set or a step runs: the one
 * after a watched access, or after the step's first, stops before it
 * runs. A step over a wfi stops once the vCPU wakes. */
static void on_insn(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	struct sim_gdb_cpu *d = &((struct sim_vcpu *)ctx)->dbg;
	struct sim_vcpu *vc = ctx;

	(void)uc;
	(void)size;
	if (d->step && !d->step_began) {
		d->step_began = true;
		return;
	}
	if (!d->watch_hit && !d->step)
		return;
	if (d->watch_hit)
		gdb_stop_cpu(vc, GDB_SIGTRAP, d->watch_why);
	else
		gdb_stop_cpu(vc, GDB_SIGTRAP, "");
	d->watch_hit = false;
	d->step = false;
	vc->have_resume = true;
	vc->resume = addr;
}

void gdb_sync_insn_hook(struct sim_vcpu *vc)
{
	struct sim_gdb_cpu *d = &vc->dbg;
	bool want = d->step || d->gdb->nr_watch;

	if (want == d->insn_hooked)
		return;
	if (want)
		d->insn_hooked = uc_hook_add(vc->uc, &d->insn_hook, UC_HOOK_CODE,
					     on_insn, vc, 1, 0) == UC_ERR_OK;
	else
		uc_hook_del(vc->uc, d->insn_hook);
	if (!want) {
		d->insn_hooked = false;
		d->watch_hit = false;
	}
	retranslate_image(vc);
}

/* ---- hooks ---- */


static int hook_point(struct sim_vcpu *vc, unsigned i)
{
	const struct gdb_point *p = &vc->dbg.gdb->point[i];
	uc_hook *h = &vc->dbg.point_hook[i];
	uc_err err;

	if (p->type <= GDB_BREAK_HW) {
		err = uc_hook_add(vc->uc, h, UC_HOOK_CODE, on_break, vc,
				  p->addr, p->addr);
		/* Code translated before has no call to the hook. */
		uc_ctl_remove_cache(vc->uc, p->addr, p->addr + 4);
	} else {
		int types = p->type == GDB_WATCH_WRITE ? UC_HOOK_MEM_WRITE :
			    p->type == GDB_WATCH_READ ? UC_HOOK_MEM_READ :
			    UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE;

		err = uc_hook_add(vc->uc, h, types, on_watch, vc, p->addr,
				  p->addr + p->len - 1);
		gdb_sync_insn_hook(vc);
	}
	return err == UC_ERR_OK ? 0 : -1;
}

static void unhook_point(struct sim_vcpu *vc, unsigned i)
{
	const struct gdb_point *p = &vc->dbg.gdb->point[i];

	uc_hook_del(vc->uc, vc->dbg.point_hook[i]);
	if (p->type <= GDB_BREAK_HW) {
		uc_ctl_remove_cache(vc->uc, p->addr, p->addr + 4);
		return;
	}
	gdb_sync_insn_hook(vc);
}

int gdb_points_hook_cpu(struct sim_gdb *gdb, struct sim_vcpu *vc)
{
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS; i++)
		if (gdb->point[i].used && hook_point(vc, i))
			return -1;
	return 0;
}

/* ---- Z and z ---- */

static int find(struct sim_gdb *gdb, enum gdb_point_type type, uint64_t addr,
		uint64_t len)
{
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS; i++) {
		const struct gdb_point *p = &gdb->point[i];

		if (p->used && p->type == type && p->addr == addr &&
		    (type <= GDB_BREAK_HW || p->len == len))
			return (int)i;
	}
	return -1;
}

int gdb_point_insert(struct sim_gdb *gdb, enum gdb_point_type type,
		     uint64_t addr, uint64_t len)
{
	int slot = -1;

	if (type > GDB_WATCH_ACCESS)
		return -XEN_ENOSYS;
	if (type >= GDB_WATCH_WRITE &&
	    (len == 0 || len > 4096 || addr + len < addr))
		return -XEN_EINVAL;
	if (find(gdb, type, addr, len) >= 0)
		return 0;             /* inserted twice: once is enough */
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS && slot < 0; i++)
		if (!gdb->point[i].used)
			slot = (int)i;
	if (slot < 0)
		return -XEN_ENOSPC;
	gdb->point[slot] = (struct gdb_point){ .used = true, .type = type,
					       .addr = addr, .len = len };
	if (type >= GDB_WATCH_WRITE)
		gdb->nr_watch++;
	for (unsigned c = 0; c < gdb->nr_cpus; c++) {
		if (hook_point(gdb->cpu[c], (unsigned)slot)) {
			gdb_point_remove(gdb, type, addr, len);
			return -XEN_ENOMEM;
		}
	}
	return 0;
}

int gdb_point_remove(struct sim_gdb *gdb, enum gdb_point_type type,
		     uint64_t addr, uint64_t len)
{
	int slot = find(gdb, type, addr, len);

	if (slot < 0)
		return type > GDB_WATCH_ACCESS ? -XEN_ENOSYS : 0;
	if (type >= GDB_WATCH_WRITE)
		gdb->nr_watch--;
	for (unsigned c = 0; c < gdb->nr_cpus; c++)
		unhook_point(gdb->cpu[c], (unsigned)slot);
	gdb->point[slot].used = false;
	return 0;
}

void gdb_points_clear(struct sim_gdb *gdb)
{
	for (unsigned i = 0; i < SIM_GDB_MAX_POINTS; i++) {
		struct gdb_point *p = &gdb->point[i];

		if (p->used)
			gdb_point_remove(gdb, p->type, p->addr, p->len);
	}
}
