/*
 * Error names on the wire. The table in xen/io/xs_wire.h carries Xen's
 * errno numbers; the model uses the host's <errno.h> constants, which on
 * the Linux hosts we build for are the same numbers: checked below.
 */
#include <errno.h>

#include "xs_internal.h"

#define HV_XS_CHECK_ERRNO_(name, num) \
	_Static_assert(name == num, #name " on this host differs from Xen's value");
XSD_ERROR_LIST(HV_XS_CHECK_ERRNO_)
#undef HV_XS_CHECK_ERRNO_

const char *hv_xs_error_name(int neg_errno)
{
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++)
		if (xsd_errors[i].errnum == -neg_errno)
			return xsd_errors[i].errstring;
	return "EIO"; /* anything without a wire name is an I/O failure */
}
