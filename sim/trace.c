/* SPDX-License-Identifier: BSD-2-Clause */
/* --trace FILE.json: the machine's events (hv/events.h) written as they
 * come in Chrome's Trace Event format, which Perfetto UI and
 * chrome://tracing open. One process per domain, one thread track per
 * vCPU, per device (ring traffic and block I/O), per end of each device's
 * xenbus handshake, and one each for event sends and xenstore requests.
 * Time is the machine's virtual time, so a seed's trace is the same byte
 * for byte. The file is written through a fixed buffer as events come;
 * nothing is kept but the names of the tracks seen. Strings from the
 * guest (xenstore paths) are escaped to plain ASCII. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xenbus.h>
#include <xen/io/xs_wire.h>

#include "hv/domain.h"
#include "hv/events.h"
#include "hv/mem.h"
#include "trace.h"

#define TRACE_BUF      (64 * 1024)
#define MAX_TRACKS     256
#define MAX_PIDS       (HV_MAX_DOMAINS + 2)

/* Thread ids inside a domain's process, by what the track shows. */
enum {
	TID_VCPU0 = 1,          /* vCPU n: TID_VCPU0 + n */
	TID_EVTCHN = 100,
	TID_XENSTORE = 101,
	TID_DEVICE0 = 200,      /* a device's rings and I/O, then its ends */
};

struct track {
	unsigned pid, tid;
	bool open_slice;        /* a B without its E yet (xenbus state) */
	int64_t in_flight;      /* requests taken minus responses given */
};

struct sim_trace {
	FILE *f;
	char *buf;
	const char *path;
	struct hv_machine *m;
	struct hv_event_sink sink;
	uint64_t base_ns;       /* added to virtual time: restarts go on */
	uint64_t last_ns;
	unsigned long events;
	bool pid_named[MAX_PIDS];
	struct track tracks[MAX_TRACKS];
	unsigned nr_tracks;
	unsigned next_dev_tid[MAX_PIDS];
	/* Device tracks: (dev, devid) of a domain -> its first tid. */
	struct {
		unsigned pid;
		char dev[16];
		uint32_t devid;
		unsigned tid;
	} devs[MAX_TRACKS];
	unsigned nr_devs;
	bool failed;
};

static const char *const state_names[] = {
	[XenbusStateUnknown] = "Unknown",
	[XenbusStateInitialising] = "Initialising",
	[XenbusStateInitWait] = "InitWait",
	[XenbusStateInitialised] = "Initialised",
	[XenbusStateConnected] = "Connected",
	[XenbusStateClosing] = "Closing",
	[XenbusStateClosed] = "Closed",
	[XenbusStateReconfiguring] = "Reconfiguring",
	[XenbusStateReconfigured] = "Reconfigured",
};

static const char *state_name(uint64_t st)
{
	return st < sizeof(state_names) / sizeof(state_names[0]) ?
	       state_names[st] : "Invalid";
}

static const char *const xs_type_names[] = {
	[XS_CONTROL] = "control", [XS_DIRECTORY] = "directory",
	[XS_READ] = "read", [XS_GET_PERMS] = "get_perms",
	[XS_WATCH] = "watch", [XS_UNWATCH] = "unwatch",
	[XS_TRANSACTION_START] = "transaction_start",
	[XS_TRANSACTION_END] = "transaction_end",
	[XS_INTRODUCE] = "introduce", [XS_RELEASE] = "release",
	[XS_GET_DOMAIN_PATH] = "get_domain_path", [XS_WRITE] = "write",
	[XS_MKDIR] = "mkdir", [XS_RM] = "rm", [XS_SET_PERMS] = "set_perms",
	[XS_WATCH_EVENT] = "watch_event", [XS_ERROR] = "error",
	[XS_IS_DOMAIN_INTRODUCED] = "is_domain_introduced",
	[XS_RESUME] = "resume", [XS_SET_TARGET] = "set_target",
	[XS_RESET_WATCHES] = "reset_watches",
	[XS_DIRECTORY_PART] = "directory_part",
};

static const char *xs_type_name(uint64_t type)
{
	if (type < sizeof(xs_type_names) / sizeof(xs_type_names[0]) &&
	    xs_type_names[type])
		return xs_type_names[type];
	return "unknown";
}

/* A JSON string of s: quotes, backslashes, control and non-ASCII bytes
 * escaped, so whatever a guest wrote stays valid JSON and ASCII. */
