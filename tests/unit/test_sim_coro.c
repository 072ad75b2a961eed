/* SPDX-License-Identifier: BSD-2-Clause */
/* Coroutines (sim/coro.c): a coroutine runs only between its resume and
 * its yield, on its own stack, keeps its locals and registers across
 * switches, may longjmp within its own frames (the native guest unwinds
 * that way), and two interleave in the order they are resumed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "coro.h"

#define STACK (256u << 10)

struct trace {
	struct sim_coro *self;
	char log[32];
	unsigned n;
	char tag;
	unsigned steps;
};

static void note(struct trace *t, char c)
{
	if (t->n < sizeof(t->log) - 1)
		t->log[t->n++] = c;
}

static void stepper(void *arg)
{
	struct trace *t = arg;

	for (unsigned i = 0; i < t->steps; i++) {
		note(t, (char)(t->tag + i));
		sim_coro_yield(t->self);
	}
	note(t, '.');
}

static void test_coro_runs_between_resume_and_yield(void **state)
{
	struct trace t = { .tag = 'a', .steps = 3 };

	(void)state;
	t.self = sim_coro_new(STACK, stepper, &t);
	assert_non_null(t.self);
	assert_string_equal(t.log, "");          /* nothing before the resume */
	assert_true(sim_coro_resume(t.self));
	assert_string_equal(t.log, "a");
	assert_true(sim_coro_resume(t.self));
	assert_true(sim_coro_resume(t.self));
	assert_string_equal(t.log, "abc");
	assert_false(sim_coro_finished(t.self));
	assert_false(sim_coro_resume(t.self));    /* its function returned */
	assert_string_equal(t.log, "abc.");
	assert_true(sim_coro_finished(t.self));
	assert_false(sim_coro_resume(t.self));    /* and stays finished */
	assert_string_equal(t.log, "abc.");
	sim_coro_free(t.self);
}

static void test_coro_two_interleave_in_resume_order(void **state)
{
	struct trace a = { .tag = 'a', .steps = 2 };
	struct trace b = { .tag = 'A', .steps = 2 };
	char order[16] = "";

	(void)state;
	a.self = sim_coro_new(STACK, stepper, &a);
	b.self = sim_coro_new(STACK, stepper, &b);
	assert_non_null(a.self);
	assert_non_null(b.self);
	sim_coro_resume(b.self);
	sim_coro_resume(a.self);
	sim_coro_resume(a.self);
	sim_coro_resume(b.self);
	sim_coro_resume(b.self);
	sim_coro_resume(a.self);
	strcat(order, a.log);
	strcat(order, "|");
	strcat(order, b.log);
	assert_string_equal(order, "ab.|AB.");
	assert_true(sim_coro_finished(a.self));
	assert_true(sim_coro_finished(b.self));
	sim_coro_free(a.self);
	sim_coro_free(b.self);
}

struct where {
	struct sim_coro *self;
	uintptr_t local;
};

static void locate(void *arg)
{
	struct where *w = arg;
	volatile char here = 0;

	w->local = (uintptr_t)&here;
}

static void test_coro_runs_on_its_own_stack(void **state)
{
	struct where w = { 0 };
	void *lo;
	size_t size;

	(void)state;
	w.self = sim_coro_new(STACK, locate, &w);
	assert_non_null(w.self);
	sim_coro_stack(w.self, &lo, &size);
	assert_true(size >= STACK);
	sim_coro_resume(w.self);
	assert_true(w.local >= (uintptr_t)lo);
	assert_true(w.local < (uintptr_t)lo + size);
	sim_coro_free(w.self);
}

/* Locals, and the callee-saved registers the compiler keeps them in, come
 * back unchanged after each switch, however deep the frames. */
struct depth {
	struct sim_coro *self;
	uint64_t sum;
	double fsum;
};

static uint64_t descend(struct depth *d, unsigned level)
{
	volatile unsigned char pad[512];
	uint64_t mine = level * 2654435761u;
	double f = level * 0.5;

	memset((unsigned char *)pad, (int)level, sizeof(pad));
	if (level % 8 == 0)
		sim_coro_yield(d->self);
	if (level)
		mine += descend(d, level - 1);
	d->fsum += f;
	return mine + (uint64_t)pad[level % sizeof(pad)];
}

static void deep(void *arg)
{
	struct depth *d = arg;

	d->sum = descend(d, 200);
}

static void test_coro_keeps_locals_across_switches(void **state)
{
	struct depth d = { 0 };
	uint64_t want = 0;
	double fwant = 0;
	unsigned turns = 0;

	(void)state;
	for (unsigned level = 0; level <= 200; level++) {
		want += level * 2654435761u + (level & 0xff);
		fwant += level * 0.5;
	}
	d.self = sim_coro_new(STACK, deep, &d);
	assert_non_null(d.self);
	while (sim_coro_resume(d.self))
		turns++;
	assert_int_equal(turns, 26);   /* levels 200, 192, ..., 0 */
	assert_true(d.sum == want);
	assert_true(d.fsum == fwant);
	sim_coro_free(d.self);
}

/* The native guest leaves its frames by longjmp when its domain stops. */
struct jumper {
	struct sim_coro *self;
	jmp_buf out;
	int landed;
};

static unsigned jump_out(struct jumper *j, unsigned level)
{
	if (level > 0)
		return jump_out(j, level - 1) + 1;
	sim_coro_yield(j->self);
	if (!j->landed)
		longjmp(j->out, 7);
	return 0;
}

static void jumping(void *arg)
{
	struct jumper *j = arg;
	int rc = setjmp(j->out);

	if (rc == 0)
		jump_out(j, 10);
	j->landed = rc;
}

static void test_coro_longjmp_within_its_frames(void **state)
{
	struct jumper j = { 0 };

	(void)state;
	j.self = sim_coro_new(STACK, jumping, &j);
	assert_non_null(j.self);
	assert_true(sim_coro_resume(j.self));
	assert_int_equal(j.landed, 0);
	assert_false(sim_coro_resume(j.self));
	assert_int_equal(j.landed, 7);
	sim_coro_free(j.self);
}

static void test_coro_never_resumed_is_freed(void **state)
{
	struct trace t = { .tag = 'a', .steps = 1 };

	(void)state;
	t.self = sim_coro_new(STACK, stepper, &t);
	assert_non_null(t.self);
	assert_false(sim_coro_finished(t.self));
	sim_coro_free(t.self);
	assert_string_equal(t.log, "");
	sim_coro_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coro_runs_between_resume_and_yield),
		cmocka_unit_test(test_coro_two_interleave_in_resume_order),
		cmocka_unit_test(test_coro_runs_on_its_own_stack),
		cmocka_unit_test(test_coro_keeps_locals_across_switches),
		cmocka_unit_test(test_coro_longjmp_within_its_frames),
		cmocka_unit_test(test_coro_never_resumed_is_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
