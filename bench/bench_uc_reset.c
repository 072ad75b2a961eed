/* SPDX-License-Identifier: BSD-2-Clause */
/* Figures, printed, never judged: how fast each way of putting an arm64
 * Unicorn engine and its guest RAM back to a snapshot goes, for an
 * emulated fuzz target that restores the guest after every input. The
 * input is stood in for by generated code: BLOCKS translated blocks, each
 * a store into one of DIRTY pages, run LOOPS times; RAM is as large as a
 * default domain's. Each mechanism resets, runs the code, and after the
 * last round the RAM and registers are checked against the snapshot (a
 * mechanism that does not give it back is reported so, its figure left
 * out). Mechanisms:
 *   hook     uc_context_restore + the pages a UC_HOOK_MEM_WRITE hook saw
 *            written copied back from the snapshot
 *   scan     uc_context_restore + every page compared with the snapshot,
 *            those that differ copied back
 *   remap    RAM unmapped, a fresh copy of the snapshot mapped in its
 *            place (uc_mem_map_ptr), translations flushed
 *   cow      RAM a private mapping of a memfd that holds the snapshot:
 *            madvise(MADV_DONTNEED) drops the written pages, the host
 *            address stays, so the engine keeps its map and translations
 *   ucsnap   Unicorn 2.1's own: uc_ctl_context_mode(CPU | MEMORY), one
 *            uc_context_save, a uc_context_restore per input (RAM owned
 *            by the engine, uc_mem_map)
 * Usage: bench_uc_reset [RAM_MIB] */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#define RAM_BASE   0x40000000ull
#define CODE_AT    0x00080000ull        /* offsets into RAM */
#define DATA_AT    0x01000000ull
#define PAGE       4096u
#define BLOCKS     256u                 /* distinct translated blocks */
#define ROUNDS     4000u

struct bench {
	uc_engine *uc;
	uint8_t *ram;                /* what the engine runs on */
	uint8_t *snap;               /* the snapshot's bytes */
	size_t ram_bytes;
	uint8_t *dirty;              /* hook: a byte a page */
	uc_context *cpu;
	uint64_t code_end;
	int memfd;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* BLOCKS blocks: x3 = x2 + (i % dirty) pages; str x1, [x3, #8 * (i % 512)];
 * x1++; b next. Then x4-- and back to the first while x4 != 0. */
static uint64_t write_code(uint8_t *ram, unsigned dirty)
{
	uint8_t *p = ram + CODE_AT;

	for (unsigned i = 0; i < BLOCKS; i++, p += 16) {
		put32(p, 0x91400000u | (i % dirty) << 10 | 2u << 5 | 3u);
		put32(p + 4, 0xf9000000u | (i % 512) << 10 | 3u << 5 | 1u);
		put32(p + 8, 0x91000421u);                 /* add x1, x1, #1 */
		put32(p + 12, 0x14000001u);                /* b .+4 */
	}
	put32(p, 0xf1000484u);                             /* subs x4, x4, #1 */
	/* b.ne back to the first block */
	put32(p + 4, 0x54000001u |
	      (uint32_t)(((-(int64_t)(BLOCKS * 16 + 4)) / 4) & 0x7ffff) << 5);
	return RAM_BASE + (uint64_t)(p + 8 - ram);
}

static bool on_write(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
		     int64_t value, void *ctx)
{
	struct bench *b = ctx;
	uint64_t off = addr - RAM_BASE;

	(void)uc, (void)type, (void)value;
	if (off < b->ram_bytes) {
		b->dirty[off / PAGE] = 1;
		b->dirty[(off + (uint64_t)size - 1) / PAGE] = 1;
	}
	return true;
}

static void set_regs(uc_engine *uc, unsigned loops)
{
	uint64_t x1 = 1, x2 = RAM_BASE + DATA_AT, x4 = loops;

	uc_reg_write(uc, UC_ARM64_REG_X1, &x1);
	uc_reg_write(uc, UC_ARM64_REG_X2, &x2);
	uc_reg_write(uc, UC_ARM64_REG_X4, &x4);
}

static int open_engine(struct bench *b, bool own_ram)
{
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &b->uc) != UC_ERR_OK)
		return -1;
	uc_ctl_set_cpu_model(b->uc, UC_CPU_ARM64_A57);
	if (own_ram) {
		if (uc_mem_map(b->uc, RAM_BASE, b->ram_bytes, UC_PROT_ALL) ||
		    uc_mem_write(b->uc, RAM_BASE, b->snap, b->ram_bytes))
			return -1;
	} else if (uc_mem_map_ptr(b->uc, RAM_BASE, b->ram_bytes, UC_PROT_ALL,
				  b->ram)) {
		return -1;
	}
	return uc_context_alloc(b->uc, &b->cpu) ? -1 : 0;
}

