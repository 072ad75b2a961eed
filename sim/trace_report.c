/* SPDX-License-Identifier: BSD-2-Clause */
/* xensim trace-report TRACE.json [-o OUT.html]: one self-contained HTML
 * page (inline SVG and a few lines of script, nothing fetched) that draws
 * a --trace file as a porter reads a handshake: a lane per device end with
 * its xenbus states as labelled bars, a strip per device with its ring
 * traffic, and each domain's hypercall counts. The trace is only read:
 * any JSON is parsed strictly and what is not a trace is refused. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "trace_report.h"

#define MAX_TRACE_BYTES (512u << 20)
#define MAX_LANES       128
#define MAX_CALLS       64
#define PLOT_WIDTH      960     /* pixels of time */
#define LABEL_WIDTH     240
#define LANE_HEIGHT     26
#define LANE_GAP        6

enum lane_kind { LANE_STATE, LANE_RING };

struct lane {
	enum lane_kind kind;
	double pid, tid;
	char name[96];
	const struct json *first;     /* first event of the lane */
	unsigned events;
};

struct domain_calls {
	double pid;
	char name[96];
	struct { const char *name; unsigned long n; } call[MAX_CALLS];
	unsigned nr;
	unsigned long total;
};

struct report {
	const struct json *events;
	double t0, t1;                /* the view being drawn */
	double all_t0, all_t1;        /* the whole trace */
	double zoom_t0;               /* the handshakes start; 0: no zoom */
	unsigned consume[PLOT_WIDTH], produce[PLOT_WIDTH];
	struct lane lane[MAX_LANES];
	unsigned nr_lanes;
	struct domain_calls dom[16];
	unsigned nr_doms;
	FILE *out;
};

static const char *const state_colour[][2] = {
	{ "Unknown", "#bbbbbb" }, { "Initialising", "#f2c14e" },
	{ "InitWait", "#f78154" }, { "Initialised", "#9bc53d" },
	{ "Connected", "#2e933c" }, { "Closing", "#5c80bc" },
	{ "Closed", "#4d5061" }, { "Reconfiguring", "#b388eb" },
	{ "Reconfigured", "#8093f1" },
};

static const char *colour_of(const char *state)
{
	for (size_t i = 0; i < sizeof(state_colour) / sizeof(state_colour[0]);
	     i++)
		if (strcmp(state, state_colour[i][0]) == 0)
			return state_colour[i][1];
	return "#e03131";
}

