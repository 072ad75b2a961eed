/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot headers of the ARM images the build produced, as Xen reads
 * them: arm64 Image (magic, text_offset, image_size against the file,
 * flags) and arm32 zImage (magic, position-independent start, end equal
 * to the file). Paths from $ARM64_IMAGE, $ARM32_ZIMAGE, $ARM32_ZIMAGE_THUMB
 * or the build tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define IMAGE_MAGIC      0x644d5241u    /* "ARM\x64" at offset 56 */
#define IMAGE_FLAGS_LE   0x0u           /* bit 0: little-endian */
#define IMAGE_FLAGS_4K   0x2u           /* bits 2:1 = 1: 4 KiB pages */
#define IMAGE_FLAGS_ANY  0x8u           /* bit 3: placed anywhere */
#define ZIMAGE_MAGIC     0x016f2818u
#define ZIMAGE_ENDIAN_LE 0x04030201u
/* Xen 4.17 copies only the file and puts the next module at the next
 * 2 MiB boundary or later: .bss, tables and stack must fit before it. */
#define BEYOND_FILE_MAX  (2u << 20)

struct image {
	const char *env;
	const char *fallback;
	uint8_t *data;
	size_t len;
};

static struct image arm64 = { "ARM64_IMAGE", "build/arm64/Image", NULL, 0 };
static struct image arm32 = { "ARM32_ZIMAGE", "build/arm32/zImage", NULL, 0 };
static struct image thumb = { "ARM32_ZIMAGE_THUMB", "build/arm32/zImage-thumb",
			      NULL, 0 };

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int load(void **state)
{
	struct image *img = *state;
	const char *path = getenv(img->env) ? getenv(img->env) : img->fallback;
	FILE *f = fopen(path, "rb");
	long size;

	if (!f) {
		fprintf(stderr, "cannot open %s (build it with `make arm`)\n", path);
		return -1;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 64 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		img->len = (size_t)size;
		img->data = malloc(img->len);
		if (img->data && fread(img->data, 1, img->len, f) != img->len) {
			free(img->data);
			img->data = NULL;
		}
	}
	fclose(f);
	return img->data ? 0 : -1;
}

static int unload(void **state)
{
	struct image *img = *state;

	free(img->data);
	img->data = NULL;
	return 0;
}

static void test_image_has_arm64_magic(void **state)
{
	struct image *img = *state;

	assert_int_equal(le32(img->data + 56), IMAGE_MAGIC);
}

static void test_image_starts_with_branch_into_file(void **state)
{
	struct image *img = *state;
	uint32_t insn = le32(img->data);
	uint64_t target = (uint64_t)(insn & 0x03ffffffu) * 4;

	assert_int_equal(insn & 0xfc000000u, 0x14000000u);   /* b */
	assert_true(target >= 64 && target < img->len);
}

static void test_image_text_offset_is_zero(void **state)
{
	struct image *img = *state;

	assert_int_equal(le64(img->data + 8), 0);
}

static void test_image_size_covers_file_and_bss(void **state)
{
	struct image *img = *state;
	uint64_t size = le64(img->data + 16);

	assert_true(size >= img->len);
	assert_true(size - img->len < BEYOND_FILE_MAX);
	assert_int_equal(size % 4096, 0);
}

static void test_image_flags_le_4k_anywhere(void **state)
{
	struct image *img = *state;

	assert_int_equal(le64(img->data + 24),
			 IMAGE_FLAGS_LE | IMAGE_FLAGS_4K | IMAGE_FLAGS_ANY);
}

static void test_zimage_has_magic_and_endian_mark(void **state)
{
	struct image *img = *state;

	assert_int_equal(le32(img->data + 0x24), ZIMAGE_MAGIC);
	assert_int_equal(le32(img->data + 0x30), ZIMAGE_ENDIAN_LE);
}

static void test_zimage_is_position_independent(void **state)
{
	struct image *img = *state;

	assert_int_equal(le32(img->data + 0x28), 0);
}

static void test_zimage_end_is_file_size(void **state)
{
	struct image *img = *state;

	assert_int_equal(le32(img->data + 0x2c), img->len);
}

static void test_zimage_enters_in_arm_state(void **state)
{
	struct image *img = *state;

	/* B<always> to a word inside the file: Xen enters in ARM state. */
	uint32_t insn = le32(img->data);
	int32_t off = (int32_t)(insn << 8) >> 6;

	assert_int_equal(insn & 0xff000000u, 0xea000000u);
	assert_true(off + 8 > 0x30 && (size_t)(off + 8) < img->len);
}

#define IMAGE_TEST(fn, img) cmocka_unit_test_prestate_setup_teardown( \
	fn, load, unload, &(img))

int main(void)
{
	const struct CMUnitTest tests[] = {
		IMAGE_TEST(test_image_has_arm64_magic, arm64),
		IMAGE_TEST(test_image_starts_with_branch_into_file, arm64),
		IMAGE_TEST(test_image_text_offset_is_zero, arm64),
		IMAGE_TEST(test_image_size_covers_file_and_bss, arm64),
		IMAGE_TEST(test_image_flags_le_4k_anywhere, arm64),
		IMAGE_TEST(test_zimage_has_magic_and_endian_mark, arm32),
		IMAGE_TEST(test_zimage_is_position_independent, arm32),
		IMAGE_TEST(test_zimage_end_is_file_size, arm32),
		IMAGE_TEST(test_zimage_enters_in_arm_state, arm32),
		IMAGE_TEST(test_zimage_has_magic_and_endian_mark, thumb),
		IMAGE_TEST(test_zimage_is_position_independent, thumb),
		IMAGE_TEST(test_zimage_end_is_file_size, thumb),
		IMAGE_TEST(test_zimage_enters_in_arm_state, thumb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
