/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The names of Xen's errno values, for messages: what a model API returned
 * (-XEN_EADDRINUSE) becomes "EADDRINUSE" where a program reports it to its
 * user. Header-only, so a program linked from one part of the model (the
 * standalone xenstored) has it too.
 */
#ifndef HV_ERRNO_NAME_H
#define HV_ERRNO_NAME_H

#include <xen/errno.h>

/* neg_errno is a model API's negative return; "EIO"-style name, or
 * "unknown error" for a number xen/errno.h does not name. */
static inline const char *hv_errno_name(int neg_errno)
{
	static const struct {
		int num;
		const char *name;
	} names[] = {
#define HV_ERRNO_NAME_(e) { XEN_##e, #e },
		HV_ERRNO_NAME_(EPERM) HV_ERRNO_NAME_(ENOENT)
		HV_ERRNO_NAME_(ESRCH) HV_ERRNO_NAME_(EIO)
		HV_ERRNO_NAME_(ENXIO) HV_ERRNO_NAME_(E2BIG)
		HV_ERRNO_NAME_(ENOEXEC) HV_ERRNO_NAME_(EBADF)
		HV_ERRNO_NAME_(ECHILD) HV_ERRNO_NAME_(EAGAIN)
		HV_ERRNO_NAME_(ENOMEM) HV_ERRNO_NAME_(EACCES)
		HV_ERRNO_NAME_(EFAULT) HV_ERRNO_NAME_(EBUSY)
		HV_ERRNO_NAME_(EEXIST) HV_ERRNO_NAME_(EXDEV)
		HV_ERRNO_NAME_(ENODEV) HV_ERRNO_NAME_(ENOTDIR)
		HV_ERRNO_NAME_(EISDIR) HV_ERRNO_NAME_(EINVAL)
		HV_ERRNO_NAME_(ENFILE) HV_ERRNO_NAME_(EMFILE)
		HV_ERRNO_NAME_(ENOSPC) HV_ERRNO_NAME_(EROFS)
		HV_ERRNO_NAME_(EMLINK) HV_ERRNO_NAME_(EDOM)
		HV_ERRNO_NAME_(ERANGE) HV_ERRNO_NAME_(EDEADLK)
		HV_ERRNO_NAME_(ENAMETOOLONG) HV_ERRNO_NAME_(ENOLCK)
		HV_ERRNO_NAME_(ENOSYS) HV_ERRNO_NAME_(ENOTEMPTY)
		HV_ERRNO_NAME_(ENODATA) HV_ERRNO_NAME_(ETIME)
		HV_ERRNO_NAME_(EBADMSG) HV_ERRNO_NAME_(EOVERFLOW)
		HV_ERRNO_NAME_(EILSEQ) HV_ERRNO_NAME_(ENOTSOCK)
		HV_ERRNO_NAME_(EMSGSIZE) HV_ERRNO_NAME_(EOPNOTSUPP)
		HV_ERRNO_NAME_(EADDRINUSE) HV_ERRNO_NAME_(EADDRNOTAVAIL)
		HV_ERRNO_NAME_(ENOBUFS) HV_ERRNO_NAME_(EISCONN)
		HV_ERRNO_NAME_(ENOTCONN) HV_ERRNO_NAME_(ETIMEDOUT)
		HV_ERRNO_NAME_(ECONNREFUSED)
#undef HV_ERRNO_NAME_
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == -neg_errno)
			return names[i].name;
	return "unknown error";
}

#endif /* HV_ERRNO_NAME_H */
