/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest ELF's symbols, lines and call-frame information, through
 * elfutils' libdwfl, for crash reports (sim/crash.c). The ELF is the
 * user's file: a missing or broken one gives no symbols, never a crash. */
#ifndef SIM_SYMBOLS_H
#define SIM_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_symbols;

/* Open path, whose address 0 the guest has at load (its image start);
 * NULL and a reason in err when it cannot be read. */
struct sim_symbols *sim_symbols_open(const char *path, uint64_t load,
				     char *err, size_t errlen);
void sim_symbols_close(struct sim_symbols *sy);

/* "function+0xoff" and "file:line" of the guest address addr (either
 * may come back empty); false when addr is in no function. */
bool sim_symbols_lookup(struct sim_symbols *sy, uint64_t addr, char *func,
			size_t flen, char *src, size_t slen);

/* How an unwinder reads guest memory: 4 or 8 bytes at addr. */
typedef bool sim_symbols_read_fn(void *ctx, uint64_t addr, uint64_t *val,
				 unsigned size);

/* One step up the call chain by the ELF's CFI (.debug_frame): reg[0..15]
 * are an arm32 frame's r0-r15 (r15 the PC, lookup_pc the address to look
 * the frame up at); on success they become the caller's. False where the
 * CFI has no rule for the frame or memory cannot be read. */
bool sim_symbols_cfi_step32(struct sim_symbols *sy, uint64_t reg[16],
			    uint64_t lookup_pc, sim_symbols_read_fn *read,
			    void *ctx);

#endif
