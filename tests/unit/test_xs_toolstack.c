/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The toolstack helper: the /local/domain/N layout, its permissions, the
 * introduction with @introduceDomain, and teardown with @releaseDomain.
 */
#include <stdio.h>
#include <string.h>

#include "test_xs_helpers.h"

struct fixture {
	struct hv_xs *xs;
	struct tpeer dom0, d5, d6;
};

static const struct hv_xs_domain_info guest5 = {
	.domid = 5, .name = "guest-five", .memory_kb = 262144, .vcpus = 2,
	.store_gfn = 0x39001, .store_port = 3,
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->xs = txs_new();
	tpeer_init(&f->dom0, f->xs, 0);
	tpeer_init(&f->d5, f->xs, 5);
	tpeer_init(&f->d6, f->xs, 6);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tpeer_fini(&f->dom0);
	tpeer_fini(&f->d5);
	tpeer_fini(&f->d6);
	hv_xs_free(f->xs);
	free(f);
	return 0;
}

static void test_xs_toolstack_writes_standard_layout(void **state)
{
	struct fixture *f = *state;
	char buf[256];

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/name"), "guest-five");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/domid"), "5");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/memory/target"), "262144");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/memory/static-max"), "262144");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/cpu/0/availability"), "online");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/cpu/1/availability"), "online");
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/local/domain/5/cpu/2", NULL), "ENOENT");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/control/shutdown"), "");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/store/port"), "3");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/store/ring-ref"), "233473");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/control/"
				     "platform-feature-xs_reset_watches"), "1");
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/device/suspend/event-channel"), "");
	assert_string_equal(tdir_joined(tcall(&f->dom0, XS_DIRECTORY, 0, "/local/domain/5", NULL),
					buf, sizeof(buf)),
			    "vm,name,domid,memory,cpu,store,control,device,data,drivers,feature,attr,error");
}

/* vm names /vm/UUID, which holds the uuid (from the name: the same each
 * time, version 4 and RFC 4122's variant) and the name. */
static void test_xs_toolstack_writes_vm_entries(void **state)
{
	struct fixture *f = *state;
	char vm[64], key[128], uuid[64];
	const char *got;

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	got = tread_ok(&f->dom0, 0, "/local/domain/5/vm");
	assert_int_equal(strlen(got), 4 + 36);
	memcpy(vm, got, 4 + 36 + 1);
	assert_int_equal(strncmp(vm, "/vm/", 4), 0);
	memcpy(uuid, vm + 4, 36 + 1);
	assert_true(uuid[8] == '-' && uuid[13] == '-' && uuid[18] == '-' && uuid[23] == '-');
	assert_int_equal(uuid[14], '4');
	assert_non_null(strchr("89ab", uuid[19]));
	snprintf(key, sizeof(key), "%s/uuid", vm);
	assert_string_equal(tread_ok(&f->dom0, 0, key), uuid);
	snprintf(key, sizeof(key), "%s/name", vm);
	assert_string_equal(tread_ok(&f->dom0, 0, key), "guest-five");
	/* The domain reads its own, as under xl; another cannot. */
	assert_string_equal(tread_ok(&f->d5, 0, key), "guest-five");
	assert_xs_error(tcall(&f->d6, XS_READ, 0, key, NULL), "EACCES");
	/* Built again (a restart), it has the same uuid. */
	assert_int_equal(hv_xs_toolstack_destroy_domain(f->xs, 5), 0);
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, vm, NULL), "ENOENT");
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	assert_string_equal(tread_ok(&f->dom0, 0, "/local/domain/5/vm"), vm);
}

