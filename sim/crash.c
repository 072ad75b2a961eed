/* SPDX-License-Identifier: BSD-2-Clause */
/* The crash report of an emulated guest that faulted or shut down with
 * SHUTDOWN_crash, in the spirit of xenctx: the vCPU's registers and mode,
 * the instruction it stopped at disassembled (Capstone), a backtrace
 * walked through the guest's frame records (arm64: the x29 chain) or its
 * CFI (arm32), symbolized from the guest ELF (libdwfl), the domain's last
 * hypercalls and event sends, and the seed and command that replay the
 * run. Guest memory and the ELF are untrusted: every read is bounded, a
 * broken chain ends the backtrace, a missing ELF leaves names out. */
#define _GNU_SOURCE
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/sched.h>

#include "crash.h"
#include "hv/debug_dump.h"
#include "hv/hypercall.h"
#include "hv/events.h"
#include "sim_internal.h"
#include "symbols.h"
#include "vcpu.h"

#define MAX_FRAMES 32
#define PSTATE_T   (1u << 5)       /* arm32: Thumb state */

struct report {
	FILE *out;
	struct sim_vcpu *vc;
	struct hv_guest_regs regs;
	uint64_t sp;                 /* of the mode the vCPU is in */
	uint32_t spsr;               /* arm32: that mode's SPSR */
	struct sim_symbols *sy;
};

static bool read_guest(void *ctx, uint64_t addr, uint64_t *val,
		       unsigned size)
{
	struct sim_vcpu *vc = ctx;
	uint64_t v = 0;

	if (!sim_vcpu_read_va(vc, addr, &v, size))
		return false;
	*val = v;
	return true;
}

/* "  <func+0x18> at file:line" for addr (looked up at addr - back, the
 * call site for a return address); empty without symbols. */
static void where(struct report *r, uint64_t addr, uint64_t back, char *buf,
		  size_t len)
{
	char func[160], src[256];

	buf[0] = '\0';
	if (!r->sy || !sim_symbols_lookup(r->sy, addr - back, func,
					  sizeof(func), src, sizeof(src)))
		return;
	if (back) {
		/* Name the return address itself, not the byte before it. */
		char *plus = strrchr(func, '+');
		uint64_t off = plus ? strtoull(plus + 1, NULL, 16) + back : 0;

		if (plus)
			snprintf(plus, sizeof(func) - (size_t)(plus - func),
				 "+0x%" PRIx64, off);
	}
	snprintf(buf, len, " %s%s%s", func[0] ? func : "?", src[0] ? " at " : "",
		 src);
}

/* The stack pointer (and, for arm32, r13, r14 and the SPSR) of the mode
 * the vCPU is in, from the banks the runtime read out. */
static void current_mode(struct report *r)
{
	struct hv_guest_regs *g = &r->regs;
	const struct hv_banked_regs *bank;

	if (!g->aarch32) {
		r->sp = (g->cpsr & 0xf) == 0x5 ? g->sp_el1 : g->sp_el0;
		return;
	}
	switch (g->cpsr & 0x1f) {
	case 0x11: bank = &g->fiq; break;
	case 0x12: bank = &g->irq; break;
	case 0x13: bank = &g->svc; break;
	case 0x17: bank = &g->abt; break;
	case 0x1b: bank = &g->und; break;
	default:   bank = &g->usr; break;
	}
	g->x[13] = r->sp = bank->sp;
	g->x[14] = bank->lr;
	r->spsr = bank == &g->usr ? 0 : bank->spsr;
}

