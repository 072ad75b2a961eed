/* SPDX-License-Identifier: BSD-2-Clause */
/* trace_check FILE.json: holds a --trace file to the Trace Event format
 * with a strict JSON parser, then prints what it holds, one fact a line,
 * for tests/cli/test-trace.sh to compare:
 *   process PID NAME             each domain's process
 *   states PID TRACK: S S ...    each xenbus end's states, in order
 *   count CATEGORY N             events per category (hypercall, ring,
 *                                io, xenstore, event, xenbus)
 *   count consume|produce N      ring events by direction
 * Exit 1, with the reason on stderr, when the file is not JSON, not a
 * trace, an event lacks what its phase needs, a track's time goes back or
 * its B/E slices do not pair up. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define MAX_TRACKS 512

struct track {
	double pid, tid;
	double last_ts;
	int depth;               /* open B slices */
	char name[96];
	char states[256];
};

static struct track tracks[MAX_TRACKS];
static unsigned nr_tracks;

static struct track *track_of(double pid, double tid)
{
	for (unsigned i = 0; i < nr_tracks; i++)
		if (tracks[i].pid == pid && tracks[i].tid == tid)
			return &tracks[i];
	if (nr_tracks == MAX_TRACKS) {
		fprintf(stderr, "trace_check: more than %d tracks\n",
			MAX_TRACKS);
		exit(1);
	}
	memset(&tracks[nr_tracks], 0, sizeof(tracks[0]));
	tracks[nr_tracks].pid = pid;
	tracks[nr_tracks].tid = tid;
	tracks[nr_tracks].last_ts = -1;
	return &tracks[nr_tracks++];
}

static void die(unsigned i, const char *why)
{
	fprintf(stderr, "trace_check: event %u: %s\n", i, why);
	exit(1);
}

static bool is_num(const struct json *e, const char *key)
{
	const struct json *m = json_get(e, key);

	return m && m->type == JSON_NUMBER;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)n + 1)) ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "trace_check: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* What each phase needs; metadata names its track. */
static void check_event(unsigned i, const struct json *e)
{
	const char *ph = json_get_str(e, "ph", NULL);
	struct track *t;
	double ts;

	if (e->type != JSON_OBJECT || !ph)
		die(i, "not an object with a \"ph\" string");
	if (!is_num(e, "pid") || !is_num(e, "tid"))
		die(i, "no numeric pid and tid");
	t = track_of(json_get_num(e, "pid", 0), json_get_num(e, "tid", 0));
	if (strcmp(ph, "M") == 0) {
		const char *what = json_get_str(e, "name", "");

		if (!json_get(e, "args"))
			die(i, "metadata without args");
		if (strcmp(what, "thread_name") == 0 ||
		    strcmp(what, "process_name") == 0) {
			const char *name = json_get_str(json_get(e, "args"),
							"name", NULL);
			if (!name)
				die(i, "a name without args.name");
			if (strcmp(what, "process_name") == 0)
				printf("process %.0f %s\n", t->pid, name);
			else
				snprintf(t->name, sizeof(t->name), "%s", name);
		}
		return;
	}
	if (!strchr("XiIBEC", ph[0]) || ph[1])
		die(i, "unknown phase");
	if (!is_num(e, "ts"))
		die(i, "no numeric ts");
	if (ph[0] != 'E' && !json_get_str(e, "name", NULL))
		die(i, "no name");
	if (ph[0] == 'X' && !is_num(e, "dur"))
		die(i, "a complete event without dur");
	if (ph[0] == 'i' && !strchr("tpg", json_get_str(e, "s", "?")[0]))
		die(i, "an instant without scope t, p or g");
	ts = json_get_num(e, "ts", 0);
	if (ts < t->last_ts)
		die(i, "time goes back on its track");
	t->last_ts = ts;
	if (ph[0] == 'B') {
		const struct json *st = json_get(json_get(e, "args"), "state");
		size_t n = strlen(t->states);

		t->depth++;
		if (st && st->type == JSON_NUMBER && n + 4 < sizeof(t->states))
			snprintf(t->states + n, sizeof(t->states) - n, " %.0f",
				 st->num);
		if (t->depth > 1)
			die(i, "state slices nested on one track");
	} else if (ph[0] == 'E' && --t->depth < 0) {
		die(i, "an E without its B");
	}
}

static void count(unsigned long *n, const char *cat, const char *name,
		  const char *want, const char *want_name)
{
	if (strcmp(cat, want) == 0 && (!want_name || !strcmp(name, want_name)))
		(*n)++;
}

int main(int argc, char **argv)
{
	static const char *const cats[] = { "hypercall", "ring", "io",
					    "xenstore", "event", "xenbus" };
	unsigned long n_cat[6] = { 0 }, n_consume = 0, n_produce = 0;
	const struct json *events, *unit;
	struct json *root;
	char err[200];
	size_t len;
	char *text;
	unsigned i = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: trace_check FILE.json\n");
		return 1;
	}
	text = slurp(argv[1], &len);
	root = json_parse(text, len, err, sizeof(err));
	if (!root) {
		fprintf(stderr, "trace_check: %s: not JSON: %s\n", argv[1], err);
		return 1;
	}
	events = json_get(root, "traceEvents");
	unit = json_get(root, "displayTimeUnit");
	if (!events || events->type != JSON_ARRAY || !unit ||
	    unit->type != JSON_STRING) {
		fprintf(stderr, "trace_check: no traceEvents array or "
			"displayTimeUnit\n");
		return 1;
	}
	for (const struct json *e = events->child; e; e = e->next, i++) {
		const char *cat = json_get_str(e, "cat", "");
		const char *name = json_get_str(e, "name", "");

		check_event(i, e);
		for (unsigned c = 0; c < 6; c++)
			count(&n_cat[c], cat, name, cats[c], NULL);
		count(&n_consume, cat, name, "ring", "consume");
		count(&n_produce, cat, name, "ring", "produce");
	}
	for (unsigned t = 0; t < nr_tracks; t++) {
		if (tracks[t].depth)
			die(i, "a B left without its E");
		if (tracks[t].states[0])
			printf("states %.0f %s:%s\n", tracks[t].pid,
			       tracks[t].name, tracks[t].states);
	}
	for (unsigned c = 0; c < 6; c++)
		printf("count %s %lu\n", cats[c], n_cat[c]);
	printf("count consume %lu\ncount produce %lu\n", n_consume, n_produce);
	printf("events %u\n", i);
	json_free(root);
	free(text);
	return 0;
}