static void test_xs_toolstack_layout_has_libxl_permissions(void **state)
{
	/* What describes the domain: dom0's, read-only to the domain. */
	static const char *const read_only[] = {
		"/local/domain/5", "/local/domain/5/name", "/local/domain/5/memory/target",
		"/local/domain/5/cpu/0/availability", "/local/domain/5/device",
		"/local/domain/5/control", "/local/domain/5/vm", "/local/domain/5/store/port",
		"/local/domain/5/control/platform-feature-multiprocessor-suspend",
	};
	/* What the domain fills in: its own. */
	static const char *const owned[] = {
		"/local/domain/5/control/shutdown", "/local/domain/5/control/feature-poweroff",
		"/local/domain/5/data", "/local/domain/5/drivers", "/local/domain/5/error",
		"/local/domain/5/device/suspend/event-channel",
	};
	struct fixture *f = *state;

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++) {
		const struct tmsg *r = tcall(&f->dom0, XS_GET_PERMS, 0, read_only[i], NULL);

		assert_ok(r, XS_GET_PERMS);
		assert_int_equal(r->hdr.len, 6);
		assert_memory_equal(r->payload, "n0\0r5", 6);
	}
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
		const struct tmsg *r = tcall(&f->dom0, XS_GET_PERMS, 0, owned[i], NULL);

		assert_ok(r, XS_GET_PERMS);
		assert_string_equal((const char *)r->payload, "n5");
	}
	/* Only the owned ones count against the domain's quota. */
	assert_int_equal(hv_xs_domain_nodes(f->xs, 5), 11);
}

static void test_xs_toolstack_guest_uses_its_home_others_cannot(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	assert_string_equal(tread_ok(&f->d5, 0, "name"), "guest-five");
	twrite_ok(&f->d5, 0, "data/x", "1");
	twrite_ok(&f->d5, 0, "control/feature-poweroff", "1");
	/* The description of the domain is not the domain's to change. */
	assert_xs_error(twrite(&f->d5, 0, "name", "evil"), "EACCES");
	assert_xs_error(twrite(&f->d5, 0, "device/vif/0/state", "1"), "EACCES");
	assert_xs_error(tcall(&f->d6, XS_READ, 0, "/local/domain/5/name", NULL), "EACCES");
	assert_xs_error(twrite(&f->d6, 0, "/local/domain/5/device/x", "1"), "EACCES");
}

static void test_xs_toolstack_introduces_and_fires_introduce_domain(void **state)
{
	struct fixture *f = *state;

	twatch_ok(&f->dom0, "@introduceDomain", "in");
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	assert_true(hv_xs_domain_introduced(f->xs, 5));
	tevent_expect(&f->dom0, "@introduceDomain", "in");
	assert_int_equal(tevents_pending(&f->dom0), 0);
}

static void test_xs_toolstack_create_twice_returns_eexist(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), -XEN_EEXIST);
}

static void test_xs_toolstack_rejects_dom0_and_reserved_ids(void **state)
{
	struct fixture *f = *state;
	struct hv_xs_domain_info info = guest5;

	info.domid = 0;
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &info), -XEN_EINVAL);
	info.domid = 0x7ff0;
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &info), -XEN_EINVAL);
	info.domid = 5;
	info.name = NULL;
	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &info), -XEN_EINVAL);
}

static void test_xs_toolstack_destroy_removes_and_fires_release_domain(void **state)
{
	struct fixture *f = *state;
	size_t nodes = hv_xs_live_nodes(f->xs);

	assert_int_equal(hv_xs_toolstack_create_domain(f->xs, &guest5), 0);
	twatch_ok(&f->dom0, "@releaseDomain", "out");
	assert_int_equal(hv_xs_toolstack_destroy_domain(f->xs, 5), 0);
	tevent_expect(&f->dom0, "@releaseDomain", "out");
	assert_false(hv_xs_domain_introduced(f->xs, 5));
	assert_xs_error(tcall(&f->dom0, XS_READ, 0, "/local/domain/5", NULL), "ENOENT");
	/* /local, /local/domain and /vm stay */
	assert_int_equal(hv_xs_live_nodes(f->xs), nodes + 3);
	assert_int_equal(hv_xs_domain_nodes(f->xs, 5), 0);
	assert_int_equal(hv_xs_toolstack_destroy_domain(f->xs, 5), -XEN_ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_xs_toolstack_writes_standard_layout),
		T(test_xs_toolstack_writes_vm_entries),
		T(test_xs_toolstack_layout_has_libxl_permissions),
		T(test_xs_toolstack_guest_uses_its_home_others_cannot),
		T(test_xs_toolstack_introduces_and_fires_introduce_domain),
		T(test_xs_toolstack_create_twice_returns_eexist),
		T(test_xs_toolstack_rejects_dom0_and_reserved_ids),
		T(test_xs_toolstack_destroy_removes_and_fires_release_domain),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