static void print_regs(struct report *r)
{
	const struct hv_guest_regs *g = &r->regs;
	FILE *f = r->out;
	unsigned n = g->aarch32 ? 15 : 31;

	fprintf(f, "vCPU 0 (%s), %s\n", g->aarch32 ? "arm32" : "arm64",
		hv_guest_mode_name(g->cpsr));
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "  %s%-2u %0*" PRIx64 "%s", g->aarch32 ? "r" : "x", i,
			g->aarch32 ? 8 : 16, g->x[i],
			i % 4 == 3 || i == n - 1 ? "\n" : "");
	if (g->aarch32) {
		fprintf(f, "  pc  %08" PRIx32 "  cpsr %08" PRIx32 "  spsr %08"
			PRIx32 "\n", (uint32_t)g->pc, (uint32_t)g->cpsr, r->spsr);
		fprintf(f, "  dfar %08" PRIx32 "  dfsr %08" PRIx32 "  ifar %08"
			PRIx32 "  ifsr %08" PRIx32 "\n", g->dfar, g->dfsr,
			g->ifar, g->ifsr);
	} else {
		fprintf(f, "  sp  %016" PRIx64 "  pc  %016" PRIx64 "  pstate %08"
			PRIx32 "\n", r->sp, g->pc, (uint32_t)g->cpsr);
		fprintf(f, "  elr_el1 %016" PRIx64 "  esr_el1 %08" PRIx32
			"  far_el1 %016" PRIx64 "\n", g->elr_el1,
			(uint32_t)g->esr_el1, g->far_el1);
	}
}

/* The instruction at pc, disassembled by Capstone. */
static void print_insn(struct report *r, const char *what, uint64_t pc)
{
	bool thumb = r->regs.aarch32 && (r->regs.cpsr & PSTATE_T);
	uint8_t code[4];
	cs_insn *insn = NULL;
	csh cs;
	char at[512], text[256] = "(not disassembled)";
	size_t n;

	where(r, pc, 0, at, sizeof(at));
	if (!sim_vcpu_read_va(r->vc, pc, code, sizeof(code))) {
		fprintf(r->out, "%s: 0x%" PRIx64 "%s: (unreadable)\n", what, pc,
			at);
		return;
	}
	if (cs_open(r->regs.aarch32 ? CS_ARCH_ARM : CS_ARCH_ARM64,
		    thumb ? CS_MODE_THUMB : CS_MODE_ARM, &cs) == CS_ERR_OK) {
		n = cs_disasm(cs, code, sizeof(code), pc, 1, &insn);
		if (n == 1)
			snprintf(text, sizeof(text), "%s %s (%s)",
				 insn[0].mnemonic, insn[0].op_str,
				 insn[0].size == 2 ? "16-bit" : "32-bit");
		if (insn)
			cs_free(insn, n);
		cs_close(&cs);
	}
	fprintf(r->out, "%s: 0x%" PRIx64 "%s:\n    %s\n", what, pc, at, text);
}

static void frame_line(struct report *r, unsigned i, uint64_t pc, bool ret)
{
	char at[512];

	where(r, pc, ret ? (r->regs.aarch32 ? 1 : 4) : 0, at, sizeof(at));
	fprintf(r->out, "  #%-2u 0x%0*" PRIx64 "%s\n", i, r->regs.aarch32 ? 8 : 16,
		pc, at);
}

/* arm64: x29 points at {caller's x29, return address}, each record
 * higher on the stack than the last. */
static void backtrace64(struct report *r, uint64_t pc)
{
	uint64_t fp = r->regs.x[29], prev = 0;
	unsigned i = 0;

	fprintf(r->out, "backtrace (frame records):\n");
	frame_line(r, i++, pc, false);
	while (i < MAX_FRAMES && fp && fp % 8 == 0 && fp > prev) {
		uint64_t next, ret;

		if (!read_guest(r->vc, fp, &next, 8) ||
		    !read_guest(r->vc, fp + 8, &ret, 8) || !ret)
			break;
		frame_line(r, i++, ret, true);
		prev = fp;
		fp = next;
	}
}

/* arm32: one frame up at a time through the ELF's CFI. */
static void backtrace32(struct report *r, uint64_t pc)
{
	uint64_t reg[16];
	unsigned i = 0;

	fprintf(r->out, "backtrace (CFI from the guest ELF):\n");
	memcpy(reg, r->regs.x, 15 * sizeof(reg[0]));
	reg[15] = pc;
	frame_line(r, i++, pc, false);
	if (!r->sy)
		return;
	for (uint64_t lookup = pc; i < MAX_FRAMES; i++) {
		uint64_t sp = reg[13];

		if (!sim_symbols_cfi_step32(r->sy, reg, lookup, read_guest,
					    r->vc))
			break;
		reg[15] &= ~1ull;        /* the Thumb bit of a return */
		if (!reg[15] || reg[13] < sp)
			break;
		frame_line(r, i, reg[15], true);
		lookup = reg[15] - 1;
	}
}

/* ---- the run's recent history: a sink on the model's events ---- */