static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Virtual time in microseconds with its nanoseconds, exactly. */
static void put_ts(struct sim_trace *t, uint64_t ns)
{
	ns += t->base_ns;
	if (ns > t->last_ns)
		t->last_ns = ns;
	fprintf(t->f, "\"ts\":%" PRIu64 ".%03u", ns / 1000,
		(unsigned)(ns % 1000));
}

static void begin_record(struct sim_trace *t)
{
	fputs(t->events++ ? ",\n" : "\n", t->f);
}

static void metadata(struct sim_trace *t, const char *what, unsigned pid,
		     unsigned tid, const char *name, int sort)
{
	begin_record(t);
	fprintf(t->f, "{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%u,\"tid\":%u,"
		"\"args\":{", what, pid, tid);
	if (name) {
		fputs("\"name\":", t->f);
		put_string(t->f, name);
	} else {
		fprintf(t->f, "\"sort_index\":%d", sort);
	}
	fputs("}}", t->f);
}

/* A domain's process, "d1 guest": pid domid + 1 (pid 0 means the idle
 * task to some viewers), named once. */
static unsigned pid_of(struct sim_trace *t, uint16_t domid)
{
	unsigned pid = (domid < HV_MAX_DOMAINS ? domid : HV_MAX_DOMAINS) + 1;
	struct hv_domain *d = domid < HV_MAX_DOMAINS ? t->m->domain[domid] :
			      NULL;
	char name[96];

	if (!t->pid_named[pid]) {
		t->pid_named[pid] = true;
		snprintf(name, sizeof(name), "d%u %s", domid,
			 d ? d->name : "");
		metadata(t, "process_name", pid, 0, name, 0);
		metadata(t, "process_sort_index", pid, 0, NULL, (int)pid);
	}
	return pid;
}

/* The track (pid, tid), named name the first time it is seen. */
static struct track *track_of(struct sim_trace *t, unsigned pid,
			      unsigned tid, const char *name)
{
	struct track *tr;

	for (unsigned i = 0; i < t->nr_tracks; i++)
		if (t->tracks[i].pid == pid && t->tracks[i].tid == tid)
			return &t->tracks[i];
	if (t->nr_tracks == MAX_TRACKS)
		return NULL;
	tr = &t->tracks[t->nr_tracks++];
	memset(tr, 0, sizeof(*tr));
	tr->pid = pid;
	tr->tid = tid;
	metadata(t, "thread_name", pid, tid, name, 0);
	metadata(t, "thread_sort_index", pid, tid, NULL, (int)tid);
	return tr;
}

/* The first of a device's three tracks (traffic, frontend, backend). */
static unsigned device_tid(struct sim_trace *t, unsigned pid,
			   const struct hv_event *ev)
{
	const char *dev = ev->dev ? ev->dev : "device";

	for (unsigned i = 0; i < t->nr_devs; i++)
		if (t->devs[i].pid == pid && t->devs[i].devid == ev->devid &&
		    strcmp(t->devs[i].dev, dev) == 0)
			return t->devs[i].tid;
	if (t->nr_devs == MAX_TRACKS)
		return TID_DEVICE0 - 1;
	if (!t->next_dev_tid[pid])
		t->next_dev_tid[pid] = TID_DEVICE0;
	t->devs[t->nr_devs].pid = pid;
	snprintf(t->devs[t->nr_devs].dev, sizeof(t->devs[0].dev), "%s", dev);
	t->devs[t->nr_devs].devid = ev->devid;
	t->devs[t->nr_devs].tid = t->next_dev_tid[pid];
	t->next_dev_tid[pid] += 3;
	return t->devs[t->nr_devs++].tid;
}

static struct track *device_track(struct sim_trace *t,
				  const struct hv_event *ev, unsigned which)
{
	static const char *const suffix[] = { "", " frontend", " backend" };
	unsigned pid = pid_of(t, ev->domid);
	unsigned tid = device_tid(t, pid, ev) + which;
	char name[64];

	snprintf(name, sizeof(name), "%s %" PRIu32 "%s",
		 ev->dev ? ev->dev : "device", ev->devid, suffix[which]);
	return track_of(t, pid, tid, name);
}

static struct track *vcpu_track(struct sim_trace *t, const struct hv_event *ev)
{
	char name[32];

	snprintf(name, sizeof(name), "vCPU %u", ev->vcpu);
	return track_of(t, pid_of(t, ev->domid), TID_VCPU0 + ev->vcpu, name);
}

