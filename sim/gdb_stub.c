/* SPDX-License-Identifier: BSD-2-Clause */
/* The gdb stub's session: which vCPUs it serves (one gdb thread each,
 * numbered by domain id), when the guest is held, and what each packet
 * means (GDB manual, "Remote Protocol": ?, g/G, p/P, m/M, c/s, vCont,
 * Z0-Z4/z0-z4, H, T, qSupported, qXfer:features:read, thread queries,
 * qOffsets, k, D). All-stop: the run has one vCPU running at a time, so
 * while one is held no other moves. Every field gdb sends is parsed with
 * bounds; a packet we do not understand gets the empty reply the protocol
 * asks for, a bad one an Exx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/errno.h>

#include "gdb_internal.h"
#include "hv/domain.h"
#include "vcpu.h"

/* Calls of sim_gdb_before_run, and translated blocks entered, between two
 * looks at the socket for Ctrl-C or a new connection. */
#define POLL_CALLS  64u
#define POLL_BLOCKS 16384u

/* What a packet asks of the run. */
enum action {
	STAY,        /* answered; the guest stays held */
	RESUME,      /* c, s, vCont: run */
	DETACH,      /* D: drop every point and run without gdb */
	KILL,        /* k: end the run */
};

static char out[GDB_PACKET_MAX + 1];

static int reply(struct sim_gdb *gdb, const char *s)
{
	return gdb_wire_puts(gdb, s);
}

/* ---- threads ---- */

static unsigned tid_of(const struct sim_vcpu *vc)
{
	return vc->v->domain->domid;
}

static bool alive(const struct sim_vcpu *vc)
{
	return hv_domain_running(vc->v->domain);
}

static struct sim_vcpu *thread(struct sim_gdb *gdb, int64_t tid)
{
	if (tid <= 0)
		return gdb->current;
	for (unsigned i = 0; i < gdb->nr_cpus; i++)
		if (tid_of(gdb->cpu[i]) == tid && alive(gdb->cpu[i]))
			return gdb->cpu[i];
	return NULL;
}

/* The vCPU whose registers and memory g, p, m and M mean. */
static struct sim_vcpu *selected(struct sim_gdb *gdb)
{
	struct sim_vcpu *vc = thread(gdb, gdb->g_tid);

	return vc ? vc : gdb->current;
}

static void stop_reply(const struct sim_vcpu *vc)
{
	snprintf(out, sizeof(out), "T%02xthread:%x;%s",
		 vc->dbg.stop_signal ? vc->dbg.stop_signal : GDB_SIGTRAP,
		 tid_of(vc), vc->dbg.stop_why);
}

static void thread_list(struct sim_gdb *gdb)
{
	size_t n = 0;

	out[n++] = 'm';
	for (unsigned i = 0; i < gdb->nr_cpus; i++)
		if (alive(gdb->cpu[i]))
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%x",
					      n > 1 ? "," : "",
					      tid_of(gdb->cpu[i]));
	if (n == 1)
		snprintf(out, sizeof(out), "l");
}

static void thread_extra(struct sim_gdb *gdb, const char *args)
{
	int64_t tid;
	struct sim_vcpu *vc;
	char text[96];

	if (!gdb_parse_tid(&args, &tid) || !(vc = thread(gdb, tid))) {
		snprintf(out, sizeof(out), "E01");
		return;
	}
	snprintf(text, sizeof(text), "d%u %s vCPU0 (%s)", tid_of(vc),
		 vc->v->domain->name, vc->arch->name);
	gdb_tohex(out, (const uint8_t *)text, strlen(text));
}

/* ---- registers and memory ---- */

static void read_all(struct sim_vcpu *vc)
{
	size_t n = 0;
	uint8_t buf[16];

	for (unsigned i = 0; i < gdb_regs_count(vc); i++) {
		int len = gdb_reg_read(vc, i, buf);

		if (len < 0 || n + 2 * (size_t)len >= sizeof(out))
			break;
		n += gdb_tohex(out + n, buf, (size_t)len);
	}
}

