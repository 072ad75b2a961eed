/* SPDX-License-Identifier: BSD-2-Clause */
/* The 2-level event ABI: one pending and one mask bit per port in
 * shared_info, one selector bit per 64-port word in the target vCPU's
 * vcpu_info. The bits are set in Xen's order (pending, then selector if
 * unmasked, then the upcall), with atomics: the guest changes them too. */
#include "evtchn_internal.h"
#include "hv/vcpu.h"

#define WORD_BITS 64u

static xen_ulong_t *pending_words(struct hv_domain *d)
{
	return ((struct shared_info *)hv_domain_shared_info(d))->evtchn_pending;
}

static xen_ulong_t *mask_words(struct hv_domain *d)
{
	return ((struct shared_info *)hv_domain_shared_info(d))->evtchn_mask;
}

static bool test_bit(const xen_ulong_t *words, unsigned bit)
{
	return __atomic_load_n(&words[bit / WORD_BITS], __ATOMIC_SEQ_CST) >>
		       (bit % WORD_BITS) & 1;
}

static bool test_and_set_bit(xen_ulong_t *words, unsigned bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << (bit % WORD_BITS);

	return __atomic_fetch_or(&words[bit / WORD_BITS], m,
				 __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear_bit(xen_ulong_t *words, unsigned bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << (bit % WORD_BITS);

	return __atomic_fetch_and(&words[bit / WORD_BITS], ~m,
				  __ATOMIC_SEQ_CST) & m;
}

/* Selector bit of port's word in v's vcpu_info; true if it was set. */
static bool set_selector(struct hv_vcpu *v, unsigned port)
{
	struct vcpu_info *vi = hv_vcpu_info(v);

	return test_and_set_bit(&vi->evtchn_pending_sel, port / WORD_BITS);
}

static void l2_set_pending(struct hv_vcpu *v, struct hv_evtchn *chn)
{
	struct hv_domain *d = v->domain;
	unsigned port = chn->port;

	if (port >= EVTCHN_2L_NR_CHANNELS ||
	    test_and_set_bit(pending_words(d), port))
		return;
	if (!test_bit(mask_words(d), port) && !set_selector(v, port))
		hv_evtchn_mark_upcall(v);
}

static void l2_clear_pending(struct hv_domain *d, struct hv_evtchn *chn)
{
	if (chn->port < EVTCHN_2L_NR_CHANNELS)
		test_and_clear_bit(pending_words(d), chn->port);
}

static void l2_unmask(struct hv_domain *d, struct hv_evtchn *chn)
{
	struct hv_vcpu *v = &d->vcpu[chn->notify_vcpu];
	unsigned port = chn->port;

	if (port >= EVTCHN_2L_NR_CHANNELS)
		return;
	if (test_and_clear_bit(mask_words(d), port) &&
	    test_bit(pending_words(d), port) && !set_selector(v, port))
		hv_evtchn_mark_upcall(v);
}

static bool l2_is_pending(struct hv_domain *d, const struct hv_evtchn *chn)
{
	return chn->port < EVTCHN_2L_NR_CHANNELS &&
	       test_bit(pending_words(d), chn->port);
}

static bool l2_is_masked(struct hv_domain *d, const struct hv_evtchn *chn)
{
	return chn->port >= EVTCHN_2L_NR_CHANNELS ||
	       test_bit(mask_words(d), chn->port);
}

const struct hv_evtchn_abi hv_evtchn_abi_2l = {
	.name = "2-level",
	.set_pending = l2_set_pending,
	.clear_pending = l2_clear_pending,
	.unmask = l2_unmask,
	.is_pending = l2_is_pending,
	.is_masked = l2_is_masked,
};
