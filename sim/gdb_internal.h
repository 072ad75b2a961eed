/* SPDX-License-Identifier: BSD-2-Clause */
/* The gdb stub's parts: the socket and packet framing (gdb_wire.c), the
 * registers and target descriptions (gdb_regs.c), memory, breakpoints and
 * watchpoints (gdb_points.c) and the packets' meaning (gdb_stub.c). */
#ifndef SIM_GDB_INTERNAL_H
#define SIM_GDB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdb.h"

/* The largest packet either side sends (the qSupported PacketSize). */
#define GDB_PACKET_MAX 0x4000
/* vCPUs of a run the stub serves: one per domain. */
#define GDB_MAX_CPUS 8

/* GDB's signal numbers in stop replies. */
#define GDB_SIGINT  2
#define GDB_SIGTRAP 5
#define GDB_SIGSEGV 11

/* Z packet types. */
enum gdb_point_type {
	GDB_BREAK_SW = 0,
	GDB_BREAK_HW = 1,
	GDB_WATCH_WRITE = 2,
	GDB_WATCH_READ = 3,
	GDB_WATCH_ACCESS = 4,
};

struct gdb_point {
	bool used;
	enum gdb_point_type type;
	uint64_t addr;
	uint64_t len;                /* watchpoints: bytes watched */
};

struct sim_gdb {
	int listen_fd;
	int fd;                      /* -1: no gdb attached */
	char where[160];             /* the address as given */
	char unix_path[108];         /* a unix socket's file, to remove */
	bool wait_first;             /* --gdb-wait: hold the first instruction */
	bool no_ack;                 /* QStartNoAckMode agreed */
	bool running;                /* gdb waits for a stop reply */
	bool killed;                 /* gdb sent k */
	unsigned polls;              /* calls since the socket was looked at */
	struct sim_vcpu *cpu[GDB_MAX_CPUS];
	unsigned nr_cpus;
	struct sim_vcpu *current;    /* the vCPU that stopped */
	unsigned g_tid;              /* thread for registers and memory (0:
				      * the current one) */
	struct gdb_point point[SIM_GDB_MAX_POINTS];
	unsigned nr_watch;           /* watchpoints in point[] */
	char in[GDB_PACKET_MAX + 1]; /* the packet being served, NUL ended */
	size_t in_len;
	unsigned char rbuf[4096];    /* bytes read but not yet framed */
	size_t rpos, rlen;
};

/* ---- gdb_wire.c ---- */
int gdb_wire_listen(struct sim_gdb *gdb, const char *spec, char *err,
		    size_t errlen);
/* Wait for gdb to connect. 0, or -1 (interrupted by a signal). */
int gdb_wire_accept(struct sim_gdb *gdb);
/* The next packet into gdb->in, acknowledged. Its length, -1 when gdb
 * went away (the connection is closed), -2 interrupted by a signal. */
int gdb_wire_get(struct sim_gdb *gdb);
/* Send one packet (data escaped as needed). 0, or -1 (gdb went away). */
int gdb_wire_put(struct sim_gdb *gdb, const char *data, size_t len);
int gdb_wire_puts(struct sim_gdb *gdb, const char *s);
/* Without blocking: whether gdb asks for the guest to stop (Ctrl-C) or,
 * with no gdb attached, one connects. */
bool gdb_wire_interrupt(struct sim_gdb *gdb);
void gdb_wire_hangup(struct sim_gdb *gdb);
void gdb_wire_close(struct sim_gdb *gdb);
/* The packets' hex: a digit's value or -1; a number of at most 16
 * digits at *p (moved past it); a thread id (hex, or -1: all); len bytes
 * from 2 * len digits; len bytes into digits, NUL ended (its length). */
int gdb_hex_digit(char c);
bool gdb_parse_hex(const char **p, uint64_t *v);
bool gdb_parse_tid(const char **p, int64_t *tid);
bool gdb_unhex(const char *s, uint8_t *buf, size_t len);
size_t gdb_tohex(char *dst, const uint8_t *buf, size_t len);

/* ---- gdb_regs.c ---- */
/* Registers gdb numbers for vc's architecture. */
unsigned gdb_regs_count(const struct sim_vcpu *vc);
/* Register n in target byte order into buf (16 bytes room): its size in
 * bytes, or -1 if there is no register n. */
int gdb_reg_read(struct sim_vcpu *vc, unsigned n, uint8_t *buf);
int gdb_reg_write(struct sim_vcpu *vc, unsigned n, const uint8_t *buf);
/* The target description for vc's architecture. */
const char *gdb_target_xml(const struct sim_vcpu *vc);
/* The address of the next instruction (no Thumb bit). */
uint64_t gdb_pc(struct sim_vcpu *vc);

/* ---- gdb_points.c ---- */
/* Copy len bytes at virtual address va of vc (through its stage-1
 * tables): how many before the first that cannot be reached. */
size_t gdb_mem_read(struct sim_vcpu *vc, uint64_t va, uint8_t *buf,
		    size_t len);
size_t gdb_mem_write(struct sim_vcpu *vc, uint64_t va, const uint8_t *buf,
		     size_t len);
/* Z / z: 0, or a negative errno-like value for the reply. */
int gdb_point_insert(struct sim_gdb *gdb, enum gdb_point_type type,
		     uint64_t addr, uint64_t len);
int gdb_point_remove(struct sim_gdb *gdb, enum gdb_point_type type,
		     uint64_t addr, uint64_t len);
/* Hook every point into a vCPU that joins, or drop them all (detach). */
int gdb_points_hook_cpu(struct sim_gdb *gdb, struct sim_vcpu *vc);
void gdb_points_clear(struct sim_gdb *gdb);
/* Hook every instruction of vc while it steps or anything is watched. */
void gdb_sync_insn_hook(struct sim_vcpu *vc);
/* Stop vc before its next instruction, reporting signal and why. */
void gdb_stop_cpu(struct sim_vcpu *vc, int signal, const char *why);

#endif