static void write_all(struct sim_vcpu *vc, const char *hex)
{
	size_t have = strlen(hex) / 2, at = 0;
	uint8_t buf[16], cur[16];

	for (unsigned i = 0; i < gdb_regs_count(vc); i++) {
		int len = gdb_reg_read(vc, i, cur);

		if (len < 0 || at + (size_t)len > have)
			break;
		if (!gdb_unhex(hex + 2 * at, buf, (size_t)len)) {
			snprintf(out, sizeof(out), "E16");
			return;
		}
		if (memcmp(buf, cur, (size_t)len))
			gdb_reg_write(vc, i, buf);
		at += (size_t)len;
	}
	snprintf(out, sizeof(out), "OK");
}

static void read_reg(struct sim_vcpu *vc, const char *args)
{
	uint64_t n;
	uint8_t buf[16];
	int len;

	if (!gdb_parse_hex(&args, &n) || *args || n > 0xffff ||
	    (len = gdb_reg_read(vc, (unsigned)n, buf)) < 0) {
		snprintf(out, sizeof(out), "E00");
		return;
	}
	gdb_tohex(out, buf, (size_t)len);
}

static void write_reg(struct sim_vcpu *vc, const char *args)
{
	uint64_t n;
	uint8_t buf[16], cur[16];
	int len;

	if (!gdb_parse_hex(&args, &n) || *args++ != '=' || n > 0xffff ||
	    (len = gdb_reg_read(vc, (unsigned)n, cur)) < 0 ||
	    strlen(args) != 2 * (size_t)len ||
	    !gdb_unhex(args, buf, (size_t)len)) {
		snprintf(out, sizeof(out), "E16");
		return;
	}
	gdb_reg_write(vc, (unsigned)n, buf);
	snprintf(out, sizeof(out), "OK");
}

/* "addr,len" at args. */
static bool parse_range(const char **args, uint64_t *addr, uint64_t *len)
{
	return gdb_parse_hex(args, addr) && *(*args)++ == ',' &&
	       gdb_parse_hex(args, len);
}

static void read_mem(struct sim_vcpu *vc, const char *args)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, len;
	size_t got;

	if (!parse_range(&args, &addr, &len) || *args) {
		snprintf(out, sizeof(out), "E16");
		return;
	}
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;   /* gdb asks again for the rest */
	got = gdb_mem_read(vc, addr, buf, len);
	if (!got && len)
		snprintf(out, sizeof(out), "E%02x", XEN_EFAULT);
	else
		gdb_tohex(out, buf, got);
}

static void write_mem(struct sim_vcpu *vc, const char *args)
{
	static uint8_t buf[GDB_PACKET_MAX / 2];
	uint64_t addr, len;

	if (!parse_range(&args, &addr, &len) || *args++ != ':' ||
	    len > sizeof(buf) || strlen(args) != 2 * len ||
	    !gdb_unhex(args, buf, len)) {
		snprintf(out, sizeof(out), "E16");
		return;
	}
	if (gdb_mem_write(vc, addr, buf, len) != len)
		snprintf(out, sizeof(out), "E%02x", XEN_EFAULT);
	else
		snprintf(out, sizeof(out), "OK");
}

/* ---- breakpoints and watchpoints ---- */

static void point(struct sim_gdb *gdb, const char *args, bool insert)
{
	uint64_t type, addr, kind;
	int rc;

	if (!gdb_parse_hex(&args, &type) || *args++ != ',' ||
	    !parse_range(&args, &addr, &kind) ||
	    (*args && *args != ';')) {
		snprintf(out, sizeof(out), "E16");
		return;
	}
	if (type > GDB_WATCH_ACCESS) {
		out[0] = 0;               /* not supported */
		return;
	}
	rc = insert ? gdb_point_insert(gdb, (enum gdb_point_type)type, addr,
				       kind) :
		      gdb_point_remove(gdb, (enum gdb_point_type)type, addr,
				       kind);
	if (rc)
		snprintf(out, sizeof(out), "E%02x", (unsigned)-rc & 0xff);
	else
		snprintf(out, sizeof(out), "OK");
}

