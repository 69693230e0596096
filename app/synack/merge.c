/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack merge (merge.h). Each file is read with stats_run_load (jansson,
 * exact 64-bit integers). Histograms recorded at different TSC rates (runs
 * on different machines) are brought to the first file's rate bucket by
 * bucket (each bucket's middle value rescaled), with a warning: exact only
 * when the rates are equal. Output: the same JSON lines shape synack writes
 * (intervals, then one summary), so whatever reads a run reads the merge.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/synack/merge.h"
#include "lib/stats/stats.h"

#define MERGE_MAX_SECONDS (7 * 86400) /* an interval series longer than a week is refused */

struct merge {
	unsigned int n;
	const char *const *paths;
	struct stats_run *runs;
	FILE *errf;
	uint64_t hz; /**< the first histogram's tick rate: the merge's */
	bool hz_warned;
	json_t *warnings; /**< array of strings */
};

static void warn(struct merge *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(struct merge *m, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(m->errf, "synack merge: warning: %s\n", buf);
	json_array_append_new(m->warnings, json_string(buf));
}

/* ---- histograms ---- */

/* acc += h, h in ticks of hz, acc in ticks of m->hz. */
static void
hist_add(struct merge *m, struct stats_hist *acc, const struct stats_hist *h, uint64_t hz,
	 const char *path)
{
	struct stats_hist *r;

	if (m->hz == 0)
		m->hz = hz;
	if (hz == m->hz) {
		stats_hist_merge(acc, h);
		return;
	}
	if (!m->hz_warned) {
		warn(m,
		     "%s: histograms at %" PRIu64 " ticks/s, the first file's at %" PRIu64
		     ": rescaled bucket by bucket (within one bucket's width, not exact)",
		     path, hz, m->hz);
		m->hz_warned = true;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		uint64_t low, w, v;

		if (h->b[i] == 0)
			continue;
		stats_hist_bucket(i, &low, &w);
		v = (uint64_t)((unsigned __int128)(low + w / 2) * m->hz / hz);
		r->b[stats_hist_index(v)] += h->b[i];
	}
	r->count = h->count;
	r->sum = (uint64_t)((unsigned __int128)h->sum * m->hz / hz);
	r->min = (uint64_t)((unsigned __int128)h->min * m->hz / hz);
	r->max = (uint64_t)((unsigned __int128)h->max * m->hz / hz);
	stats_hist_merge(acc, r);
	free(r);
}

/* The "hist" object of docs/output.md for hs[0..HIST_MAX) (NULL entries: none). */
static json_t *
hist_json(const struct merge *m, struct stats_hist *const *hs, bool minmax)
{
	json_t *o = json_object(), *series = json_object();

	json_object_set_new(o, "hz", json_integer((json_int_t)m->hz));
	json_object_set_new(o, "sub_bits", json_integer(HIST_SUB_BITS));
	for (int k = 0; k < HIST_MAX; k++) {
		const struct stats_hist *h = hs[k];
		json_t *one, *b;

		if (h == NULL || h->count == 0)
			continue;
		one = json_object();
		b = json_array();
		for (unsigned int i = 0; i < HIST_BUCKETS; i++)
			if (h->b[i] != 0) {
				json_t *pair = json_array();

				json_array_append_new(pair, json_integer(i));
				json_array_append_new(pair, json_integer((json_int_t)h->b[i]));
				json_array_append_new(b, pair);
			}
		json_object_set_new(one, "b", b);
		json_object_set_new(one, "count", json_integer((json_int_t)h->count));
		json_object_set_new(one, "sum", json_integer((json_int_t)h->sum));
		if (minmax) {
			json_object_set_new(one, "min", json_integer((json_int_t)h->min));
			json_object_set_new(one, "max", json_integer((json_int_t)h->max));
		}
		json_object_set_new(series, stats_hist_name((enum stats_hist_id)k), one);
	}
	json_object_set_new(o, "series", series);
	return o;
}

/* Merge the "hist" of object o (a summary or an interval) into hs. */
static int
hists_add(struct merge *m, struct stats_hist **hs, const json_t *o, const char *path)
{
	const json_t *hist = json_object_get(o, "hist");
	struct stats_hist *tmp;
	char err[256];

	if (hist == NULL)
		return 0;
	tmp = malloc(sizeof(*tmp));
	if (tmp == NULL)
		return -1;
	for (int k = 0; k < HIST_MAX; k++) {
		uint64_t hz = 0;
		int r = stats_hist_from_json(hist, stats_hist_name((enum stats_hist_id)k), tmp, &hz,
					     err, sizeof(err));

		if (r < 0) {
			fprintf(m->errf, "synack merge: %s: %s\n", path, err);
			free(tmp);
			return -1;
		}
		if (r == 0)
			continue;
		if (hs[k] == NULL && (hs[k] = calloc(1, sizeof(*hs[k]))) == NULL) {
			free(tmp);
			return -1;
		}
		hist_add(m, hs[k], tmp, hz, path);
	}
	free(tmp);
	return 0;
}

static void
hists_free(struct stats_hist **hs)
{
	for (int k = 0; k < HIST_MAX; k++) {
		free(hs[k]);
		hs[k] = NULL;
	}
}

/* ---- numbers ---- */

/* dst.key += v, integers exactly, reals as reals; objects member by member. */
static void
add_value(json_t *dst, const char *key, const json_t *v)
{
	json_t *d = json_object_get(dst, key);

	if (json_is_object(v)) {
		const char *k;
		json_t *x;

		if (d == NULL) {
			d = json_object();
			json_object_set_new(dst, key, d);
		}
		json_object_foreach((json_t *)v, k, x) add_value(d, k, x);
	} else if (json_is_integer(v) && (d == NULL || json_is_integer(d))) {
		json_object_set_new(
			dst, key,
			json_integer((d ? json_integer_value(d) : 0) + json_integer_value(v)));
	} else if (json_is_number(v)) {
		json_object_set_new(
			dst, key, json_real((d ? json_number_value(d) : 0) + json_number_value(v)));
	}
}

/* The summed keys of an interval (rates and counts; not means such as cwnd). */
static bool
summed_key(const char *k)
{
	static const char *const skip[] = {"type",     "t",	    "wall",	   "hist",
					   "segments", "bulk_cwnd", "bulk_rtt_ms", NULL};

	for (unsigned int i = 0; skip[i] != NULL; i++)
		if (strcmp(k, skip[i]) == 0)
			return false;
	return true;
}

/* ---- the summary ---- */

static json_t *
latency_json(const struct merge *m, struct stats_hist *const *hs)
{
	static const double qs[] = {0.5, 0.9, 0.99, 0.999, 0.9999};
	static const char *const qn[] = {"p50", "p90", "p99", "p99.9", "p99.99"};
	json_t *o = json_object();
	double us = m->hz ? 1e6 / (double)m->hz : 0;

	for (int k = 0; k < HIST_MAX; k++) {
		const struct stats_hist *h = hs[k];
		json_t *one;

		if (h == NULL || h->count == 0)
			continue;
		one = json_object();
		json_object_set_new(one, "count", json_integer((json_int_t)h->count));
		json_object_set_new(
			one, "mean",
			json_real(round((double)h->sum / (double)h->count * us * 1e3) / 1e3));
		json_object_set_new(one, "min", json_real(round((double)h->min * us * 1e3) / 1e3));
		for (unsigned int q = 0; q < sizeof(qs) / sizeof(qs[0]); q++)
			json_object_set_new(
				one, qn[q],
				json_real(round((double)stats_hist_quantile(h, qs[q]) * us * 1e3) /
					  1e3));
		json_object_set_new(one, "max", json_real(round((double)h->max * us * 1e3) / 1e3));
		json_object_set_new(o, stats_hist_name((enum stats_hist_id)k), one);
	}
	return o;
}

/* "a/b" -> a, b; 0 on success. */
static int
frac(const json_t *v, uint64_t *num, uint64_t *den)
{
	const char *s = json_string_value(v);

	if (s == NULL || sscanf(s, "%" SCNu64 "/%" SCNu64, num, den) != 2 || *den == 0)
		return -1;
	return 0;
}

/* Segments of the files: overlaps and gaps in [0, 1). */
static void
check_segments(struct merge *m)
{
	uint64_t fn[m->n], fd[m->n], tn[m->n], td[m->n];
	unsigned int order[m->n], k = 0;

	for (unsigned int i = 0; i < m->n; i++) {
		const json_t *seg = json_object_get(m->runs[i].summary, "segment");

		if (seg == NULL || frac(json_object_get(seg, "from"), &fn[i], &fd[i]) != 0 ||
		    frac(json_object_get(seg, "to"), &tn[i], &td[i]) != 0)
			continue;
		order[k++] = i;
	}
	/* sort by from (insertion: a handful of files) */
	for (unsigned int a = 1; a < k; a++)
		for (unsigned int b = a; b > 0; b--) {
			unsigned int x = order[b - 1], y = order[b];

			if (fn[y] * fd[x] >= fn[x] * fd[y])
				break;
			order[b - 1] = y;
			order[b] = x;
		}
	uint64_t cn = 0, cd = 1; /* covered up to cn/cd */
	for (unsigned int a = 0; a < k; a++) {
		unsigned int i = order[a];

		if (fn[i] * cd < cn * fd[i])
			warn(m,
			     "%s: segment %" PRIu64 "/%" PRIu64 ":%" PRIu64 "/%" PRIu64
			     " overlaps another file's: that part of the load ran twice",
			     m->paths[i], fn[i], fd[i], tn[i], td[i]);
		else if (fn[i] * cd > cn * fd[i])
			warn(m,
			     "no file has the segment %" PRIu64 "/%" PRIu64 ":%" PRIu64 "/%" PRIu64
			     ": the merge is not the whole",
			     cn, cd, fn[i], fd[i]);
		if (tn[i] * cd > cn * td[i]) {
			cn = tn[i];
			cd = td[i];
		}
	}
	if (k > 0 && cn != cd)
		warn(m,
		     "no file has the segment %" PRIu64 "/%" PRIu64
		     ":1: the merge is not the whole",
		     cn, cd);
}

static bool
range_of(const json_t *src, uint32_t *ip_lo, uint32_t *ip_hi, int64_t *p_lo, int64_t *p_hi)
{
	struct in_addr a, b;
	const char *lo = json_string_value(json_object_get(src, "ip_lo"));
	const char *hi = json_string_value(json_object_get(src, "ip_hi"));

	if (lo == NULL || hi == NULL || inet_pton(AF_INET, lo, &a) != 1 ||
	    inet_pton(AF_INET, hi, &b) != 1)
		return false;
	*ip_lo = ntohl(a.s_addr);
	*ip_hi = ntohl(b.s_addr);
	*p_lo = json_integer_value(json_object_get(src, "port_lo"));
	*p_hi = json_integer_value(json_object_get(src, "port_hi"));
	return true;
}

/* Source ranges that overlap towards the same target; configs that differ. */
static void
check_sources(struct merge *m)
{
	int first = -1;

	for (unsigned int i = 0; i < m->n; i++) {
		const json_t *si = json_object_get(m->runs[i].summary, "source");
		const json_t *ci = json_object_get(m->runs[i].summary, "config");
		uint32_t a0, a1, b0, b1;
		int64_t p0, p1, q0, q1;

		if (ci != NULL && first < 0)
			first = (int)i;
		if (ci != NULL && first >= 0 && (unsigned int)first != i) {
			const json_t *cf = json_object_get(m->runs[first].summary, "config");
			const char *k;
			json_t *v;
			char diff[256] = "";
			size_t off = 0;

			json_object_foreach((json_t *)cf, k,
					    v) if (!json_equal(v, json_object_get(ci, k)) &&
						   off < sizeof(diff))
				off += (size_t)snprintf(diff + off, sizeof(diff) - off, "%s%s",
							off ? ", " : "", k);
			if (off != 0)
				warn(m,
				     "%s and %s: the configs differ (%s): not one run's segments?",
				     m->paths[first], m->paths[i], diff);
		}
		if (si == NULL || !range_of(si, &a0, &a1, &p0, &p1))
			continue;
		for (unsigned int j = i + 1; j < m->n; j++) {
			const json_t *sj = json_object_get(m->runs[j].summary, "source");
			const json_t *cj = json_object_get(m->runs[j].summary, "config");

			if (sj == NULL || !range_of(sj, &b0, &b1, &q0, &q1))
				continue;
			if (ci != NULL && cj != NULL &&
			    !json_equal(json_object_get(ci, "target"),
					json_object_get(cj, "target")))
				continue;
			if (a1 < b0 || b1 < a0 || p1 < q0 || q1 < p0)
				continue;
			warn(m,
			     "%s and %s: the source ranges overlap (%s-%s ports %" PRId64
			     "-%" PRId64 " and %s-%s ports %" PRId64 "-%" PRId64
			     "): two generators may have used one 4-tuple",
			     m->paths[i], m->paths[j],
			     json_string_value(json_object_get(si, "ip_lo")),
			     json_string_value(json_object_get(si, "ip_hi")), p0, p1,
			     json_string_value(json_object_get(sj, "ip_lo")),
			     json_string_value(json_object_get(sj, "ip_hi")), q0, q1);
		}
	}
}

/* ---- intervals, aligned by wall-clock second ---- */

/* The second an interval belongs to: the one its middle falls in. */
static bool
interval_second(const json_t *iv, double prev_t, int64_t *sec)
{
	const json_t *w = json_object_get(iv, "wall");
	double t = json_number_value(json_object_get(iv, "t"));

	if (!json_is_number(w))
		return false;
	*sec = (int64_t)floor(json_number_value(w) - (t - prev_t) / 2);
	return true;
}

static int
write_intervals(struct merge *m, FILE *f)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	struct stats_hist *hs[HIST_MAX] = {0};

	for (unsigned int i = 0; i < m->n; i++) {
		double prev = 0;
		size_t k;
		json_t *iv;
		bool walls = true;

		json_array_foreach(m->runs[i].intervals, k, iv)
		{
			int64_t s;

			if (!interval_second(iv, prev, &s)) {
				walls = false;
				break;
			}
			prev = json_number_value(json_object_get(iv, "t"));
			lo = s < lo ? s : lo;
			hi = s > hi ? s : hi;
		}
		if (!walls)
			warn(m,
			     "%s: intervals without wall-clock times (\"wall\"): left out of the "
			     "merged series",
			     m->paths[i]);
	}
	if (lo > hi)
		return 0;
	if (hi - lo > MERGE_MAX_SECONDS) {
		fprintf(m->errf, "synack merge: the intervals span %" PRId64 " s: not one run\n",
			hi - lo);
		return -1;
	}
	for (int64_t s = lo; s <= hi; s++) {
		json_t *out = json_object();
		double wall = 0;
		unsigned int nb = 0;

		/* these first, as synack writes them (the values are set below) */
		json_object_set_new(out, "type", json_string("interval"));
		json_object_set_new(out, "t", json_real((double)(s - lo + 1)));
		json_object_set_new(out, "wall", json_real(0));
		json_object_set_new(out, "segments", json_integer(0));

		for (unsigned int i = 0; i < m->n; i++) {
			double prev = 0;
			size_t k;
			json_t *iv;

			json_array_foreach(m->runs[i].intervals, k, iv)
			{
				int64_t is;
				const char *key;
				json_t *v;

				if (!interval_second(iv, prev, &is))
					break;
				prev = json_number_value(json_object_get(iv, "t"));
				if (is != s)
					continue;
				nb++;
				if (json_number_value(json_object_get(iv, "wall")) > wall)
					wall = json_number_value(json_object_get(iv, "wall"));
				json_object_foreach(iv, key, v) if (summed_key(key))
					add_value(out, key, v);
				if (hists_add(m, hs, iv, m->paths[i]) != 0) {
					json_decref(out);
					hists_free(hs);
					return -1;
				}
			}
		}
		if (nb == 0) {
			json_decref(out);
			continue;
		}
		json_object_set_new(out, "wall", json_real(wall));
		json_object_set_new(out, "segments", json_integer(nb));
		json_object_set_new(out, "hist", hist_json(m, hs, false));
		hists_free(hs);
		char *line = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER |
						     JSON_REAL_PRECISION(10));
		if (line != NULL && f != NULL)
			fprintf(f, "%s\n", line);
		free(line);
		json_decref(out);
	}
	return 0;
}

