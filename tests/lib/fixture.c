/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-test machine: see fixture.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/arch-arm.h>

#include "fixture.h"

static void capture(void *ctx, const char *line)
{
	struct fixture *fx = ctx;

	if (fx->nr_lines < FX_MAX_LINES)
		snprintf(fx->line[fx->nr_lines++], sizeof(fx->line[0]), "%s",
			 line);
	if (getenv("FX_VERBOSE"))
		printf("console: %s\n", line);
}

int fx_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct hv_domain_config dc = {
		.name = "test",
		.domid = 1,
		.ram_bytes = FX_RAM_MIB << 20,
		.nr_vcpus = 1,
		.is_console = true,
	};

	if (!fx)
		return -1;
	fx->m = hv_machine_new(capture, fx);
	if (!fx->m || hv_domain_create(fx->m, &dc, &fx->d)) {
		hv_machine_free(fx->m);
		free(fx);
		return -1;
	}
	fx->m->log_level = HV_LOG_INFO;
	*state = fx;
	return 0;
}

int fx_teardown(void **state)
{
	struct fixture *fx = *state;

	hv_machine_free(fx->m);
	free(fx);
	return 0;
}

uint64_t fx_gpa(uint64_t off)
{
	return GUEST_RAM0_BASE + off;
}

void *fx_ptr(struct fixture *fx, uint64_t gpa)
{
	return hv_gpa_ptr(&fx->d->mem, gpa, 1);
}

uint64_t fx_put(struct fixture *fx, uint64_t off, const void *data, size_t len)
{
	memcpy(fx_ptr(fx, fx_gpa(off)), data, len);
	return fx_gpa(off);
}

long fx_hypercall(struct fixture *fx, uint64_t op, uint64_t a0, uint64_t a1,
		  uint64_t a2)
{
	const uint64_t arg[5] = { a0, a1, a2, 0, 0 };

	return hv_hypercall(&fx->d->vcpu[0], op, arg);
}

bool fx_has_line(const struct fixture *fx, const char *s)
{
	for (unsigned i = 0; i < fx->nr_lines; i++)
		if (strcmp(fx->line[i], s) == 0)
			return true;
	return false;
}

bool fx_has_text(const struct fixture *fx, const char *s)
{
	for (unsigned i = 0; i < fx->nr_lines; i++)
		if (strstr(fx->line[i], s))
			return true;
	return false;
}
