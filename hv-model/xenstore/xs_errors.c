/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error names on the wire. The model's errors are Xen's (-XEN_E*), and the
 * table in xen/io/xs_wire.h carries Xen's numbers with the names: the two
 * headers must agree, checked below.
 */
#include <xen/errno.h>

#include "xs_internal.h"

#define HV_XS_CHECK_ERRNO_(name, num) \
	_Static_assert(XEN_##name == num, "xs_wire.h and xen/errno.h disagree on " #name);
XSD_ERROR_LIST(HV_XS_CHECK_ERRNO_)
#undef HV_XS_CHECK_ERRNO_

const char *hv_xs_error_name(int neg_errno)
{
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++)
		if (xsd_errors[i].errnum == -neg_errno)
			return xsd_errors[i].errstring;
	return "EIO"; /* anything without a wire name is an I/O failure */
}
