/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Node permissions (xenstore.txt, "Permissions"): entry 0 is the owner and
 * its bits are the default for every domain not listed after it. The
 * owner, dom0 and a domain targeting the owner (SET_TARGET) have full
 * access. Permission strings come from requests: parsed strictly.
 */
#include <xen/errno.h>
#include <stdio.h>

#include "xs_internal.h"

static const char perm_letters[4] = { 'n', 'r', 'w', 'b' };

void hv_xs_who_for(const struct hv_xs *xs, uint16_t domid, struct hv_xs_who *who)
{
	const struct hv_xs_domain *d = hv_xs_domain_find(xs, domid);

	who->domid = domid;
	who->priv = domid == 0;
	who->has_target = d && d->has_target;
	who->target = d ? d->target : 0;
}

bool hv_xs_is_owner(const struct hv_xs_who *who, const struct hv_xs_perm *perms, uint32_t n)
{
	if (who->priv)
		return true;
	if (!n)
		return false;
	return perms[0].domid == who->domid ||
	       (who->has_target && perms[0].domid == who->target);
}

static const struct hv_xs_perm *entry_for(uint16_t domid, const struct hv_xs_perm *perms,
					  uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		if (perms[i].domid == domid)
			return &perms[i];
	return NULL;
}

unsigned hv_xs_perm_for(const struct hv_xs_who *who, const struct hv_xs_perm *perms, uint32_t n)
{
	const struct hv_xs_perm *e;

	if (hv_xs_is_owner(who, perms, n))
		return HV_XS_PERM_BOTH;
	if (!n)
		return HV_XS_PERM_NONE;
	e = entry_for(who->domid, perms, n);
	if (!e && who->has_target)
		e = entry_for(who->target, perms, n);
	return (e ? e : &perms[0])->perms & HV_XS_PERM_BOTH;
}

bool hv_xs_may(const struct hv_xs_who *who, const struct hv_xs_node *n, unsigned want)
{
	return (hv_xs_perm_for(who, n->perms, n->nperms) & want) == want;
}

int hv_xs_perm_parse(const char *s, struct hv_xs_perm *out)
{
	for (unsigned bits = 0; bits < 4; bits++) {
		if (s[0] != perm_letters[bits])
			continue;
		out->perms = (uint8_t)bits;
		return hv_xs_parse_domid(s + 1, &out->domid);
	}
	return -XEN_EINVAL;
}

int hv_xs_perm_format(const struct hv_xs_perm *p, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%c%u", perm_letters[p->perms & 3], (unsigned)p->domid);

	return (n < 0 || (size_t)n >= cap) ? -XEN_E2BIG : n;
}
