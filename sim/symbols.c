/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest symbols, source lines and CFI through elfutils' libdwfl, the ELF
 * reported offline and moved to where the guest runs it. Everything read
 * from the file is the library's to check; what the unwinder reads from
 * guest memory comes through the caller's bounds-checked reader. */
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "symbols.h"

struct sim_symbols {
	Dwfl *dwfl;
	Dwfl_Module *mod;
	uint64_t load;               /* guest address of the ELF's address 0 */
	Dwarf_Addr low;              /* where libdwfl put the ELF's address 0 */
	bool arm32;                  /* an ARM (AArch32) ELF */
};

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct sim_symbols *sim_symbols_open(const char *path, uint64_t load,
				     char *err, size_t errlen)
{
	struct sim_symbols *sy = calloc(1, sizeof(*sy));

	if (!sy) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sy->load = load;
	sy->dwfl = dwfl_begin(&offline_callbacks);
	if (sy->dwfl)
		sy->mod = dwfl_report_offline(sy->dwfl, "guest", path, -1);
	if (!sy->mod) {
		snprintf(err, errlen, "%s: %s", path, dwfl_errmsg(-1));
		sim_symbols_close(sy);
		return NULL;
	}
	dwfl_report_end(sy->dwfl, NULL, NULL);
	dwfl_module_info(sy->mod, NULL, &sy->low, NULL, NULL, NULL, NULL, NULL);
	{
		GElf_Addr elf_bias;
		Elf *elf = dwfl_module_getelf(sy->mod, &elf_bias);
		GElf_Ehdr eh;

		sy->arm32 = elf && gelf_getehdr(elf, &eh) && eh.e_machine == EM_ARM;
	}
	return sy;
}

void sim_symbols_close(struct sim_symbols *sy)
{
	if (!sy)
		return;
	if (sy->dwfl)
		dwfl_end(sy->dwfl);
	free(sy);
}

/* The module's address for guest address addr. */
static Dwarf_Addr mod_addr(const struct sim_symbols *sy, uint64_t addr)
{
	return addr - sy->load + sy->low;
}

bool sim_symbols_lookup(struct sim_symbols *sy, uint64_t addr, char *func,
			size_t flen, char *src, size_t slen)
{
	Dwarf_Addr a = mod_addr(sy, addr);
	GElf_Off off = 0;
	GElf_Sym sym;
	const char *name, *file;
	Dwfl_Line *line;
	int lineno = 0;

	func[0] = src[0] = '\0';
	name = dwfl_module_addrinfo(sy->mod, a, &off, &sym, NULL, NULL, NULL);
	/* ARM mapping symbols ($x, $d, $a, $t) name no function. */
	if (name && name[0] == '$')
		name = NULL;
	/* A Thumb function's symbol has bit 0 set; its code starts below. */
	if (name && (sym.st_value & 1) && sy->arm32)
		off += 1;
	if (name)
		snprintf(func, flen, "%s+0x%" PRIx64, name, (uint64_t)off);
	line = dwfl_module_getsrc(sy->mod, a);
	file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) :
		NULL;
	if (file)
		snprintf(src, slen, "%s:%d", file, lineno);
	return name != NULL || file != NULL;
}

/* ---- CFI ---- */

struct eval {
	const uint64_t *reg;         /* the frame's registers */
	uint64_t cfa;
	bool have_cfa;
};

/* Evaluate a DWARF expression of the forms CFI uses for simple frames;
 * *is_value when it yields the value itself (DW_OP_stack_value, or a
 * register's value), else it yields an address. */
static bool eval_ops(const struct eval *ev, const Dwarf_Op *ops, size_t n,
		     uint64_t *out, bool *is_value)
{
	uint64_t stack[8];
	size_t sp = 0;

	*is_value = false;
	for (size_t i = 0; i < n; i++) {
		uint8_t op = ops[i].atom;

		if (sp == 8)
			return false;
		if (op >= DW_OP_breg0 && op <= DW_OP_breg15) {
			stack[sp++] = ev->reg[op - DW_OP_breg0] +
				      (uint64_t)(int64_t)ops[i].number;
		} else if (op == DW_OP_bregx && ops[i].number < 16) {
			stack[sp++] = ev->reg[ops[i].number] +
				      (uint64_t)(int64_t)ops[i].number2;
		} else if (op >= DW_OP_reg0 && op <= DW_OP_reg15) {
			stack[sp++] = ev->reg[op - DW_OP_reg0];
			*is_value = true;
		} else if (op == DW_OP_regx && ops[i].number < 16) {
			stack[sp++] = ev->reg[ops[i].number];
			*is_value = true;
		} else if (op == DW_OP_call_frame_cfa && ev->have_cfa) {
			stack[sp++] = ev->cfa;
		} else if (op == DW_OP_plus_uconst && sp) {
			stack[sp - 1] += ops[i].number;
		} else if ((op == DW_OP_consts || op == DW_OP_constu)) {
			stack[sp++] = ops[i].number;
		} else if (op == DW_OP_plus && sp >= 2) {
			stack[sp - 2] += stack[sp - 1];
			sp--;
		} else if (op == DW_OP_minus && sp >= 2) {
			stack[sp - 2] -= stack[sp - 1];
			sp--;
		} else if (op == DW_OP_stack_value) {
			*is_value = true;
		} else {
			return false;    /* beyond what a guest frame needs */
		}
	}
	if (sp == 0)
		return false;
	*out = stack[sp - 1];
	return true;
}

bool sim_symbols_cfi_step32(struct sim_symbols *sy, uint64_t reg[16],
			    uint64_t lookup_pc, sim_symbols_read_fn *read,
			    void *ctx)
{
	Dwarf_Addr bias;
	Dwarf_CFI *cfi = dwfl_module_dwarf_cfi(sy->mod, &bias);
	Dwarf_Frame *frame = NULL;
	struct eval ev = { .reg = reg };
	uint64_t next[16];
	Dwarf_Op *ops, ops_mem[3];
	size_t nops;
	bool is_value, ok = false;
	int ra;

	if (!cfi)
		cfi = dwfl_module_eh_cfi(sy->mod, &bias);
	if (!cfi || dwarf_cfi_addrframe(cfi, mod_addr(sy, lookup_pc) - bias,
					&frame))
		return false;
	ra = dwarf_frame_info(frame, NULL, NULL, NULL);
	if (ra < 0 || ra > 15 || dwarf_frame_cfa(frame, &ops, &nops) || !nops ||
	    !eval_ops(&ev, ops, nops, &ev.cfa, &is_value))
		goto out;
	ev.have_cfa = true;
	for (int r = 0; r < 16; r++) {
		uint64_t v;

		if (dwarf_frame_register(frame, r, ops_mem, &ops, &nops))
			goto out;
		if (nops == 0) {
			/* same value, or undefined: keep what we have */
			next[r] = reg[r];
			continue;
		}
		if (!eval_ops(&ev, ops, nops, &v, &is_value))
			goto out;
		if (!is_value && !read(ctx, v, &v, 4))
			goto out;
		next[r] = (uint32_t)v;
	}
	next[13] = (uint32_t)ev.cfa;      /* the caller's SP is the CFA */
	next[15] = next[ra];
	memcpy(reg, next, sizeof(next));
	ok = true;
out:
	free(frame);
	return ok;
}
