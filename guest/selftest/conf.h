/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance battery: each area calls every hypercall and sub-op of
 * one part of Xen's interface with good and bad arguments, prints each
 * answer as a line "conf: AREA: CALL = VALUE" and checks it against what
 * Xen 4.17 on ARM answers. The printed lines are what the transcripts of
 * real Xen and xensim are compared on; the checks make a wrong answer a
 * FAIL even where no comparison runs. */
#ifndef GUEST_SELFTEST_CONF_H
#define GUEST_SELFTEST_CONF_H

#include <stdbool.h>

#include <xen/xen.h>

#include "selftest.h"
#include "selftest_checks.h"

/* Print "conf: AREA: WHAT = GOT" (AREA is the check's name without its
 * "conf_") and check GOT == WANT. Returns GOT == WANT. */
bool conf_expect(struct selftest_ctx *ctx, const char *what, long got,
		 long want);

/* The same for a value printed in hex (addresses, versions, bit maps). */
bool conf_expect_hex(struct selftest_ctx *ctx, const char *what,
		     unsigned long got, unsigned long want);

/* The same for an answer that is a name (what happened). */
bool conf_expect_name(struct selftest_ctx *ctx, const char *what,
		      const char *got, const char *want);

/* For an answer that depends on whether this domain is the hardware
 * domain (dom0): checks GOT against WANT_DOM0 or WANT_DOMU and prints
 * "conf: AREA: WHAT = GOT (as dom0)" or "(as domU)". The real-Xen dom0
 * transcript is compared with a xensim domU, so normalise.sh --dom0 hides
 * the value of such lines; the check still holds each role to its own. */
bool conf_expect_role(struct selftest_ctx *ctx, const char *what, long got,
		      long want_dom0, long want_domu);

/* Each area's check (conf_areas.h): check_conf_AREA in conf_AREA.c. */
#define CONF_AREA(area) void check_conf_##area(struct selftest_ctx *ctx);
#include "conf_areas.h"
#undef CONF_AREA

/* True when Xen says this domain is dom0 (XENFEAT_dom0). */
bool conf_is_dom0(void);

/* A domid that no domain has right now, for the checks that expect
 * -ESRCH of an absent one: the first of a few candidates that
 * EVTCHNOP_bind_interdomain says has no domain. A run of several domains
 * (and its restarts) may hold any small id, so none is assumed free.
 * Checks that one was found. */
domid_t conf_absent_domid(struct selftest_ctx *ctx);

#endif
