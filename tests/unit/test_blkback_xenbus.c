/* SPDX-License-Identifier: BSD-2-Clause */
/* dom0's block backend's xenbus side: the nodes the toolstack and the
 * backend write, the --blkback option list, the image checks, what the
 * frontend may choose and what it may not, and the state machine through
 * close and reconnect. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <xen/errno.h>

#include "blkfront_fake.h"
#include "hv/evtchn.h"

static struct fake f;

static int setup(void **state)
{
	(void)state;
	return fk_machine(&f);
}

static int teardown(void **state)
{
	(void)state;
	fk_free(&f);
	return 0;
}

static const char *fe_read(const char *node)
{
	static char buf[128];
	char path[160];
	int n;

	snprintf(path, sizeof(path), FK_FE "/%s", node);
	n = hv_xs_read(f.xs, path, buf, sizeof(buf) - 1);
	buf[n > 0 && n < (int)sizeof(buf) ? n : 0] = '\0';
	return buf;
}

static void test_blkback_writes_the_toolstack_nodes(void **state)
{
	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_string_equal(fe_read("backend"), FK_BE);
	assert_string_equal(fe_read("backend-id"), "0");
	assert_string_equal(fe_read("virtual-device"), "51712");
	assert_string_equal(fe_read("device-type"), "disk");
	assert_string_equal(fe_read("state"), "1");
	assert_string_equal(fk_be_read(&f, "frontend"), FK_FE);
	assert_string_equal(fk_be_read(&f, "frontend-id"), "1");
	assert_string_equal(fk_be_read(&f, "online"), "1");
	assert_string_equal(fk_be_read(&f, "state"), "2");
	assert_string_equal(fk_be_read(&f, "params"), f.image);
	assert_string_equal(fk_be_read(&f, "mode"), "w");
	assert_string_equal(fk_be_read(&f, "device-type"), "disk");
	assert_string_equal(fk_be_read(&f, "dev"), "xvda");
	assert_string_equal(fk_be_read(&f, "removable"), "0");
	/* libxl's choice for a raw file, and what its block script adds. */
	assert_string_equal(fk_be_read(&f, "type"), "phy");
	assert_string_equal(fk_be_read(&f, "script"), "/etc/xen/scripts/block");
	assert_string_equal(fk_be_read(&f, "specification"), "xen");
	assert_string_equal(fk_be_read(&f, "physical-device-path"), f.image);
	assert_true(strchr(fk_be_read(&f, "physical-device"), ':') != NULL);
	assert_string_equal(fk_be_read(&f, "hotplug-status"), "connected");
	/* Linux's blkback offers its limits at probe... */
	assert_string_equal(fk_be_read(&f, "feature-max-indirect-segments"),
			    "256");
	assert_string_equal(fk_be_read(&f, "max-ring-page-order"), "4");
	assert_string_equal(fk_be_read(&f, "multi-queue-max-queues"), "4");
	/* ...and what the device allows only once connected. */
	assert_string_equal(fk_be_read(&f, "sectors"), "");
	assert_string_equal(fk_be_read(&f, "feature-persistent"), "");
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "");
	assert_true(fk_connect(&f, 1, -1));
	assert_string_equal(fk_be_read(&f, "sectors"), "2048");
	assert_string_equal(fk_be_read(&f, "sector-size"), "512");
	assert_string_equal(fk_be_read(&f, "info"), "0");
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "1");
	/* As negotiated: this frontend did not ask for persistent grants. */
	assert_string_equal(fk_be_read(&f, "feature-persistent"), "0");
}

static void test_blkback_option_list_switches_features_off(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(hv_blkback_features_parse(
		"no-discard,no-flush,no-barrier,no-persistent,no-indirect,"
		"sector-size=4096,max-ring-page-order=0,max-queues=1",
		&f.cfg.features, err, sizeof(err)), 0);
	assert_int_equal(fk_backend(&f), 0);
	assert_string_equal(fk_be_read(&f, "feature-max-indirect-segments"),
			    "");
	assert_string_equal(fk_be_read(&f, "max-ring-page-order"), "0");
	assert_string_equal(fk_be_read(&f, "multi-queue-max-queues"), "1");
	fk_write(&f, "feature-persistent", "1");
	assert_true(fk_connect(&f, 1, -1));
	assert_string_equal(fk_be_read(&f, "feature-discard"), "0");
	assert_string_equal(fk_be_read(&f, "feature-flush-cache"), "0");
	assert_string_equal(fk_be_read(&f, "feature-barrier"), "0");
	assert_string_equal(fk_be_read(&f, "feature-persistent"), "0");
	assert_string_equal(fk_be_read(&f, "sector-size"), "4096");
	assert_string_equal(fk_be_read(&f, "sectors"), "256");
}