static void
print_text(FILE *out, const json_t *sum, unsigned int n)
{
	const json_t *c = json_object_get(sum, "counters"),
		     *lat = json_object_get(sum, "latency_us");
	const char *k;
	json_t *v;

	fprintf(out, "\n--- merged: %u files, %.1fs, %s ---\n", n,
		json_number_value(json_object_get(sum, "t")),
		json_string_value(json_object_get(sum, "status")));
	fprintf(out, "%-22s %14s\n", "counter", "total");
	json_object_foreach((json_t *)c, k, v) if (json_integer_value(v) != 0)
		fprintf(out, "%-22s %14" JSON_INTEGER_FORMAT "\n", k, json_integer_value(v));
	if (json_object_size(lat) == 0)
		return;
	fprintf(out, "\nlatency (us)        count      mean       p50       p90       p99"
		     "     p99.9    p99.99       max\n");
	json_object_foreach((json_t *)lat, k, v)
	{
		fprintf(out, "%-12s %12" JSON_INTEGER_FORMAT " %9.1f", k,
			json_integer_value(json_object_get(v, "count")),
			json_number_value(json_object_get(v, "mean")));
		for (const char *const *q = (const char *const[]){"p50", "p90", "p99", "p99.9",
								  "p99.99", "max", NULL};
		     *q != NULL; q++)
			fprintf(out, " %9.1f", json_number_value(json_object_get(v, *q)));
		fputc('\n', out);
	}
}