/* Text for HTML and SVG: the five characters that mean markup escaped. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* An id made of the name: letters and digits kept, the rest '-'. */
static void put_id(FILE *f, const char *prefix, double pid, const char *s)
{
	fprintf(f, "%s-p%.0f-", prefix, pid);
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') ? *s : '-', f);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static const char *process_name(const struct report *r, double pid)
{
	for (const struct json *e = r->events->child; e; e = e->next)
		if (json_get_num(e, "pid", -1) == pid &&
		    strcmp(json_get_str(e, "ph", ""), "M") == 0 &&
		    strcmp(json_get_str(e, "name", ""), "process_name") == 0)
			return json_get_str(json_get(e, "args"), "name", "?");
	return "?";
}

static struct lane *lane_of(struct report *r, double pid, double tid)
{
	for (unsigned i = 0; i < r->nr_lanes; i++)
		if (r->lane[i].pid == pid && r->lane[i].tid == tid)
			return &r->lane[i];
	return NULL;
}

/* Lanes from the thread names: "<dev> <id> frontend|backend" are state
 * lanes, and a device's own track its ring strip. */
static void find_lanes(struct report *r)
{
	for (const struct json *e = r->events->child; e; e = e->next) {
		const char *name = json_get_str(json_get(e, "args"), "name", "");
		struct lane *l;

		if (strcmp(json_get_str(e, "ph", ""), "M") ||
		    strcmp(json_get_str(e, "name", ""), "thread_name") ||
		    r->nr_lanes == MAX_LANES)
			continue;
		if (!strncmp(name, "vCPU", 4) || !strcmp(name, "xenstore") ||
		    !strcmp(name, "event channels"))
			continue;
		if (lane_of(r, json_get_num(e, "pid", -1),
			    json_get_num(e, "tid", -1)))
			continue;
		l = &r->lane[r->nr_lanes++];
		memset(l, 0, sizeof(*l));
		l->pid = json_get_num(e, "pid", -1);
		l->tid = json_get_num(e, "tid", -1);
		l->kind = ends_with(name, " frontend") ||
			  ends_with(name, " backend") ? LANE_STATE : LANE_RING;
		snprintf(l->name, sizeof(l->name), "%s", name);
	}
}

static struct domain_calls *domain_of(struct report *r, double pid)
{
	struct domain_calls *d;

	for (unsigned i = 0; i < r->nr_doms; i++)
		if (r->dom[i].pid == pid)
			return &r->dom[i];
	if (r->nr_doms == sizeof(r->dom) / sizeof(r->dom[0]))
		return NULL;
	d = &r->dom[r->nr_doms++];
	memset(d, 0, sizeof(*d));
	d->pid = pid;
	snprintf(d->name, sizeof(d->name), "%s", process_name(r, pid));
	return d;
}

static void count_call(struct report *r, const struct json *e)
{
	struct domain_calls *d = domain_of(r, json_get_num(e, "pid", -1));
	const char *name = json_get_str(e, "name", "?");
	unsigned i;

	if (!d)
		return;
	d->total++;
	for (i = 0; i < d->nr; i++)
		if (strcmp(d->call[i].name, name) == 0)
			break;
	if (i == d->nr) {
		if (d->nr == MAX_CALLS)
			return;
		d->call[d->nr++].name = name;
	}
	d->call[i].n++;
}

static unsigned column_of(const struct report *r, double ts)
{
	double x = (ts - r->t0) / (r->t1 - r->t0) * PLOT_WIDTH;

	return x < 0 ? 0 : x >= PLOT_WIDTH ? PLOT_WIDTH - 1 : (unsigned)x;
}

/* Time span, hypercall counts, and each ring lane's traffic by column. */
static void gather(struct report *r)
{
	bool any = false;

	for (const struct json *e = r->events->child; e; e = e->next) {
		const struct json *ts = json_get(e, "ts");

		if (!ts || ts->type != JSON_NUMBER)
			continue;
		if (!any || ts->num < r->t0)
			r->t0 = ts->num;
		if (!any || ts->num > r->t1)
			r->t1 = ts->num;
		any = true;
	}
	if (r->t1 <= r->t0)
		r->t1 = r->t0 + 1;
	for (const struct json *e = r->events->child; e; e = e->next) {
		const char *cat = json_get_str(e, "cat", "");
		struct lane *l = lane_of(r, json_get_num(e, "pid", -1),
					 json_get_num(e, "tid", -1));
		double ts = json_get_num(e, "ts", r->t0);

		if (strcmp(cat, "hypercall") == 0)
			count_call(r, e);
		if (!l || json_get(e, "ts") == NULL)
			continue;
		if (!l->first)
			l->first = e;
		l->events++;
		/* The first state change after the devices were created. */
		if (!strcmp(json_get_str(e, "ph", ""), "B") && ts > r->t0 &&
		    (!r->zoom_t0 || ts < r->zoom_t0))
			r->zoom_t0 = ts;
	}
	r->all_t0 = r->t0;
	r->all_t1 = r->t1;
	/* Worth a closer view when the handshakes fill under 80% of it. */
	if (r->zoom_t0 && r->zoom_t0 - r->t0 > 0.2 * (r->t1 - r->t0))
		r->zoom_t0 -= 0.02 * (r->t1 - r->zoom_t0);
	else
		r->zoom_t0 = 0;
}

/* The x of ts in the view, kept inside the plot. */
static double x_of(const struct report *r, double ts)
{
	double x = (ts - r->t0) / (r->t1 - r->t0) * PLOT_WIDTH;

	return LABEL_WIDTH + (x < 0 ? 0 : x > PLOT_WIDTH ? PLOT_WIDTH : x);
}

/* One bar per state: from its B to the next B or E of the lane. */
static void draw_states(struct report *r, const struct lane *l, double y)
{
	const struct json *open = NULL;

	for (const struct json *e = l->first; e; e = e->next) {
		const char *ph = json_get_str(e, "ph", "");
		double ts = json_get_num(e, "ts", r->t1), x0, x1;
		const char *state;

		if (json_get_num(e, "pid", -1) != l->pid ||
		    json_get_num(e, "tid", -1) != l->tid ||
		    (strcmp(ph, "B") && strcmp(ph, "E")))
			continue;
		if (open && ts >= r->t0) {
			state = json_get_str(open, "name", "?");
			x0 = x_of(r, json_get_num(open, "ts", r->t0));
			x1 = x_of(r, ts);
			if (x1 - x0 < 1)
				x1 = x0 + 1;
			fprintf(r->out, "<g class=\"state state-%s\">"
				"<title>", state);
			put_text(r->out, l->name);
			fprintf(r->out, ": %s at %.3f us</title><rect x=\"%.1f"
				"\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
				"fill=\"%s\"/>", state,
				json_get_num(open, "ts", 0), x0, y, x1 - x0,
				LANE_HEIGHT, colour_of(state));
			if (x1 - x0 > 7.0 * (double)strlen(state))
				fprintf(r->out, "<text x=\"%.1f\" y=\"%.1f\" "
					"class=\"state-label\">%s</text>",
					x0 + 3, y + LANE_HEIGHT - 8, state);
			fputs("</g>\n", r->out);
		}
		open = strcmp(ph, "B") == 0 ? e : NULL;
	}
	if (open) {
		/* A state never left: to the end of the trace. */
		const char *state = json_get_str(open, "name", "?");
		double x0 = x_of(r, json_get_num(open, "ts", r->t0));

		fprintf(r->out, "<g class=\"state state-%s\"><rect x=\"%.1f\" "
			"y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
			"</g>\n", state, x0, y,
			LABEL_WIDTH + PLOT_WIDTH - x0 + 1, LANE_HEIGHT,
			colour_of(state));
	}
}

/* A column's height: 3 pixels, and 3 more for each doubling of count,
 * at most half the lane. */
static double bar_height(unsigned count)
{
	double h = 3;

	while (count > 1 && h < LANE_HEIGHT / 2.0) {
		count /= 2;
		h += 3;
	}
	return h < LANE_HEIGHT / 2.0 ? h : LANE_HEIGHT / 2.0;
}

/* The lane's ring events in the view, by column. */
static void count_ring(struct report *r, const struct lane *l)
{
	memset(r->consume, 0, sizeof(r->consume));
	memset(r->produce, 0, sizeof(r->produce));
	for (const struct json *e = l->first; e; e = e->next) {
		double ts = json_get_num(e, "ts", -1);

		if (json_get_num(e, "pid", -1) != l->pid ||
		    json_get_num(e, "tid", -1) != l->tid || ts < r->t0 ||
		    strcmp(json_get_str(e, "cat", ""), "ring"))
			continue;
		if (strcmp(json_get_str(e, "name", ""), "consume") == 0)
			r->consume[column_of(r, ts)]++;
		else
			r->produce[column_of(r, ts)]++;
	}
}

/* Consumes above the middle, produces below. */
static void draw_ring(struct report *r, const struct lane *l, double y)
{
	double half = LANE_HEIGHT / 2.0;

	count_ring(r, l);

	for (unsigned c = 0; c < PLOT_WIDTH; c++) {
		if (r->consume[c])
			fprintf(r->out, "<rect class=\"ring-consume\" x=\"%u\" "
				"y=\"%.1f\" width=\"1\" height=\"%.1f\"/>",
				LABEL_WIDTH + c, y + half - bar_height(r->consume[c]),
				bar_height(r->consume[c]));
		if (r->produce[c])
			fprintf(r->out, "<rect class=\"ring-produce\" x=\"%u\" "
				"y=\"%.1f\" width=\"1\" height=\"%.1f\"/>",
				LABEL_WIDTH + c, y + half,
				bar_height(r->produce[c]));
	}
	fputc('\n', r->out);
}

static void draw_axis(struct report *r, double y)
{
	double span = r->t1 - r->t0, step = 1e-3, first;

	/* A power of ten, halved when it would give fewer than 4 ticks. */
	while (step * 10 <= span)
		step *= 10;
	if (span / step < 4)
		step /= 2;
	fprintf(r->out, "<g id=\"axis\">");
	first = step * (double)(long long)(r->t0 / step);
	if (first < r->t0)
		first += step;
	for (double t = first; t <= r->t1; t += step) {
		double x = x_of(r, t);

		fprintf(r->out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" "
			"y2=\"%.1f\" class=\"grid\"/><text x=\"%.1f\" y=\"%.1f\" "
			"class=\"tick\">%g ms</text>", x, x, y, x + 2, y + 14,
			t / 1000);
	}
	fputs("</g>\n", r->out);
}

/* One timeline of the view [t0, t1]: its lanes' ids start with prefix. */
static void draw_lanes(struct report *r, const char *svg_id,
		       const char *prefix)
{
	double y = 10, height;
	double last_pid = -1;
	unsigned domains = 0;

	for (unsigned i = 0; i < r->nr_lanes; i++)
		domains += i == 0 || r->lane[i].pid != r->lane[i - 1].pid;
	height = 40 + r->nr_lanes * (LANE_HEIGHT + LANE_GAP) + domains * 20;
	fprintf(r->out, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/"
		"svg\" width=\"%d\" height=\"%.0f\">\n", svg_id,
		LABEL_WIDTH + PLOT_WIDTH + 20, height);
	for (unsigned i = 0; i < r->nr_lanes; i++) {
		struct lane *l = &r->lane[i];

		if (l->pid != last_pid) {
			fputs("<text class=\"domain\" x=\"4\" y=\"", r->out);
			fprintf(r->out, "%.1f\">", y + 14);
			put_text(r->out, process_name(r, l->pid));
			fputs("</text>\n", r->out);
			y += 20;
			last_pid = l->pid;
		}
		fputs("<g class=\"lane ", r->out);
		fputs(l->kind == LANE_STATE ? "lane-state" : "lane-ring", r->out);
		fputs("\" id=\"", r->out);
		put_id(r->out, prefix, l->pid, l->name);
		fprintf(r->out, "\"><text class=\"lane-label\" x=\"12\" "
			"y=\"%.1f\">", y + 17);
		put_text(r->out, l->name);
		fputs("</text>\n", r->out);
		if (l->kind == LANE_STATE)
			draw_states(r, l, y);
		else
			draw_ring(r, l, y);
		fputs("</g>\n", r->out);
		y += LANE_HEIGHT + LANE_GAP;
	}
	draw_axis(r, y);
	fprintf(r->out, "</svg>\n");
}

static void write_calls(struct report *r)
{
	fputs("<h2>Hypercalls</h2>\n<table id=\"hypercalls\"><tr><th>domain"
	      "</th><th>hypercall</th><th>count</th></tr>\n", r->out);
	for (unsigned i = 0; i < r->nr_doms; i++) {
		struct domain_calls *d = &r->dom[i];

		for (unsigned j = 0; j < d->nr; j++) {
			fputs("<tr class=\"calls\"><td>", r->out);
			put_text(r->out, d->name);
			fputs("</td><td>", r->out);
			put_text(r->out, d->call[j].name);
			fprintf(r->out, "</td><td class=\"count\">%lu</td></tr>\n",
				d->call[j].n);
		}
		fputs("<tr class=\"total\"><td>", r->out);
		put_text(r->out, d->name);
		fprintf(r->out, "</td><td>all</td><td class=\"count\">%lu</td>"
			"</tr>\n", d->total);
	}
	fputs("</table>\n", r->out);
}

/* After layout, the script writes each lane's drawn size into the page,
 * where a headless browser's DOM dump shows it. */
static const char layout_script[] =
"<script>\n"
"window.addEventListener('load', function () {\n"
"  var out = [];\n"
"  document.querySelectorAll('g.lane').forEach(function (g) {\n"
"    var b = g.getBBox();\n"
"    out.push(g.id + ' ' + Math.round(b.width) + 'x' + Math.round(b.height)\n"
"             + ' ' + g.querySelectorAll('rect').length + ' rects');\n"
"  });\n"
"  document.getElementById('layout').textContent = out.join('\\n');\n"
"});\n"
"</script>\n";

static void write_page(struct report *r, const char *path)
{
	const char *source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>"
	      "xensim trace: ", r->out);
	put_text(r->out, source);
	fputs("</title>\n<style>\nbody{font:13px sans-serif;margin:12px;"
	      "background:#fff}\nsvg text{font:12px sans-serif}\n"
	      ".domain{font-weight:bold}\n.state-label{fill:#fff}\n"
	      ".ring-consume{fill:#1c7ed6}\n.ring-produce{fill:#37b24d}\n"
	      ".grid{stroke:#ddd}\n.tick{fill:#555}\n"
	      "table{border-collapse:collapse}\ntd,th{border:1px solid #ccc;"
	      "padding:2px 8px}\n.count{text-align:right}\n"
	      "#layout{color:#888;font-size:10px}\n</style>\n</head><body>\n"
	      "<h1>xensim trace: ", r->out);
	put_text(r->out, source);
	fprintf(r->out, "</h1>\n<p>Virtual time %.3f us to %.3f us; xenbus "
		"states per device end (bars), ring traffic per device "
		"(blue, up: requests taken; green, down: responses "
		"given).</p>\n", r->t0, r->t1);
	draw_lanes(r, "timeline", "lane");
	if (r->zoom_t0) {
		r->t0 = r->zoom_t0;
		fprintf(r->out, "<h2>From the first handshake step: %.3f us "
			"on</h2>\n", r->t0);
		draw_lanes(r, "timeline-zoom", "zoom-lane");
		r->t0 = r->all_t0;
	}
	write_calls(r);
	fputs("<pre id=\"layout\"></pre>\n", r->out);
	fputs(layout_script, r->out);
	fputs("</body></html>\n", r->out);
}