/* ---- queries ---- */

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void read_features(struct sim_gdb *gdb, const char *args)
{
	const char *xml = gdb_target_xml(gdb->current);
	uint64_t off, len, size = strlen(xml);

	if (strncmp(args, "target.xml:", 11) != 0) {
		snprintf(out, sizeof(out), "E00");
		return;
	}
	args += 11;
	if (!parse_range(&args, &off, &len) || *args) {
		snprintf(out, sizeof(out), "E16");
		return;
	}
	if (off >= size) {
		snprintf(out, sizeof(out), "l");
		return;
	}
	if (len > sizeof(out) - 2)
		len = sizeof(out) - 2;
	if (len > size - off)
		len = size - off;
	out[0] = off + len < size ? 'm' : 'l';
	memcpy(out + 1, xml + off, len);
	out[len + 1] = 0;
}

static void query(struct sim_gdb *gdb, const char *q)
{
	const struct sim_vcpu *vc = gdb->current;

	out[0] = 0;
	if (strncmp(q, "Supported", 9) == 0)
		snprintf(out, sizeof(out), "PacketSize=%x;qXfer:features:read+;"
			 "QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+",
			 GDB_PACKET_MAX);
	else if (strncmp(q, "Xfer:features:read:", 19) == 0)
		read_features(gdb, q + 19);
	else if (strcmp(q, "fThreadInfo") == 0)
		thread_list(gdb);
	else if (strcmp(q, "sThreadInfo") == 0)
		snprintf(out, sizeof(out), "l");
	else if (strcmp(q, "C") == 0)
		snprintf(out, sizeof(out), "QC%x", tid_of(vc));
	else if (strncmp(q, "ThreadExtraInfo,", 16) == 0)
		thread_extra(gdb, q + 16);
	else if (strcmp(q, "Attached") == 0)
		snprintf(out, sizeof(out), "1");
	else if (strcmp(q, "Offsets") == 0)
		/* The image is linked at 0 and runs where it was loaded. */
		snprintf(out, sizeof(out), "Text=%llx;Data=%llx;Bss=%llx",
			 (unsigned long long)vc->sim->boot.image_start,
			 (unsigned long long)vc->sim->boot.image_start,
			 (unsigned long long)vc->sim->boot.image_start);
	else if (strncmp(q, "Symbol:", 7) == 0)
		snprintf(out, sizeof(out), "OK");
}

/* ---- resuming ---- */

static void resume_cpu(struct sim_vcpu *vc, bool step)
{
	vc->dbg.step = step;
	vc->dbg.step_began = false;
	vc->dbg.step_from = gdb_pc(vc);
	gdb_sync_insn_hook(vc);
}

/* c [addr], s [addr], C sig[;addr], S sig[;addr]: the current thread. */
static enum action resume_simple(struct sim_gdb *gdb, char cmd,
				 const char *args)
{
	struct sim_vcpu *vc = gdb->current;
	uint64_t v;
	uint8_t pc[8];

	if (cmd == 'C' || cmd == 'S') {
		gdb_parse_hex(&args, &v);     /* the signal: a guest has none */
		if (*args == ';')
			args++;
	}
	if (gdb_parse_hex(&args, &v)) {
		memcpy(pc, &v, sizeof(pc));
		gdb_reg_write(vc, vc->arch->aarch32 ? 15 : 32, pc);
	}
	resume_cpu(vc, cmd == 's' || cmd == 'S');
	return RESUME;
}

/* vCont;ACTION[:TID];...: each thread takes the first action naming it or
 * naming none. */
static enum action resume_vcont(struct sim_gdb *gdb, const char *args)
{
	bool done[GDB_MAX_CPUS] = { false };