/* The opening of an event on tr: {"ph":..,"pid":..,"tid":..,"ts":..,"name":.. */
static void open_event(struct sim_trace *t, const struct track *tr,
		       const char *ph, const struct hv_event *ev,
		       const char *name)
{
	begin_record(t);
	fprintf(t->f, "{\"ph\":\"%s\",\"pid\":%u,\"tid\":%u,", ph, tr->pid,
		tr->tid);
	put_ts(t, ev->time_ns);
	fputs(",\"name\":", t->f);
	put_string(t->f, name);
	if (ph[0] == 'i')
		fputs(",\"s\":\"t\"", t->f);
}

/* Arguments as the -v -v log shows them: a native guest's pointers as
 * guest-physical addresses or "(host)", never as host addresses, which
 * change from run to run. */
static void on_hypercall(struct sim_trace *t, const struct hv_event *ev)
{
	struct hv_domain *d = ev->domid < HV_MAX_DOMAINS ?
			      t->m->domain[ev->domid] : NULL;
	struct track *tr = vcpu_track(t, ev);
	char a[3][24];

	if (!tr)
		return;
	for (unsigned i = 0; i < 3; i++) {
		if (d)
			hv_mem_log_arg(&d->mem, ev->arg[1 + i], a[i],
				       sizeof(a[i]));
		else
			snprintf(a[i], sizeof(a[i]), "%#" PRIx64,
				 ev->arg[1 + i]);
	}
	open_event(t, tr, "i", ev, ev->str ? ev->str : "hypercall");
	fprintf(t->f, ",\"cat\":\"hypercall\",\"args\":{\"op\":%" PRIu64
		",\"a0\":\"%s\",\"a1\":\"%s\",\"a2\":\"%s\",\"rc\":%" PRId64
		"}}", ev->arg[0], a[0], a[1], a[2], (int64_t)ev->arg[4]);
}

static void on_upcall(struct sim_trace *t, const struct hv_event *ev)
{
	struct track *tr = vcpu_track(t, ev);

	if (!tr)
		return;
	open_event(t, tr, "i", ev, "upcall");
	fputs(",\"cat\":\"event\"}", t->f);
}

static void on_send(struct sim_trace *t, const struct hv_event *ev)
{
	struct track *tr = track_of(t, pid_of(t, ev->domid), TID_EVTCHN,
				    "event channels");

	if (!tr)
		return;
	open_event(t, tr, "i", ev, "evtchn_send");
	fprintf(t->f, ",\"cat\":\"event\",\"args\":{\"port\":%" PRIu64
		",\"remote_dom\":%" PRIu64 ",\"remote_port\":%" PRIu64 "}}",
		ev->arg[0], ev->arg[1], ev->arg[2]);
}

static void on_xs_request(struct sim_trace *t, const struct hv_event *ev)
{
	struct track *tr = track_of(t, pid_of(t, ev->domid), TID_XENSTORE,
				    "xenstore");

	if (!tr)
		return;
	open_event(t, tr, "i", ev, xs_type_name(ev->arg[0]));
	fputs(",\"cat\":\"xenstore\",\"args\":{\"path\":", t->f);
	put_string(t->f, ev->str ? ev->str : "");
	fprintf(t->f, ",\"tx\":%" PRIu64 ",\"rc\":%" PRId64 "}}", ev->arg[2],
		(int64_t)ev->arg[1]);
}

/* Ring traffic: an instant, and a counter of requests in flight. */
static void on_ring(struct sim_trace *t, const struct hv_event *ev)
{
	bool consume = ev->kind == HV_EV_RING_CONSUME;
	struct track *tr = device_track(t, ev, 0);
	char name[48];

	if (!tr)
		return;
	open_event(t, tr, "i", ev, consume ? "consume" : "produce");
	fprintf(t->f, ",\"cat\":\"ring\",\"args\":{\"queue\":%" PRIu64
		",\"%s\":%" PRIu64 ",\"count\":%" PRIu64 "}}", ev->arg[0],
		consume ? "req_cons" : "rsp_prod", ev->arg[1], ev->arg[2]);
	/* The console's rings carry bytes both ways: no requests. */
	if (ev->dev && strcmp(ev->dev, "console") == 0)
		return;
	tr->in_flight += consume ? (int64_t)ev->arg[2] : -(int64_t)ev->arg[2];
	snprintf(name, sizeof(name), "%s %" PRIu32 " in flight", ev->dev,
		 ev->devid);
	begin_record(t);
	fprintf(t->f, "{\"ph\":\"C\",\"pid\":%u,\"tid\":%u,", tr->pid, tr->tid);
	put_ts(t, ev->time_ns);
	fputs(",\"name\":", t->f);
	put_string(t->f, name);
	fprintf(t->f, ",\"args\":{\"requests\":%" PRId64 "}}", tr->in_flight);
}