#define HISTORY_MAX  256           /* events kept, every domain's */
#define HISTORY_SHOW 32            /* of those, the crashed domain's shown */

struct history_entry {
	struct hv_event ev;
	char str[64];                  /* ev.str and ev.dev point here */
	char dev[12];
};

struct sim_history {
	struct hv_event_sink sink;
	struct hv_machine *m;
	struct history_entry e[HISTORY_MAX];
	uint64_t n;                    /* events seen; the last MAX are kept */
};

/* As much of src (NULL: "") as fits, terminated: what snprintf's "%s"
 * gives, without its format parser, which cost a tenth of a network
 * run's CPU (every frame sends events). */
static void copy_string(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

static void history_add(void *ctx, const struct hv_event *ev)
{
	struct sim_history *h = ctx;
	struct history_entry *e = &h->e[h->n++ % HISTORY_MAX];

	/* The record and its strings live only during this call. */
	e->ev = *ev;
	copy_string(e->str, sizeof(e->str), ev->str);
	copy_string(e->dev, sizeof(e->dev), ev->dev);
	e->ev.str = ev->str ? e->str : NULL;
	e->ev.dev = ev->dev ? e->dev : NULL;
}

struct sim_history *sim_history_start(struct hv_machine *m)
{
	struct sim_history *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->m = m;
	h->sink.fn = history_add;
	h->sink.ctx = h;
	hv_events_attach(m, &h->sink);
	return h;
}

void sim_history_stop(struct sim_history *h)
{
	if (!h)
		return;
	hv_events_detach(h->m, &h->sink);
	free(h);
}

/* Whether ev concerns domain domid: its own doing, or sent to it. */
static bool history_of(const struct hv_event *ev, unsigned domid)
{
	return ev->domid == domid ||
	       (ev->kind == HV_EV_EVTCHN_SEND && ev->arg[1] == domid);
}

static void history_line(FILE *f, const struct hv_event *ev)
{
	uint64_t us = ev->time_ns / 1000;
	const char *dev = ev->dev ? ev->dev : "?";

	fprintf(f, "  [%6" PRIu64 ".%03" PRIu64 " ms] d%u ", us / 1000,
		us % 1000, ev->domid);
	switch (ev->kind) {
	case HV_EV_HYPERCALL:
		fprintf(f, "v%u %s(0x%" PRIx64 ", 0x%" PRIx64 ", 0x%" PRIx64
			") = %" PRId64 "\n", ev->vcpu, ev->str ? ev->str : "?",
			ev->arg[1], ev->arg[2], ev->arg[3], (int64_t)ev->arg[4]);
		break;
	case HV_EV_EVTCHN_SEND:
		fprintf(f, "event sent on port %" PRIu64 " to d%" PRIu64
			" port %" PRIu64 "\n", ev->arg[0], ev->arg[1],
			ev->arg[2]);
		break;
	case HV_EV_UPCALL:
		fprintf(f, "v%u event upcall raised\n", ev->vcpu);
		break;
	case HV_EV_RING_CONSUME:
		fprintf(f, "%s %u: backend took %" PRIu64 " request(s), queue %"
			PRIu64 " req_cons %" PRIu64 "\n", dev, ev->devid,
			ev->arg[2], ev->arg[0], ev->arg[1]);
		break;
	case HV_EV_RING_PRODUCE:
		fprintf(f, "%s %u: backend answered %" PRIu64 ", queue %" PRIu64
			" rsp_prod %" PRIu64 "\n", dev, ev->devid, ev->arg[2],
			ev->arg[0], ev->arg[1]);
		break;
	case HV_EV_XENBUS_STATE:
		fprintf(f, "%s %u: %s state %" PRIu64 "\n", dev, ev->devid,
			ev->arg[0] == HV_EV_END_FRONTEND ? "frontend" :
			"backend", ev->arg[1]);
		break;
	case HV_EV_XS_REQUEST:
		fprintf(f, "xenstore request type %" PRIu64 " %s = %" PRId64
			"\n", ev->arg[0], ev->str ? ev->str : "",
			(int64_t)ev->arg[1]);
		break;
	default:
		fprintf(f, "%s\n", hv_event_kind_name(ev->kind));
		break;
	}
}

static void print_history(struct report *r, const struct sim_history *h)
{
	unsigned domid = r->vc->v->domain->domid;
	uint64_t kept = h->n < HISTORY_MAX ? h->n : HISTORY_MAX;
	uint64_t first = h->n - kept, from = h->n;
	unsigned shown = 0;

	/* Walk back to the domain's last HISTORY_SHOW, then print forward. */
	for (uint64_t i = h->n; i > first && shown < HISTORY_SHOW; i--) {
		if (history_of(&h->e[(i - 1) % HISTORY_MAX].ev, domid)) {
			from = i - 1;
			shown++;
		}
	}
	fprintf(r->out, "last %u hypercalls, events and ring operations of "
		"d%u (oldest first):\n", shown, domid);
	for (uint64_t i = from; i < h->n; i++)
		if (history_of(&h->e[i % HISTORY_MAX].ev, domid))
			history_line(r->out, &h->e[i % HISTORY_MAX].ev);
}

/* Where the guest's symbols are: --symbols, else KERNEL.elf. */
static struct sim_symbols *open_symbols(struct sim *s, FILE *out)
{
	char path[4096], err[512];
	const char *file = s->cfg->symbols;
	struct sim_symbols *sy;

	if (!file && s->cfg->kernel) {
		snprintf(path, sizeof(path), "%s.elf", s->cfg->kernel);
		if (access(path, R_OK) != 0) {
			fprintf(out, "symbols: none (no %s; --symbols ELF "
				"gives them)\n", path);
			return NULL;
		}
		file = path;
	}
	if (!file)
		return NULL;
	sy = sim_symbols_open(file, s->boot.image_start, err, sizeof(err));
	if (sy)
		fprintf(out, "symbols: %s\n", file);
	else
		fprintf(out, "symbols: none (%s)\n", err);
	return sy;
}

bool sim_crash_due(const struct sim_vcpu *vc)
{
	const struct hv_domain *d = vc->v->domain;

	return d->state == HV_DOMAIN_CRASHED_BY_MODEL ||
	       (d->state == HV_DOMAIN_SHUTDOWN &&
		d->shutdown_reason == SHUTDOWN_crash);
}

void sim_crash_report(struct sim_vcpu *vc)
{
	struct sim *s = vc->sim;
	struct hv_domain *d = vc->v->domain;
	struct report r = { .vc = vc };
	bool fault = d->state == HV_DOMAIN_CRASHED_BY_MODEL;
	char *text = NULL;
	size_t len = 0;
	uint64_t pc;

	r.out = open_memstream(&text, &len);
	if (!r.out)
		return;
	vc->arch->guest_regs(vc, &r.regs);
	current_mode(&r);
	fprintf(r.out, "---- xensim crash report: d%u (%s) %s ----\n",
		d->domid, d->name, fault ? "faulted" :
		"shut down with SHUTDOWN_crash");
	if (fault)
		fprintf(r.out, "why: %s\n", s->res->message);
	print_regs(&r);
	r.sy = open_symbols(s, r.out);
	/* A fault stopped at its instruction; a crash shutdown is past the
	 * hvc that asked for it. */
	pc = r.regs.pc;
	if (fault) {
		print_insn(&r, "faulting instruction", pc);
	} else {
		pc -= 4;        /* hvc is 4 bytes in A64, A32 and T32 alike */
		print_insn(&r, "stopped at the hypercall", pc);
	}
	if (r.regs.aarch32)
		backtrace32(&r, pc);
	else
		backtrace64(&r, pc);
	if (s->borrowed)
		s = sim_world_first(s->world);
	if (s->history)
		print_history(&r, s->history);
	s = vc->sim;
	fprintf(r.out, "replay (seed %" PRIu64 "): %s\n", s->cfg->seed,
		s->cfg->replay ? s->cfg->replay : "(command line unknown)");
	fprintf(r.out, "---- end of crash report ----\n");
	sim_symbols_close(r.sy);
	fclose(r.out);
	fputs(text, stderr);
	if (s->cfg->crash_report) {
		FILE *f = fopen(s->cfg->crash_report, "w");

		if (!f || fputs(text, f) < 0 || fclose(f))
			fprintf(stderr, "xensim: cannot write the crash report "
				"to %s\n", s->cfg->crash_report);
	}
	free(text);
}
