/* SPDX-License-Identifier: BSD-2-Clause */
/* The user's files: kernels, device trees and where to write them. A path
 * on the command line may name anything (a FIFO, a directory, a device, a
 * missing directory): each is refused with a message that says what it
 * is, and nothing here ever blocks waiting for a writer. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *sim_file_kind(unsigned mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* The directory part of path ("." when there is none), in buf. */
static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		snprintf(buf, len, ".");
		return;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	snprintf(buf, len, "%.*s", (int)n, path);
}

void sim_path_error(const char *path, int errnum, char *err, size_t errlen)
{
	char dir[512];
	struct stat st;

	dir_of(path, dir, sizeof(dir));
	/* Some calls (a socket's bind) say EACCES for a missing directory:
	 * look before trusting errno. */
	if ((errnum == ENOENT || errnum == EACCES) && stat(dir, &st) != 0 &&
	    errno == ENOENT) {
		say(err, errlen, "no such directory: %s", dir);
		return;
	}
	if (errnum == ENOTDIR || (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))) {
		say(err, errlen, "%s is not a directory", dir);
		return;
	}
	say(err, errlen, "%s", strerror(errnum));
}

void *sim_file_read(const char *path, size_t max, size_t *len, char *err,
		    size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	int fd;

	/* Look first, so that opening never has a device's side effects;
	 * open without blocking (a FIFO would wait for a writer), then look
	 * again at what was opened. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		say(err, errlen, "%s, not a regular file", sim_file_kind(st.st_mode));
		return NULL;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		say(err, errlen, "%s, not a regular file", sim_file_kind(st.st_mode));
		return NULL;
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		say(err, errlen, "%lld bytes, over the limit of %zu",
		    (long long)st.st_size, max);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
		say(err, errlen, buf ? "short read (the file changed?)" :
		    "out of memory");
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

int sim_file_write(const char *path, const void *data, size_t len, char *err,
		   size_t errlen)
{
	const uint8_t *p = data;
	size_t done = 0;
	int fd;

	/* Without blocking: a FIFO nobody reads is refused, not waited on. */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC,
		  0666);
	if (fd < 0) {
		if (errno == ENXIO)
			say(err, errlen, "a FIFO with no reader");
		else if (errno == EISDIR)
			say(err, errlen, "a directory");
		else
			sim_path_error(path, errno, err, errlen);
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, p + done, len - done);

		if (n <= 0) {
			say(err, errlen, "write failed: %s",
			    n < 0 ? strerror(errno) : "no progress");
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		say(err, errlen, "write failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}
