/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * LD_PRELOAD shim that lets Xen's C xenstored (xen-utils-4.17) serve its
 * unix socket on a machine without Xen, for the xenstore benchmark.
 *
 * Started with -D, that daemon skips its domain set-up, and with it the
 * table its per-domain accounting looks dom0 up in: the first node write
 * then calls through a NULL table and the daemon dies of SIGSEGV. So it is
 * started without -D and this shim answers the hypervisor libraries and the
 * two /proc/xen files that set-up reads, describing one idle dom0:
 *   - xc_interface_open, xengnttab_open, xenevtchn_open: dummy handles;
 *   - xc_domain_getinfo: dom0 exists, no other domain does;
 *   - event channels bind to fixed ports and never fire (the event fd is
 *     the read end of a pipe nobody writes);
 *   - /proc/xen/xsd_port reads "1", /proc/xen/xsd_kva maps one zeroed
 *     page, a xenstore ring on which dom0 never sends anything.
 * Every other call reaches the C library untouched.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

enum { DOM0_XENBUS_PORT = 1, VIRQ_PORT = 2, INTERDOMAIN_PORT = 3 };

/* Distinct non-NULL handles; the daemon only passes them back to us. */
static char xc_dummy, gnttab_dummy, evtchn_dummy;
static int never_readable = -1;

/* A file with the given contents (or a zeroed page when text is NULL). */
static int fake_proc_file(const char *text)
{
	int fd = memfd_create("xs-shim", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (text) {
		size_t len = strlen(text);

		if (write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0)
			goto fail;
	} else if (ftruncate(fd, sysconf(_SC_PAGESIZE)) != 0) {
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (strcmp(path, "/proc/xen/xsd_port") == 0)
		return fake_proc_file("1");
	if (strcmp(path, "/proc/xen/xsd_kva") == 0)
		return fake_proc_file(NULL);
	return openat(AT_FDCWD, path, flags, mode);
}

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	(void)logger;
	(void)dombuild_logger;
	(void)open_flags;
	return (xc_interface *)&xc_dummy;
}

int xc_interface_close(xc_interface *xch)
{
	(void)xch;
	return 0;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info)
{
	(void)xch;
	if (first_domid != 0 || max_doms == 0)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domid = 0;
	info->running = 1;
	return 1;
}

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return (xengnttab_handle *)&gnttab_dummy;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	(void)xgt;
	return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	(void)xgt;
	(void)nr_grants;
	return 0;
}

/* No guest exists, so no guest's ring can be mapped. */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
	(void)xgt;
	(void)domid;
	(void)ref;
	(void)prot;
	errno = ENOENT;
	return NULL;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
	(void)xgt;
	(void)start_address;
	(void)count;
	return 0;
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	int fds[2];

	(void)logger;
	(void)open_flags;
	/* The write end stays open (and unused) so the read end never sees EOF. */
	if (never_readable < 0 && pipe(fds) == 0)
		never_readable = fds[0];
	return never_readable < 0 ? NULL : (xenevtchn_handle *)&evtchn_dummy;
}

xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd, unsigned open_flags)
{
	(void)fd;
	return xenevtchn_open(logger, open_flags);
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	(void)xce;
	return never_readable;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	(void)xce;
	(void)virq;
	return VIRQ_PORT;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	(void)xce;
	(void)domid;
	(void)remote_port;
	return INTERDOMAIN_PORT;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

/* Never called: the event fd never becomes readable. */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	(void)xce;
	errno = EAGAIN;
	return -1;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}