static void test_blkback_option_list_rejects_bad_values(void **state)
{
	static const char *const bad[] = {
		"", ",", "no-flush,", ",no-flush", "no-such", "no-flush=1",
		"sector-size", "sector-size=", "sector-size=1024",
		"sector-size=512x", "sector-size=-512", "max-ring-page-order=5",
		"max-queues=0", "max-queues=5", "max-indirect-segments=11",
		"max-indirect-segments=257", "max-queues=99999999999999999",
		"physical-sector-size=4096,sector-size=4096,"
		"physical-sector-size=512",
	};
	struct hv_blkback_features feat;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hv_blkback_features_default(&feat);
		err[0] = '\0';
		print_message("\"%s\"\n", bad[i]);
		/* "" is no list at all: nothing to change, nothing wrong. */
		if (!bad[i][0]) {
			assert_int_equal(hv_blkback_features_parse(bad[i], &feat,
								   err,
								   sizeof(err)),
					 0);
			continue;
		}
		assert_int_equal(hv_blkback_features_parse(bad[i], &feat, err,
							   sizeof(err)), -1);
		assert_non_null(strstr(err, "--blkback"));
	}
	hv_blkback_features_default(&feat);
	assert_int_equal(hv_blkback_features_parse("max-indirect-segments=12,"
						   "max-queues=4", &feat, err,
						   sizeof(err)), 0);
	assert_int_equal(feat.max_indirect_segments, 12);
}

static void test_blkback_refuses_bad_images(void **state)
{
	static const char junk[1000];
	char err[256], path[80];
	uint64_t bytes;
	int fd;

	(void)state;
	assert_int_equal(hv_blkback_check_image("/nonexistent/x.img", false,
						512, &bytes, err, sizeof(err)),
			 -XEN_ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.img"));
	assert_int_equal(hv_blkback_check_image("/tmp", false, 512, &bytes,
						err, sizeof(err)), -XEN_EINVAL);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(hv_blkback_check_image("", true, 512, &bytes, err,
						sizeof(err)), -XEN_EINVAL);
	snprintf(path, sizeof(path), "/tmp/xensim-odd-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(hv_blkback_check_image(path, false, 512, &bytes, err,
						sizeof(err)), -XEN_EINVAL);
	assert_int_equal(write(fd, junk, sizeof(junk)), 1000);
	close(fd);
	assert_int_equal(hv_blkback_check_image(path, false, 512, &bytes, err,
						sizeof(err)), -XEN_EINVAL);
	assert_non_null(strstr(err, "512-byte sectors"));
	unlink(path);
	/* The 1 MiB image is whole in either sector size. */
	assert_int_equal(hv_blkback_check_image(f.image, false, 4096, &bytes,
						err, sizeof(err)), 0);
	assert_int_equal(bytes, FK_IMAGE_BYTES);
	f.cfg.target = "/nonexistent/x.img";
	assert_int_equal(fk_backend(&f), -XEN_ENOENT);
	assert_null(f.bb);
	assert_string_equal(fe_read("backend"), "");
}

/* The frontend's nodes spoilt one way: the backend must not connect. */
struct bad_fe {
	const char *why;
	const char *node, *value;
	unsigned nr_queues;
	int order;
};

static const struct bad_fe bad_fes[] = {
	{ "x86 protocol", "protocol", "x86_64-abi", 1, 0 },
	{ "unknown protocol", "protocol", "arm", 1, 0 },
	{ "ring-page-order above max", "ring-page-order", "5", 1, 0 },
	{ "ring-page-order garbage", "ring-page-order", "2x", 1, 0 },
	{ "zero queues", "multi-queue-num-queues", "0", 1, 0 },
	{ "too many queues", "multi-queue-num-queues", "5", 1, 0 },
	{ "ring-ref garbage", "ring-ref0", "abc", 1, 0 },
	{ "ring-ref ungranted", "ring-ref0", "4000", 1, 0 },
	{ "ring-ref beyond any table", "ring-ref0", "4294967295", 1, 0 },
	{ "ring-ref too large", "ring-ref0", "4294967296", 1, 0 },
	{ "single ring-ref missing", "ring-ref", "", 1, -1 },
	{ "second page missing", "ring-ref1", "", 1, 1 },
	{ "event-channel zero", "event-channel", "0", 1, 0 },
	{ "event-channel unbound", "event-channel", "999", 1, 0 },
	{ "event-channel garbage", "event-channel", "-1", 1, 0 },
	{ "queue's ring-ref missing", "queue-1/ring-ref0", "", 2, 0 },
	{ "persistent garbage", "feature-persistent", "yes", 1, 0 },
};