static int run(struct bench *b)
{
	uint64_t pc = RAM_BASE + CODE_AT;

	return uc_emu_start(b->uc, pc, b->code_end, 0, 0) == UC_ERR_OK ? 0 : -1;
}

/* The RAM and x1, x4 as the snapshot has them. */
static bool back_to_snapshot(struct bench *b, bool own_ram)
{
	uint64_t x1 = 0, x4 = 0;
	uint8_t *page = malloc(PAGE);
	bool same = page != NULL;

	for (size_t off = 0; same && off < b->ram_bytes; off += PAGE) {
		const uint8_t *now = b->ram + off;

		if (own_ram) {
			same = uc_mem_read(b->uc, RAM_BASE + off, page, PAGE) ==
			       UC_ERR_OK;
			now = page;
		}
		same = same && memcmp(now, b->snap + off, PAGE) == 0;
	}
	free(page);
	uc_reg_read(b->uc, UC_ARM64_REG_X1, &x1);
	uc_reg_read(b->uc, UC_ARM64_REG_X4, &x4);
	return same && x1 == 1 && x4 != 0;
}

enum mech { HOOK, SCAN, REMAP, COW, UCSNAP, NMECH };
static const char *const mech_name[NMECH] = {
	"hook", "scan", "remap", "cow", "ucsnap",
};

static int reset(struct bench *b, enum mech m)
{
	size_t pages = b->ram_bytes / PAGE;

	switch (m) {
	case HOOK:
		for (size_t i = 0; i < pages; i++)
			if (b->dirty[i]) {
				memcpy(b->ram + i * PAGE, b->snap + i * PAGE, PAGE);
				b->dirty[i] = 0;
			}
		return uc_context_restore(b->uc, b->cpu) ? -1 : 0;
	case SCAN:
		for (size_t i = 0; i < pages; i++)
			if (memcmp(b->ram + i * PAGE, b->snap + i * PAGE, PAGE))
				memcpy(b->ram + i * PAGE, b->snap + i * PAGE,
				       PAGE);
		return uc_context_restore(b->uc, b->cpu) ? -1 : 0;
	case REMAP:
		if (uc_mem_unmap(b->uc, RAM_BASE, b->ram_bytes))
			return -1;
		memcpy(b->ram, b->snap, b->ram_bytes);
		if (uc_mem_map_ptr(b->uc, RAM_BASE, b->ram_bytes, UC_PROT_ALL,
				   b->ram))
			return -1;
		uc_ctl(b->uc, UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0));
		return uc_context_restore(b->uc, b->cpu) ? -1 : 0;
	case COW:
		if (madvise(b->ram, b->ram_bytes, MADV_DONTNEED))
			return -1;
		return uc_context_restore(b->uc, b->cpu) ? -1 : 0;
	case UCSNAP:
		return uc_context_restore(b->uc, b->cpu) ? -1 : 0;
	default:
		return -1;
	}
}