static char *read_file(const char *path, size_t *len, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			char *bigger = cap < MAX_TRACE_BYTES ?
				       realloc(buf, cap ? cap * 2 : 1 << 16) :
				       NULL;

			if (!bigger) {
				snprintf(err, errlen, "%s: larger than %u MiB "
					 "or out of memory", path,
					 MAX_TRACE_BYTES >> 20);
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = bigger;
			cap = cap ? cap * 2 : 1 << 16;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int sim_trace_report(const char *trace, const char *html, char *err,
		     size_t errlen)
{
	struct report *r = calloc(1, sizeof(*r));
	char why[200];
	struct json *root = NULL;
	size_t len;
	char *text = NULL;
	int rc = -1;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	text = read_file(trace, &len, err, errlen);
	if (!text)
		goto out;
	root = json_parse(text, len, why, sizeof(why));
	if (!root) {
		snprintf(err, errlen, "%s: not JSON: %s", trace, why);
		goto out;
	}
	r->events = json_get(root, "traceEvents");
	if (!r->events || r->events->type != JSON_ARRAY) {
		snprintf(err, errlen, "%s: not a trace: no traceEvents array",
			 trace);
		goto out;
	}
	find_lanes(r);
	gather(r);
	r->out = fopen(html, "w");
	if (!r->out) {
		snprintf(err, errlen, "cannot write %s: %s", html,
			 strerror(errno));
		goto out;
	}
	write_page(r, trace);
	if (ferror(r->out) | (fclose(r->out) != 0))
		snprintf(err, errlen, "writing %s: %s", html, strerror(errno));
	else
		rc = 0;
out:
	json_free(root);
	free(text);
	free(r);
	return rc;
}
