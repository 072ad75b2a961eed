/* SPDX-License-Identifier: BSD-2-Clause */
/* Creation and teardown of a whole simulated machine. */
#include <stdlib.h>
#include <string.h>

#include "hv/machine.h"

struct hv_machine *hv_machine_new(hv_console_sink_fn *sink, void *ctx)
{
	struct hv_machine *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->console_sink = sink;
	m->console_ctx = ctx;
	m->log_level = HV_LOG_INFO;
	hv_faults_start(m, 0, 0);
	m->layout = hv_layout_default();
	m->conring = malloc(HV_CONRING_SIZE);
	return m;
}

void hv_machine_free(struct hv_machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < HV_MAX_DOMAINS; i++)
		if (m->domain[i])
			hv_domain_destroy(m->domain[i]);
	free(m->conring);
	free(m);
}

unsigned hv_machine_console_input(struct hv_machine *m, const char *s,
				  unsigned len)
{
	unsigned room = (unsigned)sizeof(m->input) - m->input_len;

	if (len > room)
		len = room;
	memcpy(m->input + m->input_len, s, len);
	m->input_len += len;
	return len;
}
