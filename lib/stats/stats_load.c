/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A run's JSON lines (--json FILE, docs/output.md) read back, for the
 * commands that work on finished runs (synack merge, synack report). JSON is
 * parsed with jansson (Debian's libjansson), not the cJSON lib/iperf uses
 * for iperf3's small messages: cJSON keeps numbers as doubles, and merging
 * runs must be exact for 64-bit counts (jansson's json_int_t is long long).
 * This is the management side, never a worker.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "stats.h"

int
stats_run_load(const char *path, struct stats_run *run, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	int rc = 0;

	memset(run, 0, sizeof(*run));
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	run->intervals = json_array();
	run->other = json_array();
	while (getline(&line, &cap, f) > 0) {
		json_error_t je;
		json_t *o;
		const char *type;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		o = json_loads(line, 0, &je);
		if (o == NULL || !json_is_object(o)) {
			snprintf(err, errlen, "%s:%u: not a JSON object: %s", path, lineno,
				 o == NULL ? je.text : "another JSON value");
			json_decref(o);
			rc = -1;
			break;
		}
		type = json_string_value(json_object_get(o, "type"));
		if (type != NULL && strcmp(type, "interval") == 0) {
			json_array_append_new(run->intervals, o);
		} else if (type != NULL && strcmp(type, "summary") == 0) {
			json_decref(run->summary); /* a later summary wins */
			run->summary = o;
		} else {
			json_array_append_new(run->other, o);
		}
	}
	free(line);
	fclose(f);
	if (rc == 0 && run->summary == NULL && json_array_size(run->intervals) == 0) {
		snprintf(err, errlen, "%s: no interval or summary line: not a synack --json file",
			 path);
		rc = -1;
	}
	if (rc != 0)
		stats_run_free(run);
	return rc;
}

void
stats_run_free(struct stats_run *run)
{
	json_decref(run->summary);
	json_decref(run->intervals);
	json_decref(run->other);
	memset(run, 0, sizeof(*run));
}

static int
get_u64(const json_t *o, const char *key, uint64_t *v)
{
	const json_t *x = json_object_get(o, key);

	if (x == NULL)
		return 0;
	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return -1;
	*v = (uint64_t)json_integer_value(x);
	return 1;
}

int
stats_hist_from_json(const struct json_t *hist, const char *name, struct stats_hist *h,
		     uint64_t *hz, char *err, size_t errlen)
{
	const json_t *series, *one, *b, *pair;
	uint64_t sub = 0, v;
	size_t i;

	memset(h, 0, sizeof(*h));
	if (!json_is_object(hist)) {
		snprintf(err, errlen, "hist: not an object");
		return -1;
	}
	if (get_u64(hist, "sub_bits", &sub) != 1 || sub != HIST_SUB_BITS) {
		snprintf(err, errlen, "hist: sub_bits %" PRIu64 " (this synack reads %u)", sub,
			 HIST_SUB_BITS);
		return -1;
	}
	if (get_u64(hist, "hz", hz) != 1 || *hz == 0) {
		snprintf(err, errlen, "hist: no hz");
		return -1;
	}
	series = json_object_get(hist, "series");
	one = json_object_get(series, name);
	if (one == NULL)
		return 0; /* no samples */
	b = json_object_get(one, "b");
	if (!json_is_array(b)) {
		snprintf(err, errlen, "hist.%s: no bucket array", name);
		return -1;
	}
	json_array_foreach(b, i, pair)
	{
		const json_t *ix = json_array_get(pair, 0), *cx = json_array_get(pair, 1);

		if (json_array_size(pair) != 2 || !json_is_integer(ix) || !json_is_integer(cx) ||
		    json_integer_value(ix) < 0 || json_integer_value(ix) >= HIST_BUCKETS ||
		    json_integer_value(cx) < 0) {
			snprintf(err, errlen, "hist.%s.b[%zu]: not [index < %u, count]", name, i,
				 HIST_BUCKETS);
			return -1;
		}
		h->b[json_integer_value(ix)] += (uint64_t)json_integer_value(cx);
		h->count += (uint64_t)json_integer_value(cx);
	}
	if (get_u64(one, "sum", &h->sum) < 0) {
		snprintf(err, errlen, "hist.%s.sum: not a count", name);
		return -1;
	}
	/* min/max: exact in a summary; else the edges of the outer buckets */
	if (get_u64(one, "min", &v) == 1)
		h->min = v;
	else
		for (unsigned int k = 0; k < HIST_BUCKETS; k++)
			if (h->b[k] != 0) {
				uint64_t w;
				stats_hist_bucket(k, &h->min, &w);
				break;
			}
	if (get_u64(one, "max", &v) == 1)
		h->max = v;
	else
		for (unsigned int k = HIST_BUCKETS; k-- > 0;)
			if (h->b[k] != 0) {
				uint64_t low, w;
				stats_hist_bucket(k, &low, &w);
				h->max = low + (w ? w - 1 : 0);
				break;
			}
	return 1;
}

int
stats_hist_id(const char *name)
{
	for (int k = 0; k < HIST_MAX; k++)
		if (strcmp(stats_hist_name((enum stats_hist_id)k), name) == 0)
			return k;
	return -1;
}
