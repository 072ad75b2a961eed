/* SPDX-License-Identifier: BSD-2-Clause */
/* A fresh machine with one domU per test, its console captured, and helpers
 * to place hypercall arguments in guest RAM (the domain runs with VA == PA,
 * like an emulated guest with its identity map). */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv/hypercall.h"
#include "hv/machine.h"

#define FX_MAX_LINES 128
#define FX_RAM_MIB   16

struct fixture {
	struct hv_machine *m;
	struct hv_domain *d;        /* domid 1, unprivileged, console owner */
	char line[FX_MAX_LINES][320];
	unsigned nr_lines;
};

/* A CMocka test that gets a fresh fixture. */
#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* CMocka group/test setup and teardown: *state becomes a struct fixture. */
int fx_setup(void **state);
int fx_teardown(void **state);

/* Guest-physical address of RAM offset off, and its host pointer. */
uint64_t fx_gpa(uint64_t off);
void *fx_ptr(struct fixture *fx, uint64_t gpa);

/* Copy data into guest RAM at offset off; returns its gpa. */
uint64_t fx_put(struct fixture *fx, uint64_t off, const void *data, size_t len);

long fx_hypercall(struct fixture *fx, uint64_t op, uint64_t a0, uint64_t a1,
		  uint64_t a2);

/* Whether some captured console line equals s. */
bool fx_has_line(const struct fixture *fx, const char *s);
/* Whether some captured console line contains s. */
bool fx_has_text(const struct fixture *fx, const char *s);

#endif
