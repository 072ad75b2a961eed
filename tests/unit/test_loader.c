/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel loader: recognising Image / zImage / native files, rejecting
 * every bad header with a message that says why, placing kernels where
 * Xen's toolstack does, and the setup errors a bad file gives sim_run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <xen/arch-arm.h>

#include "fixture.h"
#include "loader.h"
#include "sim.h"

#define BUF_LEN 8192

static uint8_t buf[BUF_LEN];
static char err[256];

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* An arm64 Image header followed by zeros. */
static size_t make_image(size_t len, uint64_t text_offset, uint64_t image_size,
			 uint64_t flags)
{
	memset(buf, 0, sizeof(buf));
	put32(buf, 0x14000010);                 /* b +0x40 */
	put64(buf + 8, text_offset);
	put64(buf + 16, image_size);
	put64(buf + 24, flags);
	memcpy(buf + 56, "ARM\x64", 4);
	for (size_t i = 64; i < len; i++)
		buf[i] = (uint8_t)i;
	return len;
}

/* An arm32 zImage header followed by a pattern. */
static size_t make_zimage(size_t len, uint32_t start, uint32_t end)
{
	memset(buf, 0, sizeof(buf));
	put32(buf + 0x24, 0x016f2818);
	put32(buf + 0x28, start);
	put32(buf + 0x2c, end);
	for (size_t i = 0x30; i < len; i++)
		buf[i] = (uint8_t)(i * 7);
	return len;
}

static size_t make_elf(unsigned machine)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\177ELF\2\1\1", 7);
	buf[18] = (uint8_t)machine;
	buf[19] = (uint8_t)(machine >> 8);
	return 64;
}

static void test_loader_detects_each_kind(void **state)
{
	(void)state;
	assert_int_equal(sim_kernel_detect(buf, make_image(128, 0x80000, 4096, 0xa)),
			 SIM_KERNEL_ARM64);
	assert_int_equal(sim_kernel_detect(buf, make_zimage(128, 0, 128)),
			 SIM_KERNEL_ARM32);
	assert_int_equal(sim_kernel_detect(buf, make_elf(62)), SIM_KERNEL_NATIVE);
	assert_int_equal(sim_kernel_detect(buf, make_elf(183)), SIM_KERNEL_UNKNOWN);
	assert_int_equal(sim_kernel_detect(buf, make_elf(40)), SIM_KERNEL_UNKNOWN);
	memset(buf, 0x5a, 256);
	assert_int_equal(sim_kernel_detect(buf, 256), SIM_KERNEL_UNKNOWN);
	/* The Image magic needs the whole 64-byte header. */
	make_image(64, 0, 64, 0xa);
	assert_int_equal(sim_kernel_detect(buf, 63), SIM_KERNEL_UNKNOWN);
	assert_int_equal(sim_kernel_detect(buf, 0), SIM_KERNEL_UNKNOWN);
}

/* Table: how a bad file is built, and what the message must say. */
enum shape { BAD_MAGIC, SHORT, EMPTY, ARM_ELF, MISALIGNED, BE_FLAG,
	     HUGE_SIZE, HUGE_OFFSET, Z_END_BELOW_START, Z_END_IS_START,
	     Z_TRUNCATED };

static const struct {
	enum shape shape;
	const char *want;
} bad_headers[] = {
	{ BAD_MAGIC, "bad magic" },
	{ SHORT, "truncated: 10 bytes" },
	{ EMPTY, "empty file" },
	{ ARM_ELF, "objcopy -O binary" },
	{ MISALIGNED, "text_offset 0x80010 is not a multiple of 4096" },
	{ BE_FLAG, "big-endian" },
	{ HUGE_SIZE, "image_size 0x100000000 is larger than any guest RAM" },
	{ HUGE_OFFSET, "lies beyond any guest RAM" },
	{ Z_END_BELOW_START, "zImage end 0x00000100 is not above its start "
	  "0x00001000" },
	{ Z_END_IS_START, "is not above" },
	{ Z_TRUNCATED, "truncated zImage: the header says 8192 bytes, the file "
	  "has 512" },
};

static size_t build(enum shape s)
{
	switch (s) {
	case BAD_MAGIC:
		memset(buf, 0x11, 512);
		return 512;
	case SHORT:
		return make_image(10, 0, 0, 0);
	case EMPTY:
		return 0;
	case ARM_ELF:
		return make_elf(183);
	case MISALIGNED:
		return make_image(256, 0x80010, 4096, 0xa);
	case BE_FLAG:
		return make_image(256, 0x80000, 4096, 0xb);
	case HUGE_SIZE:
		return make_image(256, 0x80000, 1ull << 32, 0xa);
	case HUGE_OFFSET:
		return make_image(256, 1ull << 40, 4096, 0xa);
	case Z_END_BELOW_START:
		return make_zimage(512, 0x1000, 0x100);
	case Z_END_IS_START:
		return make_zimage(512, 0x40, 0x40);
	default:
		return make_zimage(512, 0, 8192);
	}
}

