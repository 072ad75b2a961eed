/* Pinpointing the guest instruction behind an access to unbacked memory.
 * The engine reports such an access without its PC, but with the registers
 * as they were just before that instruction; the block hook knows the start
 * of the straight-line block it lies in. Running each instruction of that
 * block alone, from that saved state, finds the first one that repeats the
 * fault. Trials must leave no trace: their memory writes are undone, their
 * traps and device accesses are ignored, the registers are put back. */
#include <string.h>

#include "vcpu.h"

#define MAX_TRIALS  128     /* longer than any block the engine builds */
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

static bool same_fault(uc_err err, const struct sim_vcpu *vc, uint64_t addr)
{
	return (err == UC_ERR_READ_UNMAPPED || err == UC_ERR_WRITE_UNMAPPED) &&
	       vc->bad_addr == addr;
}

uint64_t sim_vcpu_locate_fault(struct sim_vcpu *vc)
{
	struct trial t = { .vc = vc };
	uint64_t bad = vc->bad_addr, pc = vc->block_pc, found = UINT64_MAX;
	bool bad_write = vc->bad_write;
	uc_context *saved;
	uc_hook h;

	if (uc_context_alloc(vc->uc, &saved) != UC_ERR_OK)
		return UINT64_MAX;
	uc_context_save(vc->uc, saved);
	vc->locating = true;
	if (uc_hook_add(vc->uc, &h, UC_HOOK_MEM_WRITE, on_trial_write, &t, 1,
			0) == UC_ERR_OK) {
		/* Blocks translated earlier know nothing of the new hook. */
		uc_ctl(vc->uc, UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0));
		for (unsigned i = 0; i < MAX_TRIALS && found == UINT64_MAX; i++) {
			unsigned len = vc->arch->insn_len(vc, pc);
			uc_err err;

			uc_context_restore(vc->uc, saved);
			vc->bad_addr = UINT64_MAX;
			err = uc_emu_start(vc->uc, vc->arch->resume_at(vc, pc),
					   UINT64_MAX, 0, 1);
			undo_writes(&t);
			if (same_fault(err, vc, bad))
				found = pc;
			pc += len;
		}
		uc_hook_del(vc->uc, h);
	}
	uc_context_restore(vc->uc, saved);
	uc_context_free(saved);
	vc->locating = false;
	vc->bad_addr = bad;
	vc->bad_write = bad_write;
	return found;
}