static json_t *
summary(struct merge *m, int *failed)
{
	json_t *sum = json_object(), *counters = json_object(), *segs = json_array();
	struct stats_hist *hs[HIST_MAX] = {0};
	double t = 0, wall = 0;
	int64_t drops = 0;
	const char *bad = NULL;
	unsigned int bad_i = 0;

	*failed = 0;
	for (unsigned int i = 0; i < m->n; i++) {
		const json_t *s = m->runs[i].summary, *x;
		const char *st, *k;
		json_t *seg = json_object(), *v;

		json_object_set_new(seg, "file", json_string(m->paths[i]));
		if (s == NULL) {
			warn(m,
			     "%s: no summary line (the run did not finish): its counters and "
			     "histograms are not in the totals",
			     m->paths[i]);
			json_object_set_new(seg, "status", json_string("no summary"));
			json_array_append_new(segs, seg);
			continue;
		}
		json_object_foreach((json_t *)json_object_get(s, "counters"), k, v)
			add_value(counters, k, v);
		if (hists_add(m, hs, s, m->paths[i]) != 0) {
			json_decref(seg);
			json_decref(segs);
			json_decref(counters);
			json_decref(sum);
			hists_free(hs);
			return NULL;
		}
		if (json_number_value(json_object_get(s, "t")) > t)
			t = json_number_value(json_object_get(s, "t"));
		if (json_number_value(json_object_get(s, "wall")) > wall)
			wall = json_number_value(json_object_get(s, "wall"));
		drops += json_integer_value(json_object_get(s, "drops"));
		st = json_string_value(json_object_get(s, "status"));
		if (st == NULL)
			st = "?";
		if (strcmp(st, "done") != 0 && (bad == NULL || strncmp(st, "failed", 6) == 0)) {
			if (bad == NULL || strncmp(bad, "failed", 6) != 0) {
				bad = st;
				bad_i = i;
			}
		}
		if (strncmp(st, "failed", 6) == 0)
			*failed = 1;
		json_object_set_new(seg, "status", json_string(st));
		for (const char *const *kk =
			     (const char *const[]){"segment", "source", "start", NULL};
		     *kk != NULL; kk++)
			if ((x = json_object_get(s, *kk)) != NULL)
				json_object_set(seg, *kk, (json_t *)x);
		json_array_append_new(segs, seg);
	}
	json_object_set_new(sum, "type", json_string("summary"));
	json_object_set_new(sum, "t", json_real(t));
	json_object_set_new(sum, "wall", json_real(wall));
	json_object_set_new(sum, "latency_us", latency_json(m, hs));
	if (bad == NULL) {
		json_object_set_new(sum, "status", json_string("done"));
	} else {
		char st[320];

		snprintf(st, sizeof(st), "%s%s: %s",
			 strncmp(bad, "failed", 6) == 0 ? "failed: " : "", m->paths[bad_i], bad);
		json_object_set_new(sum, "status", json_string(st));
	}
	json_object_set_new(sum, "drops", json_integer(drops));
	json_object_set_new(sum, "counters", counters);
	json_object_set_new(sum, "hist", hist_json(m, hs, true));
	json_object_set_new(sum, "merged", json_integer(m->n));
	json_object_set_new(sum, "segments", segs);
	hists_free(hs);
	return sum;
}

