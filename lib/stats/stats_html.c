/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTML report (`synack report`, [run] report): one self-contained page
 * from one or more runs' JSON lines -- the config, the verdict, the headline
 * rates, and plots drawn here as inline SVG: rates, Gbps, open connections,
 * errors and retransmits, latency percentiles per interval (from the
 * intervals' histograms), per-phase latency CDFs on a log axis (from the
 * summary's histograms) and drops by reason. Several runs overlay (A vs B).
 * Nothing is fetched: no script, no external style, font or image.
 *
 * Every plotted line is a <polyline data-series=".." data-points="N">, so a
 * test can count the points (one per interval).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "stats.h"

#define W	 720.0 /* the plot's viewBox */
#define H	 260.0
#define PAD_L	 64.0
#define PAD_R	 16.0
#define PAD_T	 28.0
#define PAD_B	 40.0
#define MAX_RUNS 8

static const char *const colors[MAX_RUNS] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
					     "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

void
stats_html_escape(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

double
stats_nice_step(double span, unsigned int ticks)
{
	if (!(span > 0) || ticks == 0)
		return 1;
	double raw = span / ticks, mag = pow(10, floor(log10(raw))), r = raw / mag;
	double step = r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10;
	return step * mag;
}

unsigned int
stats_lat_series(const json_t *intervals, const char *name, double q, double *x, double *y,
		 unsigned int max)
{
	struct stats_hist *h = malloc(sizeof(*h));
	unsigned int n = 0;
	size_t i;
	const json_t *iv;
	char err[128];

	if (h == NULL)
		return 0;
	json_array_foreach(intervals, i, iv)
	{
		uint64_t hz = 0;
		const json_t *hist = json_object_get(iv, "hist");

		if (n == max)
			break;
		if (hist == NULL ||
		    stats_hist_from_json(hist, name, h, &hz, err, sizeof(err)) != 1 ||
		    h->count == 0)
			continue; /* no sample in this interval: a gap, not a zero */
		x[n] = json_number_value(json_object_get(iv, "t"));
		y[n] = (double)stats_hist_quantile(h, q) * 1e6 / (double)hz;
		n++;
	}
	free(h);
	return n;
}

/* One line of a plot. */
struct line {
	const char *label;
	const char *color;
	const char *dash; /* NULL = solid */
	const double *x, *y;
	unsigned int n;
};

static void
fmt_num(char *b, size_t len, double v)
{
	double a = fabs(v);

	if (a >= 1e9)
		snprintf(b, len, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(b, len, "%.3gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(b, len, "%.3gk", v / 1e3);
	else
		snprintf(b, len, "%.4g", v);
}

/*
 * A line plot: linear y from 0, x linear or log10 (values <= 0 left out on a
 * log axis). One polyline per line, its points in data-points.
 */
static void
plot(FILE *f, const char *id, const char *title, const char *xlabel, const char *ylabel,
     const struct line *ln, unsigned int nl, bool logx)
{
	double x0 = INFINITY, x1 = -INFINITY, y1 = 0;
	char b[32];

	for (unsigned int l = 0; l < nl; l++)
		for (unsigned int i = 0; i < ln[l].n; i++) {
			double x = ln[l].x[i];
			if (logx) {
				if (x <= 0)
					continue;
				x = log10(x);
			}
			x0 = fmin(x0, x);
			x1 = fmax(x1, x);
			y1 = fmax(y1, ln[l].y[i]);
		}
	if (!(x0 <= x1)) {
		x0 = 0;
		x1 = 1;
	}
	if (logx) {
		x0 = floor(x0);
		x1 = ceil(x1);
	}
	if (x1 == x0)
		x1 = x0 + 1;
	double ystep = stats_nice_step(y1 > 0 ? y1 : 1, 5);
	y1 = ceil((y1 > 0 ? y1 : 1) / ystep) * ystep;
	double pw = W - PAD_L - PAD_R, ph = H - PAD_T - PAD_B;

	fprintf(f,
		"<figure id=\"%s\"><svg viewBox=\"0 0 %.0f "
		"%.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\">",
		id, W, H, W, H);
	fputs("<text x=\"360\" y=\"18\" class=\"t\">", f);
	stats_html_escape(f, title);
	fputs("</text>", f);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>",
		PAD_L, PAD_T, pw, ph);
	/* y grid */
	for (double v = 0; v <= y1 + ystep / 2; v += ystep) {
		double py = PAD_T + ph - v / y1 * ph;
		fmt_num(b, sizeof(b), v);
		fprintf(f,
			"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">%s</text>",
			PAD_L, PAD_L + pw, py, py, PAD_L - 4, py + 4, b);
	}
	/* x grid: decades on a log axis, else nice steps */
	double xstep = logx ? 1 : stats_nice_step(x1 - x0, 8);
	double xs = logx ? x0 : ceil(x0 / xstep) * xstep;
	for (double v = xs; v <= x1 + xstep / 1e6; v += xstep) {
		double px = PAD_L + (v - x0) / (x1 - x0) * pw;
		fmt_num(b, sizeof(b), logx ? pow(10, v) : v);
		fprintf(f,
			"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%s</text>",
			px, px, PAD_T, PAD_T + ph, px, PAD_T + ph + 14, b);
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"xt\">", PAD_L + pw / 2, H - 6);
	stats_html_escape(f, xlabel);
	fprintf(f,
		"</text><text x=\"12\" y=\"%.1f\" class=\"yt\" transform=\"rotate(-90 12 %.1f)\">",
		PAD_T + ph / 2, PAD_T + ph / 2);
	stats_html_escape(f, ylabel);
	fputs("</text>", f);
	for (unsigned int l = 0; l < nl; l++) {
		unsigned int pts = 0;

		for (unsigned int i = 0; i < ln[l].n; i++)
			pts += !logx || ln[l].x[i] > 0;
		fputs("<polyline data-series=\"", f);
		stats_html_escape(f, ln[l].label);
		fprintf(f, "\" data-points=\"%u\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"",
			pts, ln[l].color);
		if (ln[l].dash != NULL)
			fprintf(f, " stroke-dasharray=\"%s\"", ln[l].dash);
		fputs(" points=\"", f);
		for (unsigned int i = 0; i < ln[l].n; i++) {
			double x = ln[l].x[i];
			if (logx) {
				if (x <= 0)
					continue;
				x = log10(x);
			}
			fprintf(f, "%s%.1f,%.1f", i ? " " : "", PAD_L + (x - x0) / (x1 - x0) * pw,
				PAD_T + ph - ln[l].y[i] / y1 * ph);
		}
		fputs("\"/>", f);
		/* the legend */
		double ly = PAD_T + 12 + 14 * l;
		fprintf(f,
			"<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
			"stroke-width=\"2\"%s%s%s/><text x=\"%.1f\" y=\"%.1f\" class=\"lg\">",
			PAD_L + 8, PAD_L + 28, ly - 4, ly - 4, ln[l].color,
			ln[l].dash ? " stroke-dasharray=\"" : "", ln[l].dash ? ln[l].dash : "",
			ln[l].dash ? "\"" : "", PAD_L + 32, ly);
		stats_html_escape(f, ln[l].label);
		fputs("</text>", f);
	}
	fputs("</svg></figure>\n", f);
}

/* Everything the plots need from one run, taken out of its JSON once. */
struct run_view {
	const char *name;
	const struct stats_run *run;
	unsigned int n; /* intervals */
	double *t;
	double *buf; /* n doubles per field below */
};

static double
num(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static double
counter(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(json_object_get(o, "counters"), k));
}

/* Field k of every interval into y (obj: NULL = the interval, else a sub-object). */
static void
field(const struct run_view *v, const char *obj, const char *k, double *y)
{
	size_t i;
	const json_t *iv;

	json_array_foreach(v->run->intervals, i, iv)
	{
		const json_t *o = obj != NULL ? json_object_get(iv, obj) : iv;
		y[i] = num(o, k);
	}
}

/* Per-interval increase of cumulative counter k. */
static void
counter_delta(const struct run_view *v, const char *k, double *y)
{
	size_t i;
	const json_t *iv;
	double prev = 0;

	json_array_foreach(v->run->intervals, i, iv)
	{
		double c = counter(iv, k);
		y[i] = c >= prev ? c - prev : 0;
		prev = c;
	}
}

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s != NULL ? s : "";
}

static const json_t *
start_line(const struct stats_run *run)
{
	size_t i;
	const json_t *o;

	json_array_foreach(run->other, i, o) if (strcmp(str(o, "type"), "start") == 0) return o;
	return NULL;
}

static void
td_str(FILE *f, const char *s)
{
	fputs("<td>", f);
	stats_html_escape(f, s);
	fputs("</td>", f);
}

static void
td_json(FILE *f, const json_t *v)
{
	if (json_is_string(v)) {
		td_str(f, json_string_value(v));
		return;
	}
	char *s = v != NULL ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	td_str(f, s != NULL ? s : "");
	free(s);
}

/* The run's header: where and how it ran, its verdict, its rates and latency. */
static void
run_section(FILE *f, const struct run_view *v, const char *color)
{
	const json_t *st = start_line(v->run), *sum = v->run->summary;
	char b[64];

	fprintf(f, "<section class=\"run\"><h2><span class=\"sw\" style=\"background:%s\"></span>",
		color);
	stats_html_escape(f, v->name);
	fputs("</h2>\n<table class=\"kv\">", f);
	if (st != NULL) {
		static const char *const keys[] = {"version", "dpdk",	  "config_file", "mode",
						   "model",   "duration", "lcores"};
		for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const json_t *x = json_object_get(st, keys[i]);
			if (x == NULL)
				continue;
			fprintf(f, "<tr><th>%s</th>", keys[i]);
			td_json(f, x);
			fputs("</tr>", f);
		}
		double ws = num(st, "wall_start");
		if (ws > 0) {
			time_t tt = (time_t)ws;
			struct tm tm;
			gmtime_r(&tt, &tm);
			strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S UTC", &tm);
			fputs("<tr><th>started</th>", f);
			td_str(f, b);
			fputs("</tr>", f);
		}
	}
	fprintf(f, "<tr><th>intervals</th><td>%u</td></tr>", v->n);
	if (sum != NULL) {
		const char *status = str(sum, "status");
		fprintf(f, "<tr><th>verdict</th><td class=\"%s\">",
			strcmp(status, "done") == 0 ? "ok" : "bad");
		stats_html_escape(f, status);
		fprintf(f, "</td></tr><tr><th>time</th><td>%.3f s</td></tr>", num(sum, "t"));
		fprintf(f, "<tr><th>drops</th><td>%.0f</td></tr>", num(sum, "drops"));
	} else {
		fputs("<tr><th>verdict</th><td class=\"bad\">no summary (the run did not end)</td>"
		      "</tr>",
		      f);
	}
	fputs("</table>\n", f);
	const json_t *rates = json_object_get(sum, "rates");
	if (rates != NULL) {
		fputs("<h3>Headline rates</h3><table><tr><th></th><th>from (s)</th><th>to "
		      "(s)</th><th>CPS</th><th>RPS</th><th>rx Gbps</th><th>tx Gbps</th></tr>",
		      f);
		static const char *const parts[] = {"measured", "steady"};
		for (unsigned int i = 0; i < 2; i++) {
			const json_t *p = json_object_get(rates, parts[i]);
			if (p == NULL)
				continue;
			fprintf(f,
				"<tr><th>%s</th><td>%.1f</td><td>%.1f</td><td>%.0f</td><td>%.0f</"
				"td><td>%.3f</td><td>%.3f</td></tr>",
				parts[i], num(p, "from"), num(p, "to"), num(p, "cps"),
				num(p, "rps"), num(p, "rx_gbps"), num(p, "tx_gbps"));
		}
		fputs("</table>\n", f);
	}
	const json_t *lat = json_object_get(sum, "latency_us");
	if (json_object_size(lat) != 0) {
		static const char *const cols[] = {"count", "mean",  "p50",    "p90",
						   "p99",   "p99.9", "p99.99", "max"};
		const char *k;
		const json_t *one;

		fputs("<h3>Latency (us)</h3><table><tr><th></th>", f);
		for (unsigned int i = 0; i < 8; i++)
			fprintf(f, "<th>%s</th>", cols[i]);
		fputs("</tr>", f);
		json_object_foreach((json_t *)lat, k, one)
		{
			fputs("<tr><th>", f);
			stats_html_escape(f, k);
			fputs("</th>", f);
			for (unsigned int i = 0; i < 8; i++)
				fprintf(f, i == 0 ? "<td>%.0f</td>" : "<td>%.1f</td>",
					num(one, cols[i]));
			fputs("</tr>", f);
		}
		fputs("</table>\n", f);
	}
	const json_t *cfg = json_object_get(st, "config");
	if (json_object_size(cfg) != 0) {
		const char *sec, *k;
		json_t *keys, *val;

		fputs("<details><summary>Configuration</summary><table class=\"kv\">", f);
		json_object_foreach((json_t *)cfg, sec, keys)
		{
			json_object_foreach(keys, k, val)
			{
				fputs("<tr><th>", f);
				stats_html_escape(f, sec);
				fputs(".", f);
				stats_html_escape(f, k);
				fputs("</th>", f);
				td_json(f, val);
				fputs("</tr>", f);
			}
		}
		fputs("</table></details>\n", f);
	}
	fputs("</section>\n", f);
}

/* Plot per-interval fields of every run: nf fields, one dash style each. */
struct fspec {
	const char *label;
	const char *obj; /* "gauges", or NULL */
	const char *key;
	bool delta; /* a cumulative counter: plot its increase */
};

static void
plot_fields(FILE *f, const char *id, const char *title, const char *ylabel,
	    const struct run_view *v, unsigned int nr, const struct fspec *fs, unsigned int nf)
{
	static const char *const dashes[] = {NULL, "6 3", "2 2", "8 2 2 2"};
	struct line ln[MAX_RUNS * 4] = {{0}};
	double *ys[MAX_RUNS * 4];
	char labels[MAX_RUNS * 4][96];
	unsigned int nl = 0;

	for (unsigned int r = 0; r < nr; r++)
		for (unsigned int k = 0; k < nf && k < 4; k++) {
			double *y = calloc(v[r].n ? v[r].n : 1, sizeof(double));
			if (y == NULL)
				continue;
			if (fs[k].delta)
				counter_delta(&v[r], fs[k].key, y);
			else
				field(&v[r], fs[k].obj, fs[k].key, y);
			snprintf(labels[nl], sizeof(labels[nl]), "%s%s%s", nr > 1 ? v[r].name : "",
				 nr > 1 ? ": " : "", fs[k].label);
			ln[nl] = (struct line){labels[nl], colors[r], dashes[k], v[r].t, y, v[r].n};
			ys[nl++] = y;
		}
	plot(f, id, title, "time (s)", ylabel, ln, nl, false);
	for (unsigned int i = 0; i < nl; i++)
		free(ys[i]);
}

/* The latency series plotted: the first of these the runs have. */
static const char *
main_series(const struct run_view *v, unsigned int nr)
{
	static const char *const pref[] = {"response", "ttfb", "handshake", "rtt", "conn", "srtt"};

	for (unsigned int p = 0; p < sizeof(pref) / sizeof(pref[0]); p++)
		for (unsigned int r = 0; r < nr; r++) {
			const json_t *s = json_object_get(
				json_object_get(json_object_get(v[r].run->summary, "hist"),
						"series"),
				pref[p]);
			if (s != NULL)
				return pref[p];
		}
	return NULL;
}

static void
plot_latency_time(FILE *f, const struct run_view *v, unsigned int nr)
{
	static const double qs[] = {0.5, 0.99};
	static const char *const qn[] = {"p50", "p99"};
	static const char *const dashes[] = {NULL, "6 3"};
	const char *name = main_series(v, nr);
	struct line ln[MAX_RUNS * 2] = {{0}};
	double *bufs[MAX_RUNS * 2];
	char labels[MAX_RUNS * 2][96], title[96];
	unsigned int nl = 0;

	if (name == NULL)
		return;
	for (unsigned int r = 0; r < nr; r++)
		for (unsigned int q = 0; q < 2; q++) {
			unsigned int n = v[r].n ? v[r].n : 1;
			double *b = calloc(2 * n, sizeof(double));
			if (b == NULL)
				continue;
			unsigned int got = stats_lat_series(v[r].run->intervals, name, qs[q], b,
							    b + n, n);
			snprintf(labels[nl], sizeof(labels[nl]), "%s%s%s %s",
				 nr > 1 ? v[r].name : "", nr > 1 ? ": " : "", name, qn[q]);
			ln[nl] = (struct line){labels[nl], colors[r], dashes[q], b, b + n, got};
			bufs[nl++] = b;
		}
	snprintf(title, sizeof(title), "Latency per interval: %s p50 and p99", name);
	plot(f, "lat-time", title, "time (s)", "us", ln, nl, false);
	for (unsigned int i = 0; i < nl; i++)
		free(bufs[i]);
}

unsigned int
stats_hist_cdf(const struct stats_hist *h, uint64_t hz, double *x_us, double *y, unsigned int max)
{
	uint64_t seen = 0;
	unsigned int n = 0;

	if (h->count == 0)
		return 0;
	for (unsigned int i = 0; i < HIST_BUCKETS && n < max; i++) {
		if (h->b[i] == 0)
			continue;
		uint64_t low, width;
		stats_hist_bucket(i, &low, &width);
		seen += h->b[i];
		/* the bucket's upper edge: all of its samples are below it */
		x_us[n] = (double)(low + width) * 1e6 / (double)hz;
		y[n] = (double)seen / (double)h->count;
		n++;
	}
	return n;
}

static void
plot_cdfs(FILE *f, const struct run_view *v, unsigned int nr)
{
	struct stats_hist *h = malloc(sizeof(*h));
	char err[128];

	if (h == NULL)
		return;
	for (int k = 0; k < HIST_MAX; k++) {
		const char *name = stats_hist_name((enum stats_hist_id)k);
		struct line ln[MAX_RUNS] = {{0}};
		double *bufs[MAX_RUNS];
		char labels[MAX_RUNS][96], title[96], id[32];
		unsigned int nl = 0;

		for (unsigned int r = 0; r < nr; r++) {
			uint64_t hz = 0;
			const json_t *hist = json_object_get(v[r].run->summary, "hist");
			if (hist == NULL ||
			    stats_hist_from_json(hist, name, h, &hz, err, sizeof(err)) != 1)
				continue;
			double *b = calloc(2 * HIST_BUCKETS, sizeof(double));
			if (b == NULL)
				continue;
			unsigned int n = stats_hist_cdf(h, hz, b, b + HIST_BUCKETS, HIST_BUCKETS);
			snprintf(labels[nl], sizeof(labels[nl]), "%s%s%s", nr > 1 ? v[r].name : "",
				 nr > 1 ? ": " : "", name);
			ln[nl] = (struct line){labels[nl], colors[r], NULL, b, b + HIST_BUCKETS, n};
			bufs[nl++] = b;
		}
		if (nl == 0)
			continue;
		snprintf(title, sizeof(title), "Latency CDF: %s", name);
		snprintf(id, sizeof(id), "cdf-%s", name);
		plot(f, id, title, "latency (us, log)", "fraction <= x", ln, nl, true);
		for (unsigned int i = 0; i < nl; i++)
			free(bufs[i]);
	}
	free(h);
}

/* Drops by reason, every run side by side: a table with bars. */
static void
drops_table(FILE *f, const struct run_view *v, unsigned int nr)
{
	double max = 0;
	bool any = false;
	const char *k;
	const json_t *x;

	for (unsigned int r = 0; r < nr; r++)
		json_object_foreach(json_object_get(v[r].run->summary, "counters"), k,
				    x) if (strncmp(k, "drop_", 5) == 0 && json_number_value(x) > 0)
		{
			max = fmax(max, json_number_value(x));
			any = true;
		}
	fputs("<h2>Drops by reason</h2>\n", f);
	if (!any) {
		fputs("<p id=\"drops\">No packet was dropped.</p>\n", f);
		return;
	}
	fputs("<table id=\"drops\"><tr><th>reason</th>", f);
	for (unsigned int r = 0; r < nr; r++) {
		fputs("<th>", f);
		stats_html_escape(f, v[r].name);
		fputs("</th>", f);
	}
	fputs("</tr>", f);
	/* the reasons in the counters' order (the first run that has each) */
	for (int id = 0; id < STAT_MAX; id++) {
		const char *name = stats_name((enum stats_id)id);
		bool row = false;
		if (strncmp(name, "drop_", 5) != 0)
			continue;
		for (unsigned int r = 0; r < nr; r++)
			row |= counter(v[r].run->summary, name) > 0;
		if (!row)
			continue;
		fprintf(f, "<tr><th title=\"%s\">%s</th>", stats_help((enum stats_id)id), name);
		for (unsigned int r = 0; r < nr; r++) {
			double c = counter(v[r].run->summary, name);
			fprintf(f,
				"<td><svg width=\"160\" "
				"height=\"12\"><rect width=\"%.1f\" height=\"12\" fill=\"%s\"/></svg> "
				"%.0f</td>",
				max > 0 ? 160 * c / max : 0, colors[r], c);
		}
		fputs("</tr>", f);
	}
	fputs("</table>\n", f);
}

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:24px;color:#222;max-width:1500px}"
	"h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px}"
	"table{border-collapse:collapse;margin:6px 0}td,th{padding:2px 8px;text-align:right;"
	"border-bottom:1px solid #ddd}th{text-align:left;font-weight:600}"
	"table.kv td{text-align:left}.ok{color:#080;font-weight:600}.bad{color:#b00;"
	"font-weight:600}.sw{display:inline-block;width:14px;height:14px;margin-right:8px}"
	"figure{display:inline-block;margin:8px}svg text{font:11px sans-serif;fill:#333}"
	"svg .t{font-size:13px;font-weight:600;text-anchor:middle}svg .yl{text-anchor:end}"
	"svg .xl,svg .xt,svg .yt{text-anchor:middle}svg .frame{fill:none;stroke:#888}"
	"svg .g{stroke:#e4e4e4}section.run{display:inline-block;vertical-align:top;"
	"margin-right:32px}";

int
stats_html_write(FILE *f, const struct stats_run *runs, const char *const *names, unsigned int nr,
		 char *err, size_t errlen)
{
	struct run_view v[MAX_RUNS];
	int rc = 0;

	if (nr == 0 || nr > MAX_RUNS) {
		snprintf(err, errlen, "report: 1 to %d runs, not %u", MAX_RUNS, nr);
		return -1;
	}
	memset(v, 0, sizeof(v));
	for (unsigned int r = 0; r < nr; r++) {
		size_t i;
		const json_t *iv;

		v[r].name = names[r];
		v[r].run = &runs[r];
		v[r].n = (unsigned int)json_array_size(runs[r].intervals);
		v[r].t = calloc(v[r].n ? v[r].n : 1, sizeof(double));
		if (v[r].t == NULL) {
			snprintf(err, errlen, "report: out of memory");
			rc = -1;
			goto out;
		}
		json_array_foreach(runs[r].intervals, i, iv) v[r].t[i] = num(iv, "t");
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>synack report",
	      f);
	for (unsigned int r = 0; r < nr; r++) {
		fputs(r ? " vs " : ": ", f);
		stats_html_escape(f, names[r]);
	}
	fprintf(f, "</title><style>%s</style></head><body>\n<h1>synack report%s</h1>\n", style,
		nr > 1 ? ": comparison" : "");
	for (unsigned int r = 0; r < nr; r++)
		run_section(f, &v[r], colors[r]);
	fputs("<h2>Over time</h2>\n", f);
	static const struct fspec rates[] = {{"CPS", NULL, "cps", false},
					     {"RPS", NULL, "rps", false}};
	static const struct fspec gbps[] = {{"rx Gbps", NULL, "rx_gbps", false},
					    {"tx Gbps", NULL, "tx_gbps", false}};
	static const struct fspec open[] = {{"open connections", "gauges", "tcp_open", false},
					    {"client concurrency", "gauges", "gen_active", false}};
	static const struct fspec errs[] = {{"errors", NULL, "errors", false},
					    {"retransmits", NULL, "tcp_retrans", true},
					    {"drops", NULL, "drops", false}};
	plot_fields(f, "rates", "Connections and requests per second", "per second", v, nr, rates,
		    2);
	plot_fields(f, "gbps", "Throughput (L2)", "Gbit/s", v, nr, gbps, 2);
	plot_fields(f, "open", "Open connections", "connections", v, nr, open, 2);
	plot_fields(f, "errors", "Errors, retransmits and drops per interval", "per interval", v,
		    nr, errs, 3);
	plot_latency_time(f, v, nr);
	fputs("<h2>Latency distributions</h2>\n", f);
	plot_cdfs(f, v, nr);
	drops_table(f, v, nr);
	fputs("<p class=\"foot\">Generated by synack; self-contained, no external "
	      "resources.</p>\n</body></html>\n",
	      f);
	if (ferror(f)) {
		snprintf(err, errlen, "report: write error");
		rc = -1;
	}
out:
	for (unsigned int r = 0; r < nr; r++)
		free(v[r].t);
	return rc;
}