static void test_loader_rejects_bad_headers_saying_why(void **state)
{
	struct sim_kernel k;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_headers) / sizeof(bad_headers[0]); i++) {
		size_t len = build(bad_headers[i].shape);

		err[0] = '\0';
		assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)),
				 -1);
		print_message("%-28s %s\n", bad_headers[i].want, err);
		assert_non_null(strstr(err, bad_headers[i].want));
	}
}

static void test_loader_legacy_image_loads_at_0x80000(void **state)
{
	struct sim_kernel k;

	(void)state;
	/* image_size 0: a pre-3.17 Image, whatever text_offset says. */
	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 0x1234, 0, 0),
					  err, sizeof(err)), 0);
	assert_int_equal(k.load_offset, 0x80000);
	assert_int_equal(k.mem_size, 256);
}

static void test_loader_image_reserves_image_size(void **state)
{
	struct sim_kernel k;

	(void)state;
	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 0, 0x20000,
							      0xa),
					  err, sizeof(err)), 0);
	assert_int_equal(k.kind, SIM_KERNEL_ARM64);
	assert_int_equal(k.load_offset, 0);
	assert_int_equal(k.mem_size, 0x20000);   /* .bss and all */
}

/* Placement uses a real domain: the fixture's 16 MiB domU 1. */
#define DTB_AT   (GUEST_RAM0_BASE + (14u << 20))
#define DTB_SIZE 0x1000

static void test_loader_places_image_at_ram_base_plus_text_offset(void **state)
{
	struct fixture *fx = *state;
	struct sim_kernel k;
	struct sim_boot boot;
	size_t len = make_image(4096, 0x80000, 8192, 0xa);

	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), 0);
	assert_int_equal(boot.entry, 0x40080000);
	assert_int_equal(boot.image_start, 0x40080000);
	assert_int_equal(boot.image_end, 0x40080000 + 8192);
	assert_int_equal(boot.dtb, DTB_AT);
	assert_memory_equal(fx_ptr(fx, 0x40080000), buf, len);
}

static void test_loader_places_zimage_at_ram_base_plus_0x8000(void **state)
{
	struct fixture *fx = *state;
	struct sim_kernel k;
	struct sim_boot boot;
	size_t len = make_zimage(2048, 0, 2048);

	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), 0);
	assert_int_equal(boot.entry, 0x40008000);
	assert_memory_equal(fx_ptr(fx, 0x40008000), buf, len);
	/* A non-zero start is the entry, and must lie in the image. */
	len = make_zimage(2048, 0x40008100, 0x40008100 + 1024);
	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), 0);
	assert_int_equal(boot.entry, 0x40008100);
	len = make_zimage(2048, 0x50000000, 0x50000400);
	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "start address 0x50000000 is outside"));
}

static void test_loader_zimage_loads_only_up_to_its_end(void **state)
{
	struct fixture *fx = *state;
	struct sim_kernel k;
	struct sim_boot boot;
	size_t len = make_zimage(2048, 0, 1024);

	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), 0);
	assert_int_equal(k.len, 1024);
	assert_int_equal(k.trailing, 1024);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), 0);
	assert_int_equal(boot.image_end, 0x40008000 + 1024);
	assert_memory_equal(fx_ptr(fx, 0x40008000), buf, 1024);
	/* Nothing past the header's end reaches guest RAM. */
	for (size_t i = 1024; i < 2048; i++)
		assert_int_equal(*(uint8_t *)fx_ptr(fx, 0x40008000 + i), 0);
	/* An end beyond the file is refused. */
	len = make_zimage(1024, 0, 1025);
	assert_int_equal(sim_kernel_parse(&k, buf, len, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "the header says 1025 bytes, the file has "
			       "1024"));
}

static void test_loader_refuses_kernel_larger_than_ram(void **state)
{
	struct fixture *fx = *state;
	struct sim_kernel k;
	struct sim_boot boot;

	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 0x80000,
							      32u << 20, 0xa),
					  err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not fit in 16 MiB of RAM"));
	/* An offset past the end of RAM fails the same way. */
	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 20u << 20,
							      4096, 0xa),
					  err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not fit"));
}

static void test_loader_refuses_overlap_with_device_tree(void **state)
{
	struct fixture *fx = *state;
	struct sim_kernel k;
	struct sim_boot boot;

	/* 13 MiB at RAM + 2 MiB runs into the tree at RAM + 14 MiB. */
	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 2u << 20,
							      13u << 20, 0xa),
					  err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), -1);
	assert_non_null(strstr(err, "would overlap the device tree at "
			       "[0x40e00000, 0x40e01000)"));
	/* Ending exactly where the tree starts is fine. */
	assert_int_equal(sim_kernel_parse(&k, buf, make_image(256, 2u << 20,
							      12u << 20, 0xa),
					  err, sizeof(err)), 0);
	assert_int_equal(sim_kernel_place(&k, fx->d, DTB_AT, DTB_SIZE, &boot,
					  err, sizeof(err)), 0);
}

