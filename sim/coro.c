/* SPDX-License-Identifier: BSD-2-Clause */
/* Coroutines (coro.h) by a switch of our own: save the callee-saved
 * registers, MXCSR and the x87 control word on the old stack, store its
 * stack pointer, load the other's and pop the same back. No signal mask
 * (ucontext's swapcontext costs a system call for it): the thread's mask
 * is the same for every coroutine. ASan is told of each change of stack
 * (its fiber interface), or it would take the other stack's frames for
 * overflows of this one. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "coro.h"

#if !defined(__x86_64__)
#error "sim/coro.c switches stacks for x86-64 only"
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ASAN_FIBERS 1
#else
#define ASAN_FIBERS 0
#endif

struct sim_coro {
	void *sp;                  /* its stack pointer while it is out */
	void *resumer_sp;          /* the resumer's while it is in */
	unsigned char *map;        /* guard page and stack */
	size_t map_size;
	unsigned char *stack;
	size_t stack_size;
	sim_coro_fn *fn;
	void *arg;
	bool started, finished;
	const void *resumer_stack; /* the resumer's stack, for ASan */
	size_t resumer_stack_size;
};

/* sim_coro_swap(save, load): *save = this stack, continue on load. */
void sim_coro_swap(void **save, void *load);
/* Where a new coroutine's first swap returns: r12 holds the coroutine. */
void sim_coro_boot(void);

__asm__(
	".text\n"
	".globl sim_coro_swap\n"
	".type sim_coro_swap, @function\n"
	"sim_coro_swap:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size sim_coro_swap, .-sim_coro_swap\n"
	".globl sim_coro_boot\n"
	".type sim_coro_boot, @function\n"
	"sim_coro_boot:\n"
	"	movq %r12, %rdi\n"
	"	call sim_coro_main\n"
	"	ud2\n"
	".size sim_coro_boot, .-sim_coro_boot\n");

/* The frame sim_coro_swap pops, lowest address first. */
struct boot_frame {
	uint32_t mxcsr;
	uint16_t fpu_cw, pad;
	uint64_t r15, r14, r13, r12, rbx, rbp;
	uint64_t ret;
};

/* Before leaving for the stack [lo, lo + size): *fake keeps this stack's
 * ASan fake frames (NULL when this stack is left for good). */
static void leaving(void **fake, const void *lo, size_t size)
{
#if ASAN_FIBERS
	__sanitizer_start_switch_fiber(fake, lo, size);
#else
	(void)fake, (void)lo, (void)size;
#endif
}

/* Back on a stack: which one was left (when asked). */
static void arrived(void *fake, const void **lo, size_t *size)
{
#if ASAN_FIBERS
	__sanitizer_finish_switch_fiber(fake, lo, size);
#else
	(void)fake, (void)lo, (void)size;
#endif
}

void sim_coro_main(struct sim_coro *c);

void sim_coro_main(struct sim_coro *c)
{
	arrived(NULL, &c->resumer_stack, &c->resumer_stack_size);
	c->fn(c->arg);
	c->finished = true;
	/* This stack is never entered again. */
	leaving(NULL, c->resumer_stack, c->resumer_stack_size);
	sim_coro_swap(&c->sp, c->resumer_sp);
	abort();
}

struct sim_coro *sim_coro_new(size_t stack_size, sim_coro_fn *fn, void *arg)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct sim_coro *c = calloc(1, sizeof(*c));
	struct boot_frame *f;

	if (!c)
		return NULL;
	stack_size = (stack_size + page - 1) / page * page;
	c->map_size = stack_size + page;
	c->map = mmap(NULL, c->map_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
		      -1, 0);
	if (c->map == MAP_FAILED) {
		free(c);
		return NULL;
	}
	/* An overflow faults on the guard page instead of writing on. */
	if (mprotect(c->map, page, PROT_NONE)) {
		munmap(c->map, c->map_size);
		free(c);
		return NULL;
	}
	c->stack = c->map + page;
	c->stack_size = stack_size;
	c->fn = fn;
	c->arg = arg;
	/* The top is page-aligned: after the frame's ret the stack pointer
	 * is 16-aligned, as before a call. */
	f = (struct boot_frame *)(c->stack + stack_size) - 1;
	*f = (struct boot_frame){
		.mxcsr = 0x1f80,        /* all exceptions masked, round to nearest */
		.fpu_cw = 0x037f,       /* the same for x87, 64-bit precision */
		.r12 = (uint64_t)(uintptr_t)c,
		.ret = (uint64_t)(uintptr_t)sim_coro_boot,
	};
	c->sp = f;
	return c;
}

bool sim_coro_resume(struct sim_coro *c)
{
	void *fake;

	if (c->finished)
		return false;
	c->started = true;
	leaving(&fake, c->stack, c->stack_size);
	sim_coro_swap(&c->resumer_sp, c->sp);
	arrived(fake, NULL, NULL);
	return !c->finished;
}

void sim_coro_yield(struct sim_coro *c)
{
	void *fake;

	leaving(&fake, c->resumer_stack, c->resumer_stack_size);
	sim_coro_swap(&c->sp, c->resumer_sp);
	arrived(fake, &c->resumer_stack, &c->resumer_stack_size);
}

bool sim_coro_finished(const struct sim_coro *c)
{
	return c->finished;
}

void sim_coro_stack(const struct sim_coro *c, void **lo, size_t *size)
{
	*lo = c->stack;
	*size = c->stack_size;
}

void sim_coro_free(struct sim_coro *c)
{
	if (!c)
		return;
	if (c->started && !c->finished)
		abort();   /* its frames would be lost: a caller's bug */
#if ASAN_FIBERS
	/* Frames left by longjmp keep their redzones poisoned; memory mapped
	 * here later must not inherit them. */
	__asan_unpoison_memory_region(c->stack, c->stack_size);
#endif
	munmap(c->map, c->map_size);
	free(c);
}