static void test_blkback_bad_frontend_nodes_do_not_connect(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_fes) / sizeof(bad_fes[0]); i++) {
		const struct bad_fe *b = &bad_fes[i];
		char path[160];

		fk_free(&f);
		assert_int_equal(fk_machine(&f), 0);
		assert_int_equal(fk_backend(&f), 0);
		fk_share_rings(&f, b->nr_queues, b->order);
		snprintf(path, sizeof(path), FK_FE "/%s", b->node);
		if (b->value[0])
			fk_write(&f, b->node, b->value);
		else
			hv_xs_rm(f.xs, path);
		fk_write(&f, "state", "3");
		fk_settle(&f);
		print_message("%s\n", b->why);
		assert_int_equal(fk_be_state(&f), XenbusStateClosing);
		assert_true(strlen(fk_be_read(&f, "error")) > 0);
		/* Nothing half-connected stays behind. */
		assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
		assert_int_equal(hv_evtchn_active_ports(f.dom0), 0);
	}
}

static void test_blkback_protocol_missing_or_arm_connects(void **state)
{
	char path[160];

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	fk_share_rings(&f, 1, -1);
	snprintf(path, sizeof(path), FK_FE "/protocol");
	hv_xs_rm(f.xs, path);
	fk_write(&f, "state", "3");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateConnected);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 1);
}

static void test_blkback_close_and_reconnect(void **state)
{
	struct blkif_request r;

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_true(fk_connect(&f, 2, 1));
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 4);
	fk_write(&f, "state", "5");                  /* Closing */
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosing);
	fk_write(&f, "state", "6");                  /* Closed */
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
	assert_int_equal(hv_evtchn_active_ports(f.dom0), 0);
	/* The frontend starts over, with another layout this time. */
	fk_write(&f, "state", "1");
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateInitWait);
	hv_xs_rm(f.xs, FK_FE "/multi-queue-num-queues");
	assert_true(fk_connect(&f, 1, 0));
	r = fk_rw(&f, BLKIF_OP_READ, 5, 8, 1, 0);
	assert_int_equal(fk_one(&f, &r, sizeof(r)), BLKIF_RSP_OKAY);
	assert_int_equal(fk_data(&f, 0)[0], fk_pattern(8 * 512));
	assert_int_equal(hv_blkback_device(f.bb)->connects, 2);
	/* No grant was ended while the backend still held it. */
	assert_int_equal(hv_gnttab_audit(f.guest), 0);
	assert_int_equal(hv_gnttab_violations(f.guest), 0);
}

static void test_blkback_frontend_gone_closes(void **state)
{
	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_true(fk_connect(&f, 1, 0));
	fk_write(&f, "state", "9x");                 /* Unknown */
	fk_settle(&f);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
}

static void test_blkback_close_with_io_in_flight_writes_it(void **state)
{
	struct blkif_request r;
	uint8_t img[4096];

	(void)state;
	assert_int_equal(fk_backend(&f), 0);
	assert_true(fk_connect(&f, 1, 0));
	r = fk_rw(&f, BLKIF_OP_WRITE, 1, 0, 1, 0);
	memset(fk_data(&f, 0), 0x61, 4096);
	fk_put(&f, 0, &r, sizeof(r));
	fk_push(&f, 0);
	hv_blkback_run(f.bb);                        /* taken, not answered */
	fk_write(&f, "state", "6");
	hv_blkback_run(f.bb);
	assert_int_equal(fk_be_state(&f), XenbusStateClosed);
	assert_int_equal(hv_gnttab_nr_mappings(f.dom0), 0);
	fk_image(&f, img, 0, sizeof(img));
	assert_int_equal(img[100], 0x61);
	/* Its completion time passes with nothing left to deliver to. */
	fk_settle(&f);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_blkback_writes_the_toolstack_nodes),
		T(test_blkback_option_list_switches_features_off),
		T(test_blkback_option_list_rejects_bad_values),
		T(test_blkback_refuses_bad_images),
		T(test_blkback_bad_frontend_nodes_do_not_connect),
		T(test_blkback_protocol_missing_or_arm_connects),
		T(test_blkback_close_and_reconnect),
		T(test_blkback_frontend_gone_closes),
		T(test_blkback_close_with_io_in_flight_writes_it),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