	while (*args == ';') {
		char cmd = *++args;
		int64_t tid = -1;
		uint64_t sig;

		if (cmd != 'c' && cmd != 's' && cmd != 'C' && cmd != 'S' &&
		    cmd != 't') {
			snprintf(out, sizeof(out), "E16");
			return STAY;
		}
		args++;
		if ((cmd == 'C' || cmd == 'S') && !gdb_parse_hex(&args, &sig)) {
			snprintf(out, sizeof(out), "E16");
			return STAY;
		}
		if (*args == ':') {
			args++;
			if (!gdb_parse_tid(&args, &tid)) {
				snprintf(out, sizeof(out), "E16");
				return STAY;
			}
		}
		for (unsigned i = 0; i < gdb->nr_cpus; i++) {
			if (done[i] || (tid > 0 && tid_of(gdb->cpu[i]) != tid))
				continue;
			done[i] = true;
			resume_cpu(gdb->cpu[i], cmd == 's' || cmd == 'S');
		}
	}
	if (*args) {
		snprintf(out, sizeof(out), "E16");
		return STAY;
	}
	return RESUME;
}

static enum action vpacket(struct sim_gdb *gdb, const char *v)
{
	out[0] = 0;
	if (strcmp(v, "Cont?") == 0)
		snprintf(out, sizeof(out), "vCont;c;C;s;S;t");
	else if (strncmp(v, "Cont;", 5) == 0)
		return resume_vcont(gdb, v + 4);
	else if (strncmp(v, "Kill", 4) == 0)
		return KILL;
	return STAY;
}

/* H op tid: the thread later packets mean. */
static void set_thread(struct sim_gdb *gdb, const char *args)
{
	char op = *args++;
	int64_t tid;

	if (!gdb_parse_tid(&args, &tid) || *args || (tid > 0 && !thread(gdb, tid))) {
		snprintf(out, sizeof(out), "E01");
		return;
	}
	if (op == 'g')
		gdb->g_tid = tid > 0 ? (unsigned)tid : 0;
	snprintf(out, sizeof(out), "OK");
}

static void thread_alive(struct sim_gdb *gdb, const char *args)
{
	int64_t tid;

	snprintf(out, sizeof(out), gdb_parse_tid(&args, &tid) && tid > 0 &&
		 thread(gdb, tid) ? "OK" : "E01");
}

/* One packet (gdb->in) while vc is held. */
static enum action handle(struct sim_gdb *gdb)
{
	const char *p = gdb->in;
	struct sim_vcpu *vc = selected(gdb);

	out[0] = 0;
	switch (p[0]) {
	case '?':
		stop_reply(gdb->current);
		break;
	case 'g':
		read_all(vc);
		break;
	case 'G':
		write_all(vc, p + 1);
		break;
	case 'p':
		read_reg(vc, p + 1);
		break;
	case 'P':
		write_reg(vc, p + 1);
		break;
	case 'm':
		read_mem(vc, p + 1);
		break;
	case 'M':
		write_mem(vc, p + 1);
		break;
	case 'c':
	case 's':
	case 'C':
	case 'S':
		return resume_simple(gdb, p[0], p + 1);
	case 'v': {
		enum action a = vpacket(gdb, p + 1);

		if (a == KILL)
			reply(gdb, "OK");
		if (a != STAY)
			return a;
		break;
	}
	case 'H':
		set_thread(gdb, p + 1);
		break;
	case 'T':
		thread_alive(gdb, p + 1);
		break;
	case 'q':
		query(gdb, p + 1);
		break;
	case 'Q':
		if (strcmp(p, "QStartNoAckMode") == 0) {
			reply(gdb, "OK");
			gdb->no_ack = true;
			return STAY;
		}
		break;
	case 'Z':
	case 'z':
		point(gdb, p + 1, p[0] == 'Z');
		break;
	case 'k':
		return KILL;
	case 'D':
		reply(gdb, "OK");
		return DETACH;
	default:
		break;
	}
	reply(gdb, out);
	return STAY;
}

