/* SPDX-License-Identifier: BSD-2-Clause */
/* Figures for the Unicorn runtime, printed, never judged: the time to boot
 * the guest and run its battery (arm64 Image and arm32 zImage under
 * Unicorn, and the same Image as dom0 on the real Xen 4.17 under QEMU when
 * it is there), and the hvc round trip through xensim beside Unicorn's own
 * floor. Trusts nothing it runs: a run that does not power off is reported
 * as such and its figure left out. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "sim.h"

#ifndef UCG_DIR
#define UCG_DIR "build/unicorn-guests"
#endif
#ifndef XENSIM_BUILD
#define XENSIM_BUILD "build"
#endif

#define BOOT_RUNS      20
#define XEN_RUNS       5      /* QEMU's time swings 2-3x with the load */
#define HVC_LOOPS      2000000u
#define FLOOR_LOOPS    4000000u
#define QEMU_LIMIT_S   60
#define LOOP_BASE      0x40080000u

extern char **environ;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void discard(void *ctx, const char *line)
{
	(void)ctx;
	(void)line;
}

/* One sim_run of a kernel file; its wall time in seconds, or -1 if the
 * guest did not power off. max_insns: the run's instruction budget
 * (SIM_DEFAULT_MAX_INSNS as a user gets it; the hvc loops need more, and
 * keep the cost of counting). */
static double run_kernel(const char *path, enum sim_runtime rt,
			 uint64_t max_insns)
{
	struct sim_config cfg;
	struct sim_result res;
	double t0;

	sim_config_init(&cfg);
	cfg.runtime = rt;
	cfg.kernel = path;
	/* Like for like with the real-Xen run: dom0 there has 128 MiB and
	 * no xenstore. */
	cfg.memory_mib = 128;
	cfg.no_xenstore = true;
	cfg.max_insns = max_insns;
	cfg.console_sink = discard;
	cfg.log_level = HV_LOG_ERR;
	t0 = now_s();
	sim_run(&cfg, &res);
	if (res.outcome != SIM_POWEROFF) {
		printf("bench_unicorn: %s did not power off: %s\n", path,
		       res.message);
		return -1;
	}
	return now_s() - t0;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Best, median and worst of n boots, in ms (the median: this machine is
 * shared and noisy); false when a run failed. */
static bool boot_times(const char *path, enum sim_runtime rt, unsigned n,
		       double *median, double *best, double *worst)
{
	double t[BOOT_RUNS];

	for (unsigned i = 0; i < n && i < BOOT_RUNS; i++) {
		t[i] = run_kernel(path, rt, SIM_DEFAULT_MAX_INSNS);
		if (t[i] < 0)
			return false;
	}
	qsort(t, n, sizeof(t[0]), by_value);
	*median = t[n / 2] * 1e3;
	*best = t[0] * 1e3;
	*worst = t[n - 1] * 1e3;
	return true;
}

/* A copy of a loop guest with its iteration count patched in. */
static int patched_copy(const char *src, size_t count_at, uint32_t count,
			char *out, size_t outlen)
{
	static uint8_t img[1 << 16];
	FILE *f = fopen(src, "rb");
	size_t len;

	if (!f)
		return -1;
	len = fread(img, 1, sizeof(img), f);
	fclose(f);
	if (len < count_at + 4)
		return -1;
	memcpy(img + count_at, &count, 4);     /* little-endian host */
	snprintf(out, outlen, "/tmp/xensim-bench-%ld-%u", (long)getpid(), count);
	f = fopen(out, "wb");
	if (!f)
		return -1;
	fwrite(img, 1, len, f);
	return fclose(f);
}

/* ns per hvc through the whole of xensim: (t(N) - t(0)) / N, best of 3. */
static double hvc_round_trip(const char *guest, size_t count_at,
			     enum sim_runtime rt)
{
	char src[512], loop[256], empty[256];
	double best = 1e9;

	snprintf(src, sizeof(src), "%s/%s", UCG_DIR, guest);
	if (patched_copy(src, count_at, HVC_LOOPS, loop, sizeof(loop)) ||
	    patched_copy(src, count_at, 0, empty, sizeof(empty)))
		return -1;
	for (int i = 0; i < 3; i++) {
		double tn = run_kernel(loop, rt, SIM_MAX_INSNS_LIMIT);
		double t0 = run_kernel(empty, rt, SIM_MAX_INSNS_LIMIT);
		double ns = (tn - t0) / HVC_LOOPS * 1e9;

		if (tn < 0 || t0 < 0)
			return -1;
		if (ns < best)
			best = ns;
	}
	unlink(loop);
	unlink(empty);
	return best;
}

/* ---- Unicorn's floor: the same loop on a bare engine ---- */

static const uint32_t hvc_loop[] = {
	0xd2800000,     /* mov x0, #0 */
	0xd2800001,     /* mov x1, #0 */
	0xd2800230,     /* mov x16, #17 */
	0xd401d422,     /* hvc #0xea1 */
	0x71000529,     /* subs w9, w9, #1 */
	0x54ffff61,     /* b.ne loop */
	0xd503201f,     /* nop: the end */
};

enum floor_kind { FLOOR_EMPTY, FLOOR_DECODE, FLOOR_EMPTY_BLOCK, FLOOR_NO_HVC };

struct floor {
	uint8_t *ram;
};

static void hook_empty(uc_engine *uc, uint32_t intno, void *ctx)
{
	(void)uc;
	(void)intno;
	(void)ctx;
}

/* What xensim cannot do without: the PC, the instruction before it, the
 * number and five arguments, the result back in x0. */
static void hook_decode(uc_engine *uc, uint32_t intno, void *ctx)
{
	struct floor *f = ctx;
	int ids[6] = { UC_ARM64_REG_X16, UC_ARM64_REG_X0, UC_ARM64_REG_X1,
		       UC_ARM64_REG_X2, UC_ARM64_REG_X3, UC_ARM64_REG_X4 };
	uint64_t pc = 0, val[6], rc;
	void *ptr[6];
	uint32_t insn;

	(void)intno;
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	memcpy(&insn, f->ram + (pc - 4 - LOOP_BASE), 4);
	for (int i = 0; i < 6; i++)
		ptr[i] = &val[i];
	uc_reg_read_batch(uc, ids, ptr, 6);
	rc = (insn >> 5 & 0xffff) == 0xea1 ? val[0] : 0;
	uc_reg_write(uc, UC_ARM64_REG_X0, &rc);
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	(void)uc;
	(void)addr;
	(void)size;
	(void)ctx;
}

static int set_cp(uc_engine *uc, unsigned op1, uint64_t val)
{
	uc_arm64_cp_reg cp = { .crn = 1, .crm = 1, .op0 = 3, .op1 = op1,
			       .op2 = 0, .val = val };

	return uc_reg_write(uc, UC_ARM64_REG_CP_REG, &cp);
}

/* ns per loop iteration on a bare Cortex-A57 engine. */
static double floor_ns(enum floor_kind kind)
{
	static uint8_t ram[1 << 16] __attribute__((aligned(4096)));
	struct floor f = { ram };
	uint64_t count = FLOOR_LOOPS, end = LOOP_BASE + 6 * 4;
	uc_engine *uc;
	uc_hook h;
	double t0, t;

	memcpy(ram, hvc_loop, sizeof(hvc_loop));
	if (kind == FLOOR_NO_HVC)
		memcpy(ram + 12, &hvc_loop[6], 4);      /* nop for the hvc */
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK)
		return -1;
	uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_A57);
	set_cp(uc, 6, 1 | 1u << 8 | 1u << 10);      /* SCR_EL3: NS HCE RW */
	set_cp(uc, 4, 1ull << 31);                   /* HCR_EL2: RW */
	uc_mem_map_ptr(uc, LOOP_BASE, sizeof(ram), UC_PROT_ALL, ram);
	uc_hook_add(uc, &h, UC_HOOK_INTR,
		    kind == FLOOR_DECODE ? (void *)hook_decode : (void *)hook_empty,
		    &f, 1, 0);
	if (kind == FLOOR_EMPTY_BLOCK)
		uc_hook_add(uc, &h, UC_HOOK_BLOCK, hook_block, NULL, 1, 0);
	uc_reg_write(uc, UC_ARM64_REG_X9, &count);
	t0 = now_s();
	uc_emu_start(uc, LOOP_BASE, end, 0, 0);
	t = now_s() - t0;
	uc_close(uc);
	return t / FLOOR_LOOPS * 1e9;
}