int
merge_files(const char *const *paths, unsigned int n, const char *json_out, FILE *out, FILE *errf)
{
	struct merge m = {.n = n, .paths = paths, .errf = errf};
	FILE *f = NULL;
	json_t *sum = NULL;
	int rc = 2, failed = 0;
	char err[512];

	m.runs = calloc(n ? n : 1, sizeof(*m.runs));
	m.warnings = json_array();
	if (m.runs == NULL || m.warnings == NULL)
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (stats_run_load(paths[i], &m.runs[i], err, sizeof(err)) != 0) {
			fprintf(errf, "synack merge: %s\n", err);
			goto out;
		}
	check_segments(&m);
	check_sources(&m);
	sum = summary(&m, &failed);
	if (sum == NULL)
		goto out;
	if (json_out != NULL && (f = fopen(json_out, "w")) == NULL) {
		fprintf(errf, "synack merge: %s: %s\n", json_out, strerror(errno));
		goto out;
	}
	if (write_intervals(&m, f) != 0)
		goto out;
	json_object_set(sum, "warnings", m.warnings);
	if (f != NULL) {
		char *line = json_dumps(sum, JSON_COMPACT | JSON_PRESERVE_ORDER |
						     JSON_REAL_PRECISION(10));

		if (line == NULL || fprintf(f, "%s\n", line) < 0) {
			free(line);
			fprintf(errf, "synack merge: %s: write failed\n", json_out);
			goto out;
		}
		free(line);
	}
	if (out != NULL)
		print_text(out, sum, n);
	rc = failed;
out:
	if (f != NULL && fclose(f) != 0 && rc != 2) {
		fprintf(errf, "synack merge: %s: %s\n", json_out, strerror(errno));
		rc = 2;
	}
	json_decref(sum);
	json_decref(m.warnings);
	if (m.runs != NULL)
		for (unsigned int i = 0; i < n; i++)
			stats_run_free(&m.runs[i]);
	free(m.runs);
	return rc;
}

static void
merge_usage(FILE *o)
{
	fprintf(o, "usage: synack merge A.jsonl B.jsonl ... [--json OUT.jsonl] [-q]\n"
		   "\n"
		   "  The summary of the whole from the --json files of the segments of one\n"
		   "  run: counters summed, histograms merged bucket by bucket (percentiles\n"
		   "  from the merged histogram), intervals aligned by wall-clock second.\n"
		   "  -j, --json OUT   write the merged JSON lines (intervals, then a summary)\n"
		   "  -q, --quiet      no text summary\n"
		   "Exit codes: 0 merged, 1 merged and a segment's run failed, 2 usage or a\n"
		   "file that cannot be read.\n");
}

int
merge_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"json", required_argument, NULL, 'j'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *json_out = NULL;
	bool quiet = false;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json_out = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			merge_usage(stdout);
			return 0;
		default:
			merge_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "synack merge: no files to merge\n");
		merge_usage(stderr);
		return 2;
	}
	return merge_files((const char *const *)(argv + optind), (unsigned int)(argc - optind),
			   json_out, quiet ? NULL : stdout, stderr);
}