/* ---- the session ---- */

struct sim_gdb *sim_gdb_start(const char *spec, bool wait,
			      enum sim_runtime runtime, bool sweep, char *err,
			      size_t errlen)
{
	struct sim_gdb *gdb;

	if (!spec) {
		snprintf(err, errlen, "--gdb-wait goes with --gdb");
		return NULL;
	}
	if (runtime == SIM_NATIVE) {
		snprintf(err, errlen, "--gdb serves emulated guests; the native "
			 "guest runs inside xensim itself: run that under gdb "
			 "directly (gdb --args xensim run --native ...)");
		return NULL;
	}
	if (sweep) {
		snprintf(err, errlen, "--gdb debugs one run, not --seeds");
		return NULL;
	}
	gdb = calloc(1, sizeof(*gdb));
	if (!gdb) {
		snprintf(err, errlen, "--gdb: out of memory");
		return NULL;
	}
	gdb->fd = gdb->listen_fd = -1;
	if (gdb_wire_listen(gdb, spec, err, errlen)) {
		free(gdb);
		return NULL;
	}
	gdb->wait_first = wait;
	fprintf(stderr, "xensim: gdb: listening on %s\n", gdb->where);
	return gdb;
}

void sim_gdb_close(struct sim_gdb *gdb, int code)
{
	char w[8];

	if (!gdb)
		return;
	if (gdb->fd >= 0 && gdb->running && !gdb->killed) {
		snprintf(w, sizeof(w), "W%02x", (unsigned)code & 0xff);
		reply(gdb, w);
	}
	gdb_wire_close(gdb);
	free(gdb);
}

/* Looks for Ctrl-C now and then, from inside a block: stopping the engine
 * here would run again what the block did before its next memory access,
 * so the stop waits for the next trap (hvc) or wfi (sim_gdb_wants_stop). */
static void on_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ctx)
{
	struct sim_vcpu *vc = ctx;

	(void)uc;
	(void)addr;
	(void)size;
	if (!vc->dbg.interrupt && ++vc->dbg.blocks % POLL_BLOCKS == 0 &&
	    gdb_wire_interrupt(vc->dbg.gdb))
		vc->dbg.interrupt = true;
}

int sim_gdb_attach_vcpu(struct sim_gdb *gdb, struct sim_vcpu *vc)
{
	if (gdb->nr_cpus && gdb->cpu[0]->arch != vc->arch) {
		fprintf(stderr, "xensim: gdb: d%u runs %s, gdb debugs %s here: "
			"its vCPU is not served\n", tid_of(vc), vc->arch->name,
			gdb->cpu[0]->arch->name);
		return 0;
	}
	if (gdb->nr_cpus == GDB_MAX_CPUS)
		return 0;
	memset(&vc->dbg, 0, sizeof(vc->dbg));
	vc->dbg.gdb = gdb;
	if (uc_hook_add(vc->uc, &vc->dbg.block_hook, UC_HOOK_BLOCK, on_block,
			vc, 1, 0) != UC_ERR_OK ||
	    gdb_points_hook_cpu(gdb, vc))
		return -1;
	gdb->cpu[gdb->nr_cpus++] = vc;
	return 0;
}

void sim_gdb_detach_vcpu(struct sim_vcpu *vc)
{
	struct sim_gdb *gdb = vc->dbg.gdb;

	if (!gdb)
		return;
	for (unsigned i = 0; i < gdb->nr_cpus; i++) {
		if (gdb->cpu[i] != vc)
			continue;
		memmove(&gdb->cpu[i], &gdb->cpu[i + 1],
			(gdb->nr_cpus - i - 1) * sizeof(gdb->cpu[0]));
		gdb->nr_cpus--;
		break;
	}
	if (gdb->current == vc)
		gdb->current = NULL;
	vc->dbg.gdb = NULL;
}