/* RAM for the engine: anonymous, or (cow) a private map of the memfd. */
static uint8_t *ram_for(struct bench *b, enum mech m)
{
	void *p;

	if (m != COW)
		p = mmap(NULL, b->ram_bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		p = mmap(NULL, b->ram_bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE, b->memfd, 0);
	if (p == MAP_FAILED)
		return NULL;
	if (m != COW)
		memcpy(p, b->snap, b->ram_bytes);
	return p;
}

/* Inputs per second for one mechanism, or a negative value when it failed
 * or did not give the snapshot back. */
static double measure(struct bench *b, enum mech m, unsigned loops)
{
	bool own = m == UCSNAP;
	uc_hook h;
	double t0, t;
	unsigned done = 0;
	int ok = 0;

	b->uc = NULL;
	b->ram = ram_for(b, m);
	if (!b->ram || open_engine(b, own))
		return -1;
	if (m == HOOK && uc_hook_add(b->uc, &h, UC_HOOK_MEM_WRITE, on_write, b,
				     RAM_BASE, RAM_BASE + b->ram_bytes - 1))
		return -1;
#ifdef uc_ctl_context_mode
	if (own && uc_ctl_context_mode(b->uc, UC_CTL_CONTEXT_CPU |
						UC_CTL_CONTEXT_MEMORY))
		return -2;
#else
	if (own)
		return -2;       /* before Unicorn 2.1 */
#endif
	set_regs(b->uc, loops);
	uc_context_save(b->uc, b->cpu);
	/* A first run translates the code: the figures are for warm runs. */
	ok |= run(b) | reset(b, m);
	/* ROUNDS inputs, or fewer when they take over a CPU second: CPU
	 * time, since on a shared machine wall time says more of the load
	 * than of the mechanism. */
	t0 = now_s();
	do {
		ok |= run(b) | reset(b, m);
		done++;
		t = now_s() - t0;
	} while (!ok && done < ROUNDS && t < 1.0);
	if (!ok && !back_to_snapshot(b, own))
		ok = -3;
	uc_context_free(b->cpu);
	uc_close(b->uc);
	munmap(b->ram, b->ram_bytes);
	return ok ? ok : done / t;
}

int main(int argc, char **argv)
{
	static const unsigned dirty_counts[] = { 1, 8, 32, 128 };
	static const unsigned loop_counts[] = { 1, 16 };
	struct bench b = { 0 };
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 128;

	b.ram_bytes = mib << 20;
	if (b.ram_bytes < 2 * DATA_AT) {
		fprintf(stderr, "bench_uc_reset: RAM of at least %llu MiB\n",
			(unsigned long long)(2 * DATA_AT) >> 20);
		return 1;
	}
	b.memfd = memfd_create("snapshot", 0);
	b.dirty = calloc(b.ram_bytes / PAGE, 1);
	if (b.memfd < 0 || ftruncate(b.memfd, (off_t)b.ram_bytes) || !b.dirty)
		return 1;
	b.snap = mmap(NULL, b.ram_bytes, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b.memfd, 0);
	if (b.snap == MAP_FAILED)
		return 1;
	printf("Unicorn %u.%u, %zu MiB of RAM, %u blocks of 4 instructions a "
	       "loop, at most %u inputs or 1 CPU second each: inputs per CPU second (instructions/input, pages "
	       "written/input)\n", (uc_version(NULL, NULL) >> 24) & 0xff,
	       (uc_version(NULL, NULL) >> 16) & 0xff, mib, BLOCKS, ROUNDS);
	for (unsigned li = 0; li < 2; li++) {
		for (unsigned di = 0; di < 4; di++) {
			unsigned dirty = dirty_counts[di];

			memset(b.snap, 0, b.ram_bytes);
			b.code_end = write_code(b.snap, dirty);
			printf("%7u insns %4u pages:", loop_counts[li] *
			       (BLOCKS * 4 + 2), dirty);
			for (int m = 0; m < NMECH; m++) {
				double r = measure(&b, (enum mech)m,
						   loop_counts[li]);

				fflush(stdout);
				if (r > 0)
					printf("  %s %.0f", mech_name[m], r);
				else
					printf("  %s %s", mech_name[m],
					       r == -2 ? "unsupported" :
					       r == -3 ? "WRONG" : "failed");
			}
			printf("\n");
			fflush(stdout);
		}
	}
	return 0;
}
