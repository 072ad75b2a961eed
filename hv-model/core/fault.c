/* SPDX-License-Identifier: BSD-2-Clause */
/* Seeded fault points and the trace hash (see hv/fault.h). */
#include <stdio.h>
#include <string.h>

#include "hv/fault.h"
#include "hv/machine.h"

static const char *const names[HV_FAULT_COUNT] = {
	[HV_FAULT_TIMING] = "timing",
	[HV_FAULT_EVENTS] = "events",
	[HV_FAULT_RESTART] = "restart",
	[HV_FAULT_GRANTS] = "grants",
	[HV_FAULT_RING] = "ring",
	[HV_FAULT_XS_EAGAIN] = "xs-eagain",
	[HV_FAULT_CPU_OFF] = "cpu-off",
	[HV_FAULT_RECLOSE] = "reclose",
};

const char *hv_fault_name(enum hv_fault_kind kind)
{
	return (unsigned)kind < HV_FAULT_COUNT ? names[kind] : "?";
}

static int parse_one(const char *word, size_t len, unsigned *mask)
{
	if (len == 3 && !memcmp(word, "all", 3)) {
		*mask |= HV_FAULTS_ALL;
		return 0;
	}
	if (len == 4 && !memcmp(word, "none", 4))
		return 0;
	for (unsigned k = 0; k < HV_FAULT_COUNT; k++) {
		if (strlen(names[k]) == len && !memcmp(word, names[k], len)) {
			*mask |= 1u << k;
			return 0;
		}
	}
	return -1;
}

int hv_faults_parse(const char *list, unsigned *mask, char *err,
		    size_t errlen)
{
	const char *p = list;

	*mask = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (parse_one(p, len, mask)) {
			snprintf(err, errlen, "unknown fault \"%.*s\" (all, none, "
				 "timing, events, restart, grants, ring, "
				 "xs-eagain, cpu-off, reclose)", (int)(len > 40 ? 40 : len), p);
			return -1;
		}
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

void hv_faults_describe(unsigned mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned k = 0; k < HV_FAULT_COUNT; k++) {
		if (!(mask & 1u << k))
			continue;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s",
				       at ? "," : "", names[k]);
	}
	if (!at)
		snprintf(buf, len, "none");
}

/* splitmix64: one seed gives a generator state far from the seed's
 * neighbours', and never 0 (xorshift's fixed point). */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 1;
}

void hv_faults_start(struct hv_machine *m, unsigned mask, uint64_t seed)
{
	memset(&m->faults, 0, sizeof(m->faults));
	m->faults.mask = mask & HV_FAULTS_ALL;
	m->faults.rng = mix(seed ^ 0xfa017ull);
	m->faults.trace = 0xcbf29ce484222325ull;
}

bool hv_fault_on(const struct hv_machine *m, enum hv_fault_kind kind)
{
	return m->faults.mask & 1u << kind;
}

static uint64_t next(struct hv_machine *m)
{
	uint64_t x = m->faults.rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	m->faults.rng = x;
	return x;
}

uint64_t hv_fault_pick(struct hv_machine *m, enum hv_fault_kind kind,
		       uint64_t bound)
{
	(void)kind;
	return bound ? next(m) % bound : 0;
}

bool hv_fault_roll(struct hv_machine *m, enum hv_fault_kind kind,
		   unsigned one_in)
{
	if (!hv_fault_on(m, kind) || !one_in || next(m) % one_in)
		return false;
	m->faults.injected[kind]++;
	hv_trace(m, 0xfa000000u + kind, m->faults.injected[kind]);
	return true;
}

static void fold(uint64_t *h, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++) {
		*h ^= (v >> (8 * i)) & 0xff;
		*h *= 0x100000001b3ull;
	}
}

void hv_trace(struct hv_machine *m, uint64_t tag, uint64_t value)
{
	fold(&m->faults.trace, tag);
	fold(&m->faults.trace, value);
	fold(&m->faults.trace, m->now_ns);
}

uint64_t hv_trace_hash(const struct hv_machine *m)
{
	return m->faults.trace;
}
