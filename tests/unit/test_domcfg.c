/* SPDX-License-Identifier: BSD-2-Clause */
/* Domain config files: xl.cfg syntax, the keys xensim honours, disk and
 * network specs, and every malformed input refused with file, line and
 * key in the message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "domcfg.h"
#include "xlcfg.h"

static char err[512];

static int parse_text(const char *text, struct sim_domcfg *cfg)
{
	struct xlcfg x;
	int rc;

	err[0] = '\0';
	if (xlcfg_parse("t.cfg", text, strlen(text), &x, err, sizeof(err)))
		return -1;
	rc = sim_domcfg_from_xlcfg(&x, cfg, err, sizeof(err));
	xlcfg_free(&x);
	return rc;
}

static void test_xlcfg_full_example_parses(void **state)
{
	static const char text[] =
		"# a guest\n"
		"name = \"web1\"\n"
		"type = 'pvh'\n"
		"memory = 256   # MiB\n"
		"vcpus = \"2\"; gic_version = \"v3\"\n"
		"kernel = \"build/arm64/Image\"\n"
		"extra = \"console=hvc0\"\n"
		"root = '/dev/xvda1'\n"
		"disk = [ 'format=raw, vdev=xvda, access=rw, target=disk.img',\n"
		"         '/root/image.iso,,hdc,cdrom', ]\n"
		"vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0' ]\n"
		"on_poweroff = 'destroy'\n"
		"on_crash = 'restart'\n"
		"on_watchdog = 'preserve'\n";
	struct sim_domcfg cfg;

	(void)state;
	assert_int_equal(parse_text(text, &cfg), 0);
	assert_string_equal(cfg.name, "web1");
	assert_int_equal(cfg.memory_mib, 256);
	assert_int_equal(cfg.vcpus, 2);
	assert_int_equal(cfg.gic, 3);
	assert_string_equal(cfg.kernel, "build/arm64/Image");
	assert_string_equal(cfg.cmdline, "root=/dev/xvda1 console=hvc0");
	assert_int_equal(cfg.n_disks, 2);
	assert_string_equal(cfg.disks[0].target, "disk.img");
	assert_string_equal(cfg.disks[0].vdev, "xvda");
	assert_int_equal(cfg.disks[0].virtual_device, 51712);
	assert_false(cfg.disks[0].readonly);
	assert_true(cfg.disks[1].cdrom);
	assert_true(cfg.disks[1].readonly);
	assert_int_equal(cfg.disks[1].virtual_device, 22 << 8);
	assert_int_equal(cfg.n_vifs, 1);
	assert_int_equal(cfg.on_poweroff, SIM_ACTION_DESTROY);
	assert_int_equal(cfg.on_reboot, SIM_ACTION_RESTART);
	assert_int_equal(cfg.on_crash, SIM_ACTION_RESTART);
	assert_int_equal(cfg.on_watchdog, SIM_ACTION_PRESERVE);
	assert_int_equal(cfg.set, SIM_DOMCFG_NAME | SIM_DOMCFG_MEMORY |
			 SIM_DOMCFG_VCPUS | SIM_DOMCFG_KERNEL |
			 SIM_DOMCFG_CMDLINE | SIM_DOMCFG_GIC);
}

/* Each malformed file, and the words its message must hold. */
static void test_xlcfg_refuses_malformed_files(void **state)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "memory = 64\nbogus = 1\n", "t.cfg:2: bogus: unknown key" },
		{ "name = web\n", "t.cfg:1: unquoted word" },
		{ "name = 'web\n", "t.cfg:1: string not closed" },
		{ "name = \"a\\qb\"\n", "unknown escape" },
		{ "memory = 64\nmemory = 128\n", "t.cfg:2: memory set twice (first on line 1)" },
		{ "memory 64\n", "t.cfg:1: expected = after memory" },
		{ "memory = 64 128\n", "text after the value of memory" },
		{ "memory =\n", "t.cfg:1: value missing" },
		{ "disk = [ 'a', [ 'b' ] ]\n", "a list inside a list" },
		{ "disk = [ 'a' 'b' ]\n", "expected , or ]" },
		{ "disk = [ 'vdev=xvda,target=x'\n", "list not closed" },
		{ "memory = 12x\n", "is not a number" },
		{ "= 5\n", "t.cfg:1: expected KEY = VALUE" },
		{ "memory = 8\n", "t.cfg:1: memory: wants a number from 16 to 16384" },
		{ "memory = [ 64 ]\n", "memory: wants a single value" },
		{ "vcpus = 9\n", "vcpus: wants a number from 1 to 8" },
		{ "name = ''\n", "name: empty" },
		{ "name = 'a/b'\n", "name: printable characters" },
		{ "type = 'pv'\n", "ARM domains are type \"pvh\"" },
		{ "gic_version = 'v4'\n", "want \"v2\" or \"v3\"" },
		{ "on_crash = 'coredump-destroy'\n", "\"coredump-destroy\" is not supported by xensim: it does destroy, restart and preserve" },
		{ "on_watchdog = 'rename-restart'\n", "on_watchdog: \"rename-restart\" is not supported" },
		{ "on_crash = 'explode'\n", "not an action" },
		{ "cmdline = 'a'\nextra = 'b'\n", "cmdline with root or extra" },
		{ "disk = [ 'target=x' ]\n", "t.cfg:1: disk: 'target=x': no vdev" },
		{ "disk = [ 'x,qcow2,xvda' ]\n", "format=qcow2: xensim serves raw images only" },
		{ "disk = [ 'x,,xvda,rx' ]\n", "access=rx" },
		{ "disk = [ 'x,,floppy' ]\n", "vdev=floppy: not a disk name" },
		{ "disk = [ 'x,,xvda', 'y,,xvda' ]\n", "vdev xvda used twice" },
		{ "disk = [ 'x,,xvda,rw,cdrom' ]\n", "a cdrom is read-only" },
		{ "disk = [ 'vdev=xvda,vdev=xvdb,target=x' ]\n", "vdev given twice" },
		{ "disk = [ 'vdev=xvda,script=block,target=x' ]\n", "hotplug scripts" },
		{ "disk = [ 'vdev=xvda,colour=red,target=x' ]\n", "unknown key \"colour\"" },
		{ "disk = [ 'vdev=xvda,backend=3,target=x' ]\n", "backend=3" },
		{ "disk = [ 5 ]\n", "entry 1 is not a string" },
		{ "vif = [ 'mac=00:16:3e:00:00:01,speed=9' ]\n", "unknown key \"speed\"" },
		{ "vif = [ 'bridge' ]\n", "\"bridge\" is not KEY=VALUE" },
		{ "channel = [ 'connection=pty' ]\n", "t.cfg:1: channel: 'connection=pty': no name" },
		{ "channel = [ 'name=a' ]\n", "no connection" },
		{ "channel = [ 'name=a,connection=tcp' ]\n", "connection=tcp: want pty or socket" },
		{ "channel = [ 'name=a,connection=SOCKET,path=/s' ]\n", "connection=SOCKET: want pty or socket" },
		{ "channel = [ 'name=a,connection=socket' ]\n", "connection=socket needs path=PATH" },
		{ "channel = [ 'name=a,connection=pty,path=/s' ]\n", "path= is for connection=socket" },
		{ "channel = [ 'name=a b,connection=pty' ]\n", "printable characters without blanks" },
		{ "channel = [ 'name=a,name=b,connection=pty' ]\n", "name given twice" },
		{ "channel = [ 'name=a,connection=pty,backend=2' ]\n", "backend=2" },
		{ "channel = [ 'name=a,connection=pty,colour=red' ]\n", "unknown key \"colour\"" },
		{ "channel = [ 'name=a,connection=pty', 'name=a,connection=pty' ]\n", "channel name a used twice" },
		{ "channel = [ 'name=a,connection=socket,path=/s', 'name=b,connection=socket,path=/s' ]\n", "socket path /s used twice" },
		{ "channel = [ 'name=a,pty' ]\n", "\"pty\" is not KEY=VALUE" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_domcfg cfg;

		if (parse_text(cases[i].text, &cfg) == 0)
			fail_msg("accepted: %s", cases[i].text);
		if (!strstr(err, cases[i].want))
			fail_msg("for %s got \"%s\", want \"%s\"",
				 cases[i].text, err, cases[i].want);
	}
}