/* ---- through files and sim_run ---- */

static const char *tmp_file(const char *name, const void *data, size_t len)
{
	static char path[4][128];
	static unsigned next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, sizeof(path[0]), "/tmp/xensim-loader-%ld-%s",
		 (long)getpid(), name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return p;
}

static void quiet_sink(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

static int run_file(enum sim_runtime rt, const char *path, uint64_t mib,
		    struct sim_result *res)
{
	struct sim_config cfg;

	sim_config_init(&cfg);
	cfg.runtime = rt;
	cfg.kernel = path;
	cfg.memory_mib = mib;
	cfg.console_sink = quiet_sink;
	return sim_run(&cfg, res);
}

static void test_loader_bad_files_are_setup_errors(void **state)
{
	struct sim_result res;
	const char *trunc, *zimage, *huge;

	(void)state;
	assert_int_equal(run_file(SIM_ARM64, "/nonexistent/Image", 128, &res), 1);
	assert_int_equal(res.outcome, SIM_SETUP_ERROR);
	assert_non_null(strstr(res.message, "/nonexistent/Image: cannot open: "
			       "No such file or directory"));
	assert_int_equal(run_file(SIM_ARM64, "/tmp", 128, &res), 1);
	assert_non_null(strstr(res.message, "not a regular file"));
	assert_int_equal(run_file(SIM_ARM64, NULL, 128, &res), 1);
	assert_non_null(strstr(res.message, "no kernel given"));

	trunc = tmp_file("trunc", buf, make_image(40, 0, 0, 0));
	assert_int_equal(run_file(SIM_ARM64, trunc, 128, &res), 1);
	assert_non_null(strstr(res.message, "truncated: 40 bytes"));

	zimage = tmp_file("zimage", buf, make_zimage(1024, 0, 1024));
	assert_int_equal(run_file(SIM_ARM64, zimage, 128, &res), 1);
	assert_non_null(strstr(res.message, "arm32 zImage given to the arm64 "
			       "runtime"));

	huge = tmp_file("huge", buf, make_image(256, 0x80000, 64u << 20, 0xa));
	assert_int_equal(run_file(SIM_ARM64, huge, 16, &res), 1);
	assert_non_null(strstr(res.message, "does not fit in 16 MiB of RAM"));
	/* With room for it, the same file loads (and faults in the zeros). */
	assert_int_equal(run_file(SIM_ARM64, huge, 256, &res), 2);
	assert_int_equal(res.outcome, SIM_FAULT);
	unlink(trunc);
	unlink(zimage);
	unlink(huge);
}

static void test_loader_probe_tells_the_cli_the_kind(void **state)
{
	enum sim_kernel_kind kind;
	const char *img, *z, *junk;

	(void)state;
	img = tmp_file("probe-img", buf, make_image(128, 0, 128, 0xa));
	assert_int_equal(sim_kernel_probe(img, &kind, err, sizeof(err)), 0);
	assert_int_equal(kind, SIM_KERNEL_ARM64);
	z = tmp_file("probe-z", buf, make_zimage(128, 0, 128));
	assert_int_equal(sim_kernel_probe(z, &kind, err, sizeof(err)), 0);
	assert_int_equal(kind, SIM_KERNEL_ARM32);
	memset(buf, 0x33, 100);
	junk = tmp_file("probe-junk", buf, 100);
	assert_int_equal(sim_kernel_probe(junk, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad magic"));
	assert_int_equal(sim_kernel_probe("/nonexistent", &kind, err,
					  sizeof(err)), -1);
	unlink(img);
	unlink(z);
	unlink(junk);
}

/* A FIFO with no writer would block open() and read() for ever. */
static void test_loader_fifo_is_refused_without_blocking(void **state)
{
	struct sim_kernel k;
	enum sim_kernel_kind kind;
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/xensim-loader-%ld-fifo",
		 (long)getpid());
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sim_kernel_probe(path, &kind, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "a FIFO, not a regular file"));
	assert_int_equal(sim_kernel_read(&k, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "a FIFO, not a regular file"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loader_detects_each_kind),
		cmocka_unit_test(test_loader_rejects_bad_headers_saying_why),
		cmocka_unit_test(test_loader_legacy_image_loads_at_0x80000),
		cmocka_unit_test(test_loader_image_reserves_image_size),
		cmocka_unit_test_setup_teardown(
			test_loader_places_image_at_ram_base_plus_text_offset,
			fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_loader_places_zimage_at_ram_base_plus_0x8000,
			fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_loader_zimage_loads_only_up_to_its_end,
			fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_loader_refuses_kernel_larger_than_ram,
			fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_loader_refuses_overlap_with_device_tree,
			fx_setup, fx_teardown),
		cmocka_unit_test(test_loader_bad_files_are_setup_errors),
		cmocka_unit_test(test_loader_probe_tells_the_cli_the_kind),
		cmocka_unit_test(test_loader_fifo_is_refused_without_blocking),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
