/* SPDX-License-Identifier: BSD-2-Clause */
/* Files named on the command line: read whole regular files without ever
 * blocking, write results, and explain a failed path in words. */
#ifndef SIM_FILE_H
#define SIM_FILE_H

#include <stddef.h>
#include <stdint.h>

/* The whole regular file at path (at most max bytes) in a malloc'd buffer,
 * its length in *len; NULL with a message in err for anything else (a
 * FIFO, a directory, a device, a missing or unreadable file). */
void *sim_file_read(const char *path, size_t max, size_t *len, char *err,
		    size_t errlen);

/* Write data to path (a regular file is replaced), never blocking; 0, or
 * -1 with a message. */
int sim_file_write(const char *path, const void *data, size_t len, char *err,
		   size_t errlen);

/* What a file of this st_mode is, for a message: "a FIFO", "a directory". */
const char *sim_file_kind(unsigned mode);

/* Why an operation on path failed with errnum, in words: names a missing
 * directory instead of the "Permission denied" some calls report. */
void sim_path_error(const char *path, int errnum, char *err, size_t errlen);

#endif
