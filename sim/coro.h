/* SPDX-License-Identifier: BSD-2-Clause */
/* Coroutines on the caller's thread: each runs a function on a stack of
 * its own and hands the CPU back with sim_coro_yield(); whoever resumes it
 * waits until then. A native vCPU is one, so a run of several domains
 * switches between them without the kernel. */
#ifndef SIM_CORO_H
#define SIM_CORO_H

#include <stdbool.h>
#include <stddef.h>

struct sim_coro;
typedef void sim_coro_fn(void *arg);

/* A coroutine that will run fn(arg) on a stack of stack_size bytes (a
 * guard page below it); it starts at its first sim_coro_resume(). NULL
 * when the memory cannot be had. */
struct sim_coro *sim_coro_new(size_t stack_size, sim_coro_fn *fn, void *arg);

/* Run c until it yields or its function returns; true while it has more
 * to run. Never call it from inside c itself. */
bool sim_coro_resume(struct sim_coro *c);

/* From inside c: back to whoever resumed it. */
void sim_coro_yield(struct sim_coro *c);

/* Whether c's function has returned. */
bool sim_coro_finished(const struct sim_coro *c);

/* Its stack, as [*lo, *lo + *size). */
void sim_coro_stack(const struct sim_coro *c, void **lo, size_t *size);

/* Free c, which must be finished or never resumed (NULL is ignored). */
void sim_coro_free(struct sim_coro *c);

#endif