static void on_blk_io(struct sim_trace *t, const struct hv_event *ev)
{
	static const char *const ops[] = { "read", "write", "barrier",
					   "unknown", "flush", "discard" };
	struct track *tr = device_track(t, ev, 0);

	if (!tr)
		return;
	open_event(t, tr, "i", ev, ev->arg[0] < 6 ? ops[ev->arg[0]] : "unknown");
	fprintf(t->f, ",\"cat\":\"io\",\"args\":{\"sector\":%" PRIu64
		",\"sectors\":%" PRIu64 ",\"status\":%" PRId64 "}}", ev->arg[1],
		ev->arg[2], (int64_t)ev->arg[3]);
}

static void end_slice(struct sim_trace *t, struct track *tr, uint64_t ns)
{
	if (!tr->open_slice)
		return;
	begin_record(t);
	fprintf(t->f, "{\"ph\":\"E\",\"pid\":%u,\"tid\":%u,", tr->pid, tr->tid);
	put_ts(t, ns);
	fputs("}", t->f);
	tr->open_slice = false;
}

/* Each end's state is a slice, from the change to the next one. */
static void on_xenbus_state(struct sim_trace *t, const struct hv_event *ev)
{
	unsigned end = ev->arg[0] == HV_EV_END_BACKEND ? 2 : 1;
	struct track *tr = device_track(t, ev, end);

	if (!tr)
		return;
	end_slice(t, tr, ev->time_ns);
	open_event(t, tr, "B", ev, state_name(ev->arg[1]));
	fprintf(t->f, ",\"cat\":\"xenbus\",\"args\":{\"end\":\"%s\","
		"\"state\":%" PRIu64 "}}", end == 2 ? "backend" : "frontend",
		ev->arg[1]);
	tr->open_slice = true;
}

static void on_event(void *ctx, const struct hv_event *ev)
{
	struct sim_trace *t = ctx;

	switch (ev->kind) {
	case HV_EV_HYPERCALL:
		on_hypercall(t, ev);
		break;
	case HV_EV_UPCALL:
		on_upcall(t, ev);
		break;
	case HV_EV_EVTCHN_SEND:
		on_send(t, ev);
		break;
	case HV_EV_XS_REQUEST:
		on_xs_request(t, ev);
		break;
	case HV_EV_RING_CONSUME:
	case HV_EV_RING_PRODUCE:
		on_ring(t, ev);
		break;
	case HV_EV_BLK_IO:
		on_blk_io(t, ev);
		break;
	case HV_EV_XENBUS_STATE:
		on_xenbus_state(t, ev);
		break;
	default:
		break;
	}
}

struct sim_trace *sim_trace_open(const char *path, char *err, size_t errlen)
{
	struct sim_trace *t = calloc(1, sizeof(*t));

	if (!t || !(t->buf = malloc(TRACE_BUF))) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->f = fopen(path, "w");
	if (!t->f) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		free(t->buf);
		free(t);
		return NULL;
	}
	setvbuf(t->f, t->buf, _IOFBF, TRACE_BUF);
	t->path = path;
	t->sink.fn = on_event;
	t->sink.ctx = t;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"generator\":"
	      "\"xensim\",\"clock\":\"virtual\"},\"traceEvents\":[", t->f);
	return t;
}

void sim_trace_attach(struct sim_trace *t, struct hv_machine *m)
{
	/* A restarted domain's machine starts its clock at 0 again: its
	 * events go on after the last one written. */
	t->base_ns = t->last_ns;
	t->m = m;
	hv_events_attach(m, &t->sink);
}

void sim_trace_detach(struct sim_trace *t, struct hv_machine *m)
{
	/* Close the state slices at the machine's last moment. */
	for (unsigned i = 0; i < t->nr_tracks; i++)
		end_slice(t, &t->tracks[i], m->now_ns);
	hv_events_detach(m, &t->sink);
	memset(t->pid_named, 0, sizeof(t->pid_named));
	t->nr_tracks = 0;
	t->nr_devs = 0;
	memset(t->next_dev_tid, 0, sizeof(t->next_dev_tid));
	t->m = NULL;
}

int sim_trace_close(struct sim_trace *t, char *err, size_t errlen)
{
	int rc = 0;

	if (!t)
		return 0;
	fputs("\n]}\n", t->f);
	if (ferror(t->f) | (fclose(t->f) != 0)) {
		snprintf(err, errlen, "writing %s: %s", t->path,
			 strerror(errno));
		rc = -1;
	}
	free(t->buf);
	free(t);
	return rc;
}