/* xl.cfg(5)'s channel: name, connection pty or socket (with a path), an
 * optional backend; blanks around keys and values as xl allows them. */
static void test_channel_specs(void **state)
{
	static const char text[] =
		"channel = [ 'name=org.example.agent, connection=socket, "
		"path=/run/agent.sock',\n"
		"            'connection = pty , name = second, backend=0' ]\n";
	struct sim_domcfg cfg;

	(void)state;
	assert_int_equal(parse_text(text, &cfg), 0);
	assert_int_equal(cfg.n_channels, 2);
	assert_string_equal(cfg.channels[0].name, "org.example.agent");
	assert_int_equal(cfg.channels[0].connection, SIM_CHANNEL_SOCKET);
	assert_string_equal(cfg.channels[0].path, "/run/agent.sock");
	assert_string_equal(cfg.channels[1].name, "second");
	assert_int_equal(cfg.channels[1].connection, SIM_CHANNEL_PTY);
	assert_string_equal(cfg.channels[1].path, "");
}

static void test_xlcfg_refuses_nul_and_huge_values(void **state)
{
	static const char nul[] = "name = 'a'\0\n";
	struct xlcfg x;
	char *big;

	(void)state;
	assert_int_equal(xlcfg_parse("t.cfg", nul, sizeof(nul) - 1, &x, err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "nul byte"));
	big = malloc(XLCFG_MAX_STRING + 32);
	assert_non_null(big);
	memcpy(big, "extra = '", 9);
	memset(big + 9, 'x', XLCFG_MAX_STRING + 1);
	strcpy(big + 9 + XLCFG_MAX_STRING + 1, "'\n");
	assert_int_equal(xlcfg_parse("t.cfg", big, strlen(big), &x, err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "string longer than"));
	free(big);
}