/* gdb left (D, or the connection closed): the guest runs on alone. */
static void detach(struct sim_gdb *gdb)
{
	gdb_points_clear(gdb);
	for (unsigned i = 0; i < gdb->nr_cpus; i++) {
		gdb->cpu[i]->dbg.step = false;
		gdb_sync_insn_hook(gdb->cpu[i]);
		gdb->cpu[i]->dbg.stop_signal = 0;
	}
	gdb_wire_hangup(gdb);
	gdb->g_tid = 0;
}

static void kill_run(struct sim_gdb *gdb)
{
	gdb->killed = true;
	for (unsigned i = 0; i < gdb->nr_cpus; i++) {
		struct sim *s = gdb->cpu[i]->sim;

		s->interrupted = SIGKILL;
		hv_domain_kill(s->domain, "killed from gdb");
	}
}

/* Serve gdb while vc is held: -1 killed, else 0 (run on). */
static int serve(struct sim_gdb *gdb, struct sim_vcpu *vc)
{
	gdb->current = vc;
	gdb->g_tid = 0;
	if (gdb->running) {
		gdb->running = false;
		stop_reply(vc);
		reply(gdb, out);
	}
	while (gdb->fd >= 0) {
		int n = gdb_wire_get(gdb);

		if (n == -2) {
			if (sim_signals_check(vc->sim))
				return -1;
			continue;
		}
		if (n < 0)
			break;
		switch (handle(gdb)) {
		case STAY:
			continue;
		case RESUME:
			vc->dbg.stop_signal = 0;
			vc->dbg.stop_why[0] = 0;
			gdb->running = true;
			return 0;
		case DETACH:
			break;
		case KILL:
			kill_run(gdb);
			return -1;
		}
		break;
	}
	detach(gdb);
	return 0;
}

/* Whether gdb wants the guest held now: the first instruction under
 * --gdb-wait (gdb attaches first), a Ctrl-C or a new connection. */
static bool hold_wanted(struct sim_gdb *gdb, struct sim_vcpu *vc)
{
	if (gdb->wait_first) {
		gdb->wait_first = false;
		fprintf(stderr, "xensim: gdb: waiting for gdb on %s\n",
			gdb->where);
		if (gdb_wire_accept(gdb))
			return false;
		vc->dbg.stop_signal = GDB_SIGTRAP;
		vc->dbg.stop_why[0] = 0;
		return true;
	}
	if (++gdb->polls % POLL_CALLS || !gdb_wire_interrupt(gdb))
		return false;
	vc->dbg.stop_signal = gdb->running ? GDB_SIGINT : GDB_SIGTRAP;
	vc->dbg.stop_why[0] = 0;
	return true;
}

int sim_gdb_before_run(struct sim_vcpu *vc)
{
	struct sim_gdb_cpu *d = &vc->dbg;
	struct sim_gdb *gdb = d->gdb;

	if (!gdb)
		return 0;
	if (gdb->killed)
		return -1;
	if (d->interrupt && !d->stop_signal) {
		d->stop_signal = gdb->running ? GDB_SIGINT : GDB_SIGTRAP;
		d->stop_why[0] = 0;
	}
	d->interrupt = false;
	if (!d->stop_signal && !hold_wanted(gdb, vc))
		return 0;
	if (gdb->fd < 0) {
		d->stop_signal = 0;       /* nobody to tell */
		return 0;
	}
	/* gdb sees the PC the engine goes on from. */
	sim_uc_set(vc, vc->arch->pc_reg, vc->begin);
	if (serve(gdb, vc))
		return -1;
	vc->begin = vc->arch->resume_at(vc, gdb_pc(vc));
	return 0;
}

void sim_gdb_fault(struct sim_vcpu *vc)
{
	struct sim_gdb *gdb = vc->dbg.gdb;

	if (!gdb || gdb->fd < 0 || gdb->killed)
		return;
	vc->dbg.stop_signal = GDB_SIGSEGV;
	vc->dbg.stop_why[0] = 0;
	vc->dbg.step = false;
	serve(gdb, vc);         /* a resume waits for the run's end (W) */
}
