/* SPDX-License-Identifier: BSD-2-Clause */
/* The host's half of the block self-check: make a disk image that does not
 * hold the pattern (so a guest that wrote nothing cannot pass), and check
 * an image byte for byte against the pattern the guest writes
 * (guest/include/gxen/blk_pattern.h, the same seed).
 *   blkpattern make FILE BYTES    a fresh image of BYTES bytes
 *   blkpattern want FILE BYTES    the image a guest leaves: the pattern
 *                                 itself, for a peer without this tool
 *                                 (real Xen's dom0) to compare with cmp
 *   blkpattern check FILE         exit 0 when FILE is the pattern */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gxen/blk_pattern.h"

#define CHUNK (64 * 1024)

/* Writes BYTES bytes of seed's pattern to path. */
static int write_image(const char *path, const char *size, uint64_t seed)
{
	char *end;
	unsigned long long bytes = strtoull(size, &end, 10);
	unsigned char buf[CHUNK];
	FILE *f;

	if (*end || bytes == 0 || bytes % 4096) {
		fprintf(stderr, "blkpattern: size %s is not a positive "
			"multiple of 4096\n", size);
		return 1;
	}
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "blkpattern: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (unsigned long long off = 0; off < bytes; off += CHUNK) {
		size_t n = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;

		blk_pattern_fill(seed, off, buf, n);
		if (fwrite(buf, 1, n, f) != n) {
			fprintf(stderr, "blkpattern: %s: write failed\n", path);
			fclose(f);
			return 1;
		}
	}
	return fclose(f) ? 1 : 0;
}

static int check(const char *path)
{
	unsigned char buf[CHUNK];
	unsigned long long off = 0;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "blkpattern: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		size_t at = blk_pattern_check(BLK_PATTERN_SEED, off, buf,
					      n & ~(size_t)7);

		if (at != (n & ~(size_t)7) || n % 8) {
			fprintf(stderr, "blkpattern: %s: byte %llu differs "
				"from the pattern\n", path, off + at);
			fclose(f);
			return 1;
		}
		off += n;
	}
	fclose(f);
	if (off == 0) {
		fprintf(stderr, "blkpattern: %s is empty\n", path);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* make: the pattern of another seed, never the one checked. */
	if (argc == 4 && strcmp(argv[1], "make") == 0)
		return write_image(argv[2], argv[3], ~BLK_PATTERN_SEED);
	if (argc == 4 && strcmp(argv[1], "want") == 0)
		return write_image(argv[2], argv[3], BLK_PATTERN_SEED);
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return check(argv[2]);
	fprintf(stderr, "usage: blkpattern make|want FILE BYTES | "
		"check FILE\n");
	return 2;
}