static void test_xlcfg_empty_file_and_separators(void **state)
{
	struct sim_domcfg cfg;

	(void)state;
	assert_int_equal(parse_text("", &cfg), 0);
	assert_int_equal(cfg.set, 0);
	assert_int_equal(parse_text(";;\n# only a comment\n;", &cfg), 0);
	assert_int_equal(parse_text("memory=64;vcpus=1;name='x'", &cfg), 0);
	assert_int_equal(cfg.memory_mib, 64);
	assert_string_equal(cfg.name, "x");
}

/* The equivalent spellings of xl-disk-configuration(5). */
static void test_disk_spec_spellings(void **state)
{
	static const char *const same_rw[] = {
		"/dev/vg/guest-volume,,hda",
		"/dev/vg/guest-volume,raw,hda,rw",
		"format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume",
		"raw:/dev/vg/guest-volume,hda,w",
	};
	static const char *const same_cd[] = {
		"/root/image.iso,,hdc,cdrom",
		"/root/image.iso,,hdc,,cdrom",
		"/root/image.iso,raw,hdc,devtype=cdrom",
		"format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso",
	};
	struct sim_disk d;

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		if (sim_disk_parse(same_rw[i], &d, err, sizeof(err)))
			fail_msg("%s: %s", same_rw[i], err);
		assert_string_equal(d.target, "/dev/vg/guest-volume");
		assert_string_equal(d.vdev, "hda");
		assert_false(d.readonly);
		assert_false(d.cdrom);
		if (sim_disk_parse(same_cd[i], &d, err, sizeof(err)))
			fail_msg("%s: %s", same_cd[i], err);
		assert_string_equal(d.target, "/root/image.iso");
		assert_true(d.cdrom);
		assert_true(d.readonly);
	}
	/* target= takes the rest of the spec, commas included. */
	assert_int_equal(sim_disk_parse("vdev=xvdb, target=a,b=c.img", &d, err,
					sizeof(err)), 0);
	assert_string_equal(d.target, "a,b=c.img");
	assert_int_equal(sim_disk_parse("x.img,,xvda,ro,no-discard", &d, err,
					sizeof(err)), 0);
	assert_true(d.readonly);
	assert_false(d.discard);
}

/* Virtual device numbers as Xen's VBD interface assigns them. */
static void test_vdev_numbers(void **state)
{
	static const struct { const char *name; uint32_t number; } ok[] = {
		{ "xvda", 202 << 8 }, { "xvdb", (202 << 8) | 16 },
		{ "xvda1", (202 << 8) | 1 }, { "xvdp15", (202 << 8) | 255 },
		{ "xvdq", (1u << 28) | (16 << 8) },
		{ "xvdaa", (1u << 28) | (26 << 8) },
		{ "xvda16", (1u << 28) | 16 },
		{ "sda", 8 << 8 }, { "sdb2", (8 << 8) | 18 },
		{ "hda", 3 << 8 }, { "hdb", (3 << 8) | 64 },
		{ "hdc", 22 << 8 }, { "hdd1", (22 << 8) | 65 },
	};
	static const char *const bad[] = {
		"xvd", "xvdA", "xvda0", "xvda01", "xvda256", "sdq", "sda16",
		"hde", "vda", "xvda1b", "",
	};
	uint32_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (sim_vdev_number(ok[i].name, &n))
			fail_msg("%s refused", ok[i].name);
		if (n != ok[i].number)
			fail_msg("%s = %#x, want %#x", ok[i].name, n,
				 ok[i].number);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (sim_vdev_number(bad[i], &n) == 0)
			fail_msg("%s accepted", bad[i]);
}

/* A FIFO or a directory is refused at once, never read. */
static void test_domcfg_load_refuses_non_files(void **state)
{
	char dir[] = "/tmp/xensim-cfg-XXXXXX", fifo[64];
	struct sim_domcfg cfg;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo.cfg", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(sim_domcfg_load(fifo, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(sim_domcfg_load(dir, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	unlink(fifo);
	assert_int_equal(sim_domcfg_load(fifo, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlcfg_full_example_parses),
		cmocka_unit_test(test_xlcfg_refuses_malformed_files),
		cmocka_unit_test(test_xlcfg_refuses_nul_and_huge_values),
		cmocka_unit_test(test_xlcfg_empty_file_and_separators),
		cmocka_unit_test(test_disk_spec_spellings),
		cmocka_unit_test(test_channel_specs),
		cmocka_unit_test(test_vdev_numbers),
		cmocka_unit_test(test_domcfg_load_refuses_non_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