/* ---- the real Xen under QEMU ---- */

/* Boot the Image as dom0 on Xen, as tests/interop does; Xen halts QEMU
 * when the guest powers off. Seconds from spawn to exit, -1 on failure. */
static double real_xen_boot(const char *xen, const char *image)
{
	char loader[600], log[600], grep[700];
	char *argv[] = {
		"qemu-system-aarch64", "-M", "virt,virtualization=on,gic-version=3",
		"-cpu", "cortex-a57", "-smp", "1", "-m", "1024", "-nographic",
		"-no-reboot", "-nic", "none", "-kernel", (char *)xen, "-append",
		"dom0_mem=128M console=dtuart dtuart=/pl011@9000000",
		"-device", loader, NULL,
	};
	posix_spawn_file_actions_t fa;
	double t0, t = -1;
	pid_t pid;
	int status;

	snprintf(loader, sizeof(loader), "guest-loader,addr=0x49000000,"
		 "kernel=%s,bootargs=console=hvc0", image);
	snprintf(log, sizeof(log), "%s/bench/real-xen-dom0.console",
		 XENSIM_BUILD);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	t0 = now_s();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		struct timespec tick = { 0, 2000000 };

		if (w == pid) {
			t = now_s() - t0;
			break;
		}
		if (w < 0 || now_s() - t0 > QEMU_LIMIT_S) {
			kill(pid, SIGKILL);     /* the QEMU this program started */
			waitpid(pid, &status, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
	snprintf(grep, sizeof(grep), "grep -q 'xensim guest: powering off' '%s'",
		 log);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || system(grep) != 0)
		return -1;
	return t;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* XEN_RUNS real-Xen boots in ms: the first (QEMU and Xen mostly not yet
 * in the page cache: it may take 3x the others), then the best, median and
 * worst of all; false if one failed. */
static bool real_xen_times(const char *xen, const char *image, double *first,
			   double *median, double *best, double *worst)
{
	double t[XEN_RUNS];

	for (unsigned i = 0; i < XEN_RUNS; i++) {
		t[i] = real_xen_boot(xen, image);
		if (t[i] < 0)
			return false;
	}
	*first = t[0] * 1e3;
	qsort(t, XEN_RUNS, sizeof(t[0]), by_value);
	*median = t[XEN_RUNS / 2] * 1e3;
	*best = t[0] * 1e3;
	*worst = t[XEN_RUNS - 1] * 1e3;
	return true;
}

int main(void)
{
	char image[512], zimage[512], xen[512], dir[512];
	double mean = 0, best = 0, worst = 0, mean32 = 0, best32 = 0;
	double xen_first, xen_med, xen_best, xen_worst;
	bool ok64, ok32;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(image, sizeof(image), "%s/arm64/Image", XENSIM_BUILD);
	snprintf(zimage, sizeof(zimage), "%s/arm32/zImage", XENSIM_BUILD);
	snprintf(xen, sizeof(xen), "%s/xen/boot/xen-4.17-arm64", XENSIM_BUILD);
	snprintf(dir, sizeof(dir), "%s/bench", XENSIM_BUILD);
	mkdir(dir, 0755);

	if (boot_times(NULL, SIM_NATIVE, BOOT_RUNS, &mean, &best, &worst))
		printf("bench_unicorn: in-process boot + battery + poweroff, "
		       "native guest: min %.2f ms, median %.2f ms, max %.2f ms "
		       "(%d runs)\n", best, mean, worst, BOOT_RUNS);
	ok64 = boot_times(image, SIM_ARM64, BOOT_RUNS, &mean, &best, &worst);
	if (ok64)
		printf("bench_unicorn: in-process boot + battery + poweroff, "
		       "arm64 Image under Unicorn (a fresh engine each): min "
		       "%.2f ms, median %.2f ms, max %.2f ms (%d runs)\n",
		       best, mean, worst, BOOT_RUNS);
	ok32 = exists(zimage) &&
	       boot_times(zimage, SIM_ARM32, BOOT_RUNS, &mean32, &best32,
			  &worst);
	if (ok32)
		printf("bench_unicorn: in-process boot + battery + poweroff, "
		       "arm32 zImage under Unicorn (a fresh engine each): min "
		       "%.2f ms, median %.2f ms, max %.2f ms (%d runs)\n",
		       best32, mean32, worst, BOOT_RUNS);
	if (!exists(xen)) {
		printf("bench_unicorn: real Xen: %s missing (make interop), "
		       "no comparison\n", xen);
	} else if (!real_xen_times(xen, image, &xen_first, &xen_med,
				   &xen_best, &xen_worst)) {
		printf("bench_unicorn: real Xen: the dom0 boot did not power "
		       "off in %d s (see %s/real-xen-dom0.console)\n",
		       QEMU_LIMIT_S, dir);
	} else {
		printf("bench_unicorn: boot + battery + poweroff, same Image "
		       "as dom0 on Xen 4.17 under QEMU (TCG): min %.0f ms, "
		       "median %.0f ms, max %.0f ms, first run %.0f ms (%d "
		       "runs, includes QEMU and Xen booting)\n", xen_best,
		       xen_med, xen_worst, xen_first, XEN_RUNS);
		if (ok64)
			printf("bench_unicorn: xensim's in-process arm64 boot is "
			       "%.0fx faster than real Xen under QEMU by the "
			       "medians, %.0fx by the best runs (whole process "
			       "against whole process: proc-bench)\n",
			       xen_med / mean, xen_best / best);
	}

	printf("bench_unicorn: hvc round trip through xensim, arm64: %.0f ns "
	       "(goal <= 200 ns; loop of hvc + 5 instructions)\n",
	       hvc_round_trip("a64_loop.Image", 0x44, SIM_ARM64));
	printf("bench_unicorn: hvc round trip through xensim, arm32: %.0f ns\n",
	       hvc_round_trip("a32_loop.zImage", 0x38, SIM_ARM32));
	printf("bench_unicorn: Unicorn floor, same loop, empty interrupt hook: "
	       "%.0f ns\n", floor_ns(FLOOR_EMPTY));
	printf("bench_unicorn: Unicorn floor, hook reading PC, instruction and "
	       "6 registers, writing x0: %.0f ns\n", floor_ns(FLOOR_DECODE));
	printf("bench_unicorn: Unicorn floor, empty interrupt hook + empty "
	       "block hook: %.0f ns\n", floor_ns(FLOOR_EMPTY_BLOCK));
	printf("bench_unicorn: the loop with a nop for the hvc: %.1f ns\n",
	       floor_ns(FLOOR_NO_HVC));
	return 0;
}
