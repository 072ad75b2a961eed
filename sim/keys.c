/* SPDX-License-Identifier: BSD-2-Clause */
/* Xen's debug keys in a run. On a domain's first console, Ctrl-a three
 * times switches the input between the guest and the model's Xen console
 * (fewer than three go on to whoever has the input, as on Xen's serial
 * line); a character typed to Xen runs that key's handler. Keys run only
 * where input is handed over (the guest waits), or when a control-socket
 * client or the end of the run asks: never between two guest steps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hv/keyhandler.h"
#include "keys.h"
#include "sim_internal.h"

#define SWITCH_CODE 0x01           /* Ctrl-a */
#define SWITCH_COUNT 3

static void announce(struct sim *s)
{
	if (s->keys_to_xen)
		hv_printk(s->machine, "*** Serial input to Xen (type 'CTRL-a' "
			  "three times to switch input)");
	else
		hv_printk(s->machine, "*** Serial input to DOM%u (type "
			  "'CTRL-a' three times to switch input)",
			  s->domain->domid);
}

/* c goes where the input goes now: a key to Xen, or back into buf. */
static void route(struct sim *s, char c, char *buf, size_t *kept)
{
	if (s->keys_to_xen)
		hv_debug_key(s->machine, (unsigned char)c);
	else
		buf[(*kept)++] = c;
}

size_t sim_keys_filter(struct sim *s, char *buf, size_t len)
{
	size_t kept = 0;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == SWITCH_CODE) {
			if (++s->keys_switch_count == SWITCH_COUNT) {
				s->keys_switch_count = 0;
				s->keys_to_xen = !s->keys_to_xen;
				announce(s);
			}
			continue;
		}
		for (; s->keys_switch_count; s->keys_switch_count--)
			route(s, SWITCH_CODE, buf, &kept);
		route(s, c, buf, &kept);
	}
	return kept;
}

/* The machine's console sink while keys run for a client: each line goes
 * where it always goes and into the client's copy. */
struct capture {
	hv_console_sink_fn *sink;
	void *ctx;
	struct sim_keys_out *out;
};

static void capture_line(void *ctx, const char *line)
{
	struct capture *cap = ctx;
	struct sim_keys_out *out = cap->out;
	size_t n = strlen(line);

	if (cap->sink)
		cap->sink(cap->ctx, line);
	else
		printf("%s\n", line);
	if (out->failed)
		return;
	if (out->len + n + 2 > out->cap) {
		size_t want = (out->len + n + 2) * 2;
		char *grown = realloc(out->text, want);

		if (!grown) {
			out->failed = true;
			return;
		}
		out->text = grown;
		out->cap = want;
	}
	memcpy(out->text + out->len, line, n);
	out->len += n;
	out->text[out->len++] = '\n';
	out->text[out->len] = '\0';
}

void sim_keys_run(struct sim *s, const char *keys, size_t n,
		  struct sim_keys_out *out)
{
	struct hv_machine *m = s->machine;
	struct capture cap = { m->console_sink, m->console_ctx, out };

	if (!m)
		return;
	if (out) {
		m->console_sink = capture_line;
		m->console_ctx = &cap;
	}
	for (size_t i = 0; i < n; i++)
		hv_debug_key(m, (unsigned char)keys[i]);
	if (out) {
		m->console_sink = cap.sink;
		m->console_ctx = cap.ctx;
	}
}

void sim_keys_out_free(struct sim_keys_out *out)
{
	free(out->text);
	memset(out, 0, sizeof(*out));
}
