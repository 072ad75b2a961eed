/* SPDX-License-Identifier: BSD-2-Clause */
/* Pinpointing the guest instruction behind an access to unbacked memory.
 * The engine reports such an access without its PC, but with the registers
 * exactly as they were before that instruction, and with its own PC where
 * it last left translated code. From there it can only have gone on
 * through blocks it had chained, and it chains only direct branches and
 * fall-throughs within one page: the candidates are the instructions
 * reachable that way. Each is run alone from the saved state, nearest
 * first; the first that repeats the fault (same address, size, direction,
 * stored value) is the one. Trials must leave no trace: their memory
 * writes are undone, their traps and device accesses are ignored, the
 * registers are put back. */
#include <stdlib.h>
#include <string.h>

#include "vcpu.h"

#define MAX_SLOTS   (SIM_CHAIN_PAGE / 2)  /* Thumb: 2-aligned */
#define MAX_UNDO    8
#define UNDO_BYTES  64

struct undo {
	uint64_t addr;
	unsigned len;
	uint8_t old[UNDO_BYTES];
};

struct trial {
	struct sim_vcpu *vc;
	struct undo undo[MAX_UNDO];
	unsigned nr_undo;
};

/* The candidates, in the order the engine could have reached them. */
struct search {
	uint64_t base, size;         /* the page of the first candidate */
	uint64_t queue[MAX_SLOTS];
	unsigned head, tail;
	uint8_t seen[MAX_SLOTS / 8];
};

/* Called before each write a trial makes: keep what it overwrites. */
static void on_trial_write(uc_engine *uc, uc_mem_type type, uint64_t addr,
			   int size, int64_t value, void *ctx)
{
	struct trial *t = ctx;
	struct undo *u;

	(void)uc;
	(void)type;
	(void)value;
	if (size <= 0 || size > UNDO_BYTES || t->nr_undo == MAX_UNDO)
		return;
	u = &t->undo[t->nr_undo];
	if (!sim_vcpu_read(t->vc, addr, u->old, (size_t)size))
		return;
	u->addr = addr;
	u->len = (unsigned)size;
	t->nr_undo++;
}

static void undo_writes(struct trial *t)
{
	const struct hv_mem *mem = &t->vc->v->domain->mem;

	while (t->nr_undo) {
		struct undo *u = &t->undo[--t->nr_undo];
		void *p = hv_gpa_ptr(mem, u->addr, u->len);

		if (p)
			memcpy(p, u->old, u->len);
	}
}

static bool same_fault(uc_err err, const struct sim_bad_access *got,
		       const struct sim_bad_access *want)
{
	return (err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED ||
		err == UC_ERR_READ_PROT || err == UC_ERR_WRITE_PROT) &&
	       got->addr == want->addr && got->size == want->size &&
	       got->write == want->write &&
	       (!want->write || got->value == want->value);
}

/* Queue pc if it is in the page and not queued before. */
static void enqueue(struct search *s, uint64_t pc)
{
	uint64_t slot = (pc - s->base) / 2;

	if (pc < s->base || pc - s->base >= s->size || pc % 2 ||
	    s->seen[slot / 8] & 1u << (slot % 8) || s->tail == MAX_SLOTS)
		return;
	s->seen[slot / 8] |= (uint8_t)(1u << (slot % 8));
	s->queue[s->tail++] = pc;
}

static void search_init(struct search *s, uint64_t pc)
{
	memset(s, 0, sizeof(*s));
	s->size = SIM_CHAIN_PAGE;
	s->base = pc & ~(uint64_t)(SIM_CHAIN_PAGE - 1);
	enqueue(s, pc);
}

/* Run the instruction at pc alone from the saved state: does it fault as
 * the engine said the guest did? */
static bool repeats(struct sim_vcpu *vc, struct trial *t, uc_context *saved,
		    uint64_t pc, const struct sim_bad_access *want)
{
	uc_err err;

	uc_context_restore(vc->uc, saved);
	memset(&vc->bad, 0, sizeof(vc->bad));
	vc->bad.addr = ~want->addr;
	err = uc_emu_start(vc->uc, vc->arch->resume_at(vc, pc), UINT64_MAX, 0,
			   1);
	undo_writes(t);
	return same_fault(err, &vc->bad, want);
}

uint64_t sim_vcpu_locate_fault(struct sim_vcpu *vc)
{
	struct trial t = { .vc = vc };
	struct sim_bad_access want = vc->bad;
	struct search *s = calloc(1, sizeof(*s));
	uint64_t found = UINT64_MAX;
	uc_context *saved;
	uc_hook h;

	if (!s)
		return UINT64_MAX;
	if (uc_context_alloc(vc->uc, &saved) != UC_ERR_OK) {
		free(s);
		return UINT64_MAX;
	}
	uc_context_save(vc->uc, saved);
	search_init(s, vc->arch->pc(vc));
	vc->locating = true;
	sim_vcpu_sync_line(vc);          /* no interrupt in the middle */
	if (uc_hook_add(vc->uc, &h, UC_HOOK_MEM_WRITE, on_trial_write, &t, 1,
			0) == UC_ERR_OK) {
		/* Blocks translated earlier know nothing of the new hook:
		 * drop those the trials can run, the candidates' page (and
		 * the next, where a Thumb block may end). Flushing the whole
		 * cache instead costs Unicorn 2.0.1 over 1 GB of RSS and
		 * seconds. */
		uc_ctl_remove_cache(vc->uc, s->base, s->base + 2 * s->size);
		while (s->head < s->tail && found == UINT64_MAX) {
			uint64_t pc = s->queue[s->head++], next[2];
			unsigned n;

			if (repeats(vc, &t, saved, pc, &want)) {
				found = pc;
				break;
			}
			uc_context_restore(vc->uc, saved);
			n = vc->arch->successors(vc, pc, next);
			for (unsigned i = 0; i < n; i++)
				enqueue(s, next[i]);
		}
		uc_hook_del(vc->uc, h);
	}
	uc_context_restore(vc->uc, saved);
	uc_context_free(saved);
	free(s);
	vc->locating = false;
	vc->bad = want;
	return found;
}
