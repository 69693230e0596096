/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Counter names and the report: once per interval the main lcore sums the
 * workers' counter blocks (plain loads of values only their owner writes; a
 * torn read is impossible for aligned 64-bit words on x86-64 and at worst one
 * interval late elsewhere), prints one line and writes one JSON object; at
 * the end it prints the summary with every non-zero counter per worker.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stats.h"

static const char *const stat_names[STAT_MAX] = {
#define STATS_X_NAME(name, help) #name,
	STATS_COUNTERS(STATS_X_NAME)
#undef STATS_X_NAME
};

static const char *const stat_helps[STAT_MAX] = {
#define STATS_X_HELP(name, help) help,
	STATS_COUNTERS(STATS_X_HELP)
#undef STATS_X_HELP
};

const char *
stats_name(enum stats_id id)
{
	if ((unsigned int)id >= STAT_MAX)
		return NULL;
	return stat_names[id];
}

const char *
stats_help(enum stats_id id)
{
	if ((unsigned int)id >= STAT_MAX)
		return NULL;
	return stat_helps[id];
}

int
stats_lookup(const char *name)
{
	for (int i = 0; i < STAT_MAX; i++)
		if (strcmp(stat_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const hist_names[HIST_MAX] = {
#define STATS_X_HNAME(name, help) #name,
	STATS_HISTS(STATS_X_HNAME)
#undef STATS_X_HNAME
};

const char *
stats_hist_name(enum stats_hist_id id)
{
	return (unsigned int)id < HIST_MAX ? hist_names[id] : NULL;
}

void
stats_hist_bucket(unsigned int i, uint64_t *low, uint64_t *width)
{
	if (i < HIST_SUB) {
		*low = i;
		*width = 1;
		return;
	}
	unsigned int e = i / HIST_SUB + HIST_SUB_BITS - 1; /* power of two of the bucket */
	uint64_t m = HIST_SUB + i % HIST_SUB;
	*width = 1ULL << (e - HIST_SUB_BITS);
	*low = m << (e - HIST_SUB_BITS);
}

uint64_t
stats_hist_quantile(const struct stats_hist *h, double q)
{
	if (h->count == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	uint64_t rank = (uint64_t)(q * (double)h->count + 0.5);
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t low, width;
			stats_hist_bucket(i, &low, &width);
			uint64_t v = low + width / 2;
			if (v < h->min)
				v = h->min;
			if (v > h->max)
				v = h->max;
			return v;
		}
	}
	return h->max;
}

void
stats_hist_merge(struct stats_hist *dst, const struct stats_hist *src)
{
	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
}

#define LABEL_LEN    64
#define RTE_DIM_Q(a) (sizeof(a) / sizeof((a)[0]))

struct stats_report {
	struct stats_worker *const *workers;
	unsigned int nb_workers;
	FILE *out;
	FILE *json;
	uint64_t prev[STAT_MAX];
	uint64_t prev_ms;
	uint64_t hz;
	char (*label)[LABEL_LEN];
	unsigned int nb_extra;
	char *extra_key[16];
	char *extra_val[16];
	/* every histogram, the workers' merged: as of the last interval, and
	 * now (scratch); swapped after each interval; one allocation */
	struct stats_hist *hprev;
	struct stats_hist *hcur;
	struct stats_hist *hmem;
	/* every interval's rate numerators, for the summary's headline rates */
	struct stats_iv_rate *iv;
	unsigned int nb_iv, iv_cap;
	enum stats_json_hist json_hist;
};

struct stats_report *
stats_report_create(struct stats_worker *const *workers, unsigned int nb_workers, FILE *out,
		    const char *json_path)
{
	struct stats_report *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->label = calloc(nb_workers ? nb_workers : 1, LABEL_LEN);
	if (r->label == NULL) {
		free(r);
		return NULL;
	}
	r->hmem = calloc(2 * HIST_MAX, sizeof(struct stats_hist));
	if (r->hmem == NULL) {
		free(r->label);
		free(r);
		return NULL;
	}
	r->hprev = r->hmem;
	r->hcur = r->hmem + HIST_MAX;
	r->workers = workers;
	r->nb_workers = nb_workers;
	r->hz = 1000000000ULL;
	r->out = out;
	for (unsigned int i = 0; i < nb_workers; i++)
		snprintf(r->label[i], LABEL_LEN, "w%u", i);
	if (json_path != NULL && json_path[0] != '\0') {
		r->json = fopen(json_path, "w");
		if (r->json == NULL) {
			int e = errno;
			free(r->hmem);
			free(r->label);
			free(r);
			errno = e;
			return NULL;
		}
	}
	return r;
}

void
stats_report_add_json(struct stats_report *r, const char *key, const char *raw_json)
{
	if (r->nb_extra == 16)
		return;
	r->extra_key[r->nb_extra] = strdup(key);
	r->extra_val[r->nb_extra] = strdup(raw_json);
	if (r->extra_key[r->nb_extra] != NULL && r->extra_val[r->nb_extra] != NULL)
		r->nb_extra++;
}

void
stats_report_set_json_hist(struct stats_report *r, enum stats_json_hist mode)
{
	r->json_hist = mode;
}

void
stats_report_set_hz(struct stats_report *r, uint64_t hz)
{
	r->hz = hz;
}

void
stats_report_set_label(struct stats_report *r, unsigned int i, const char *label)
{
	if (i < r->nb_workers)
		snprintf(r->label[i], LABEL_LEN, "%s", label);
}

void
stats_report_total(const struct stats_report *r, uint64_t total[STAT_MAX])
{
	memset(total, 0, sizeof(uint64_t) * STAT_MAX);
	for (unsigned int w = 0; w < r->nb_workers; w++) {
		const volatile uint64_t *c = r->workers[w]->c;
		for (int i = 0; i < STAT_MAX; i++)
			total[i] += c[i];
	}
}

static uint64_t
drops_of(const uint64_t *c)
{
	uint64_t n = 0;

	for (int i = 0; i < STAT_MAX; i++)
		if (strncmp(stat_names[i], "drop_", 5) == 0)
			n += c[i];
	return n;
}

/* Human rate: 1234567 -> "1.23M". */
static const char *
rate_str(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

static const char *const gauge_names[GAUGE_MAX] = {
#define STATS_X_GNAME(name, help) #name,
	STATS_GAUGES(STATS_X_GNAME)
#undef STATS_X_GNAME
};

static void
json_counters(FILE *f, const uint64_t *c)
{
	fputc('{', f);
	for (int i = 0; i < STAT_MAX; i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", stat_names[i], c[i]);
	fputc('}', f);
}

static void
gauges_total(const struct stats_report *r, uint64_t g[GAUGE_MAX])
{
	memset(g, 0, sizeof(uint64_t) * GAUGE_MAX);
	for (unsigned int w = 0; w < r->nb_workers; w++)
		for (int i = 0; i < GAUGE_MAX; i++)
			g[i] += ((const volatile uint64_t *)r->workers[w]->g)[i];
}

static void
json_gauges(FILE *f, const uint64_t *g)
{
	fputc('{', f);
	for (int i = 0; i < GAUGE_MAX; i++)
		fprintf(f, "%s\"%s\":%" PRIu64, i ? "," : "", gauge_names[i], g[i]);
	fputc('}', f);
}

/* What one interval's RTT samples say (bulk senders' smoothed RTT), in ms. */
struct rtt_iv {
	uint64_t n;
	double min, mean, max;
};

/* Every histogram as of now, the workers' merged, into r->hcur. */
static void
hist_snapshot(struct stats_report *r)
{
	memset(r->hcur, 0, HIST_MAX * sizeof(struct stats_hist));
	for (int k = 0; k < HIST_MAX; k++)
		for (unsigned int w = 0; w < r->nb_workers; w++)
			if (r->workers[w]->h[k] != NULL)
				stats_hist_merge(&r->hcur[k], r->workers[w]->h[k]);
}

/*
 * The bulk senders' RTT over the last interval: what the workers' srtt
 * histograms gained since the previous interval (they only grow). min and
 * max are the middles of the lowest and highest buckets that gained (<= 0.4%
 * off, as the summary's percentiles). Visits every bucket: once a second.
 */
static void
srtt_interval(const struct stats_report *r, struct rtt_iv *o)
{
	const struct stats_hist *cur = &r->hcur[HIST_srtt], *prev = &r->hprev[HIST_srtt];
	double ms = (double)r->hz / 1000.0;
	int lo = -1, hi = -1;

	memset(o, 0, sizeof(*o));
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		if (cur->b[i] <= prev->b[i])
			continue;
		if (lo < 0)
			lo = (int)i;
		hi = (int)i;
	}
	if (lo >= 0 && cur->count > prev->count) {
		uint64_t low, width;

		o->n = cur->count - prev->count;
		o->mean = (double)(cur->sum - prev->sum) / (double)o->n / ms;
		stats_hist_bucket((unsigned int)lo, &low, &width);
		o->min = (double)(low + width / 2) / ms;
		stats_hist_bucket((unsigned int)hi, &low, &width);
		o->max = (double)(low + width / 2) / ms;
	}
}

/*
 * One histogram as JSON (docs/output.md "Histograms"): count, sum (ticks),
 * min and max when known (the summary; an interval's are not), and the
 * non-empty buckets as [index, count] pairs. With prev, the part gained
 * since prev: its count is the buckets' sum (the workers write while this
 * reads, so count and buckets are taken from one source).
 */
static void
json_hist(FILE *f, const struct stats_hist *h, const struct stats_hist *prev)
{
	uint64_t n = 0;

	fputs("{\"b\":[", f);
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		uint64_t c = h->b[i] - (prev != NULL ? prev->b[i] : 0);
		if (prev != NULL && h->b[i] < prev->b[i])
			c = 0;
		if (c == 0)
			continue;
		fprintf(f, "%s[%u,%" PRIu64 "]", n ? "," : "", i, c);
		n += c;
	}
	fprintf(f, "],\"count\":%" PRIu64 ",\"sum\":%" PRIu64, n,
		h->sum - (prev != NULL ? prev->sum : 0));
	if (prev == NULL && n != 0)
		fprintf(f, ",\"min\":%" PRIu64 ",\"max\":%" PRIu64, h->min, h->max);
	fputc('}', f);
}

/* "hist":{"hz":..,"sub_bits":..,"series":{name: json_hist, ...}}; only the
 * histograms that have (or gained) samples. */
static void
json_hists(FILE *f, const struct stats_report *r, const struct stats_hist *h,
	   const struct stats_hist *prev)
{
	bool first = true;

	fprintf(f, "\"hist\":{\"hz\":%" PRIu64 ",\"sub_bits\":%u,\"series\":{", r->hz,
		HIST_SUB_BITS);
	for (int k = 0; k < HIST_MAX; k++) {
		if (h[k].count <= (prev != NULL ? prev[k].count : 0))
			continue;
		fprintf(f, "%s\"%s\":", first ? "" : ",", hist_names[k]);
		json_hist(f, &h[k], prev != NULL ? &prev[k] : NULL);
		first = false;
	}
	fputs("}}", f);
}

/* One interval's rate numerators kept for the summary (main lcore: may allocate). */
static void
iv_record(struct stats_report *r, uint64_t t_ms, const uint64_t *d, bool client)
{
	if (r->nb_iv == r->iv_cap) {
		unsigned int cap = r->iv_cap ? 2 * r->iv_cap : 64;
		struct stats_iv_rate *n = realloc(r->iv, cap * sizeof(*n));

		if (n == NULL)
			return; /* the headline rates then cover fewer intervals */
		r->iv = n;
		r->iv_cap = cap;
	}
	struct stats_iv_rate *v = &r->iv[r->nb_iv++];
	v->t_ms = t_ms;
	v->ms = t_ms - r->prev_ms;
	v->conns = client ? d[STAT_gen_conn_ok] : d[STAT_tcp_accepted];
	v->reqs = client ? d[STAT_gen_resp_rx] : d[STAT_http_req];
	v->rx_bytes = d[STAT_rx_bytes];
	v->tx_bytes = d[STAT_tx_bytes];
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The basis series' per-second value of interval v. */
static double
iv_basis(const struct stats_iv_rate *v, enum stats_rate_basis b)
{
	double secs = v->ms > 0 ? (double)v->ms / 1000.0 : 1e-3;

	switch (b) {
	case STATS_BASIS_RPS:
		return (double)v->reqs / secs;
	case STATS_BASIS_CPS:
		return (double)v->conns / secs;
	default:
		return (double)(v->rx_bytes + v->tx_bytes) * 8 / secs / 1e9;
	}
}

static void
rates_over(const struct stats_iv_rate *iv, unsigned int from, unsigned int to,
	   struct stats_rates_part *p)
{
	uint64_t ms = 0, conns = 0, reqs = 0, rx = 0, tx = 0;

	for (unsigned int i = from; i <= to; i++) {
		ms += iv[i].ms;
		conns += iv[i].conns;
		reqs += iv[i].reqs;
		rx += iv[i].rx_bytes;
		tx += iv[i].tx_bytes;
	}
	p->t_from = (double)(iv[from].t_ms - iv[from].ms) / 1000.0;
	p->t_to = (double)iv[to].t_ms / 1000.0;
	p->secs = (double)ms / 1000.0;
	p->intervals = to - from + 1;
	double secs = p->secs > 0 ? p->secs : 1e-3;
	p->cps = (double)conns / secs;
	p->rps = (double)reqs / secs;
	p->rx_gbps = (double)rx * 8 / secs / 1e9;
	p->tx_gbps = (double)tx * 8 / secs / 1e9;
}

int
stats_rates_compute(const struct stats_iv_rate *iv, unsigned int n, struct stats_rates *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return -1;
	rates_over(iv, 0, n - 1, &out->measured);
	double *v = malloc(n * sizeof(*v));
	if (v == NULL)
		return -1;
	/* the basis: requests when there are any, else connections, else bytes */
	double median = 0;
	enum stats_rate_basis b;
	for (b = STATS_BASIS_RPS; b <= STATS_BASIS_GBPS; b++) {
		for (unsigned int i = 0; i < n; i++)
			v[i] = iv_basis(&iv[i], b);
		qsort(v, n, sizeof(*v), cmp_double);
		median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		if (median > 0)
			break;
	}
	free(v);
	if (median <= 0)
		return -1; /* nothing ran: no steady part */
	unsigned int from = n, to = 0;
	for (unsigned int i = 0; i < n; i++) {
		if (iv_basis(&iv[i], b) < STATS_STEADY_FRAC * median)
			continue;
		if (from == n)
			from = i;
		to = i;
	}
	out->basis = b;
	out->median = median;
	rates_over(iv, from, to, &out->steady);
	out->has_steady = true;
	return 0;
}

static const char *const basis_names[] = {"rps", "cps", "gbps"};

static void
json_rates_part(FILE *f, const char *name, const struct stats_rates_part *p)
{
	fprintf(f,
		"\"%s\":{\"from\":%.3f,\"to\":%.3f,\"secs\":%.3f,\"intervals\":%u,"
		"\"cps\":%.1f,\"rps\":%.1f,\"rx_gbps\":%.4f,\"tx_gbps\":%.4f}",
		name, p->t_from, p->t_to, p->secs, p->intervals, p->cps, p->rps, p->rx_gbps,
		p->tx_gbps);
}

/* The wall clock (unix seconds), so that intervals of several processes line up. */
static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
stats_report_interval(struct stats_report *r, uint64_t t_ms)
{
	uint64_t cur[STAT_MAX], d[STAT_MAX];
	double secs = (double)(t_ms - r->prev_ms) / 1000.0;
	char b1[16], b2[16], b3[16], b4[16];

	stats_report_total(r, cur);
	for (int i = 0; i < STAT_MAX; i++)
		d[i] = cur[i] - r->prev[i];
	if (secs <= 0)
		secs = 1e-3;

	double rx_pps = d[STAT_rx_pkts] / secs, tx_pps = d[STAT_tx_pkts] / secs;
	double rx_gbps = d[STAT_rx_bytes] * 8 / secs / 1e9;
	double tx_gbps = d[STAT_tx_bytes] * 8 / secs / 1e9;
	uint64_t g[GAUGE_MAX];
	gauges_total(r, g);
	/* the client's view when there is a client, else the server's */
	bool client = cur[STAT_gen_conn_tx] != 0;
	double cps = (client ? d[STAT_gen_conn_ok] : d[STAT_tcp_accepted]) / secs;
	double rps = (client ? d[STAT_gen_resp_rx] : d[STAT_http_req]) / secs;
	uint64_t errs = 0;
	for (int i = 0; i < STAT_MAX; i++)
		if (strncmp(stat_names[i], "gen_err_", 8) == 0)
			errs += d[i];
	double echo = (d[STAT_icmp_echo_rx]) / secs;
	double reply = (d[STAT_icmp_reply_rx]) / secs;
	double udp_tx = d[STAT_udp_tx] / secs, udp_rx = d[STAT_udp_rx] / secs;
	/* bulk payload Gbps: the client's view (up, down) when it runs, else
	 * the bulk server's (sink, source) */
	bool bulk_client = cur[STAT_gen_bulk_tx] != 0 || cur[STAT_gen_bulk_rx] != 0;
	bool bulk_server = cur[STAT_bulk_accepted] != 0;
	double bulk_a = (bulk_client ? d[STAT_gen_bulk_tx] : d[STAT_bulk_sink_bytes]) * 8 / secs /
			1e9;
	double bulk_b = (bulk_client ? d[STAT_gen_bulk_rx] : d[STAT_bulk_src_bytes]) * 8 / secs /
			1e9;
	struct rtt_iv rtt;
	hist_snapshot(r);
	srtt_interval(r, &rtt);

	if (r->out != NULL) {
		fprintf(r->out, "[%7.1fs] rx %spps %.2fGbps  tx %spps %.2fGbps", t_ms / 1000.0,
			rate_str(rx_pps, b1, sizeof(b1)), rx_gbps, rate_str(tx_pps, b2, sizeof(b2)),
			tx_gbps);
		if (cur[STAT_tcp_rx] != 0 || g[GAUGE_tcp_open] != 0)
			fprintf(r->out, "  cps %s rps %s open %" PRIu64 " retrans %" PRIu64,
				rate_str(cps, b3, sizeof(b3)), rate_str(rps, b4, sizeof(b4)),
				g[GAUGE_tcp_open], d[STAT_tcp_retrans]);
		if (client)
			fprintf(r->out, " conc %" PRIu64 " err %" PRIu64, g[GAUGE_gen_active],
				errs);
		if (cur[STAT_icmp_echo_rx] != 0 || cur[STAT_icmp_reply_rx] != 0)
			fprintf(r->out, "  icmp echo %s/s reply %s/s",
				rate_str(echo, b3, sizeof(b3)), rate_str(reply, b4, sizeof(b4)));
		if (bulk_client || bulk_server) {
			fprintf(r->out, "  bulk %s %.2fGbps %s %.2fGbps",
				bulk_client ? "up" : "sink", bulk_a,
				bulk_client ? "down" : "source", bulk_b);
			if (g[GAUGE_bulk_senders] != 0)
				fprintf(r->out, " cwnd %sB",
					rate_str((double)g[GAUGE_bulk_cwnd] /
							 (double)g[GAUGE_bulk_senders],
						 b3, sizeof(b3)));
			if (rtt.n != 0)
				fprintf(r->out, " rtt %.2f/%.2f/%.2fms", rtt.min, rtt.mean,
					rtt.max);
			else if (g[GAUGE_bulk_senders] != 0)
				fprintf(r->out, " srtt %.2fms",
					(double)g[GAUGE_bulk_srtt_us] /
						(double)g[GAUGE_bulk_senders] / 1000.0);
		}
		if (cur[STAT_udp_tx] != 0 || cur[STAT_udp_rx] != 0)
			fprintf(r->out, "  udp tx %spps rx %spps", rate_str(udp_tx, b3, sizeof(b3)),
				rate_str(udp_rx, b4, sizeof(b4)));
		fprintf(r->out, "  arp %" PRIu64 "  drops %" PRIu64 "\n", d[STAT_arp_rx],
			drops_of(d));
		fflush(r->out);
	}
	if (r->json != NULL) {
		fprintf(r->json,
			"{\"type\":\"interval\",\"t\":%.3f,\"wall\":%.3f,\"rx_pps\":%.0f,"
			"\"tx_pps\":%.0f,\"rx_gbps\":%.4f,\"tx_gbps\":%.4f,\"cps\":%.0f,"
			"\"rps\":%.0f,\"errors\":%" PRIu64 ",\"drops\":%" PRIu64 ",",
			t_ms / 1000.0, wall_now(), rx_pps, tx_pps, rx_gbps, tx_gbps, cps, rps, errs,
			drops_of(d));
		if (bulk_client || bulk_server) {
			fprintf(r->json, "\"bulk_%s_gbps\":%.4f,\"bulk_%s_gbps\":%.4f,",
				bulk_client ? "up" : "sink", bulk_a,
				bulk_client ? "down" : "source", bulk_b);
			fprintf(r->json, "\"bulk_retrans\":%" PRIu64 ",", d[STAT_tcp_retrans]);
			if (g[GAUGE_bulk_senders] != 0)
				fprintf(r->json, "\"bulk_cwnd\":%.0f,",
					(double)g[GAUGE_bulk_cwnd] / (double)g[GAUGE_bulk_senders]);
			if (rtt.n != 0)
				fprintf(r->json,
					"\"bulk_rtt_ms\":{\"samples\":%" PRIu64 ",\"min\":%.3f,"
					"\"mean\":%.3f,\"max\":%.3f},",
					rtt.n, rtt.min, rtt.mean, rtt.max);
		}
		fputs("\"gauges\":", r->json);
		json_gauges(r->json, g);
		fputs(",\"counters\":", r->json);
		json_counters(r->json, cur);
		if (r->json_hist == STATS_JSON_HIST_INTERVAL) {
			fputc(',', r->json);
			json_hists(r->json, r, r->hcur, r->hprev);
		}
		fputs("}\n", r->json);
		fflush(r->json);
	}
	iv_record(r, t_ms, d, client);
	/* the next interval starts from here */
	struct stats_hist *t = r->hprev;
	r->hprev = r->hcur;
	r->hcur = t;
	memcpy(r->prev, cur, sizeof(cur));
	r->prev_ms = t_ms;
}

void
stats_report_summary(struct stats_report *r, uint64_t t_ms, const char *status)
{
	uint64_t tot[STAT_MAX];
	double secs = t_ms / 1000.0;
	FILE *o = r->out != NULL ? r->out : stdout;

	stats_report_total(r, tot);
	if (secs <= 0)
		secs = 1e-3;
	/* what came after the last interval is one more (partial) interval,
	 * so that the measured rates cover the whole run */
	if (t_ms > r->prev_ms) {
		uint64_t d[STAT_MAX];

		for (int i = 0; i < STAT_MAX; i++)
			d[i] = tot[i] - r->prev[i];
		iv_record(r, t_ms, d, tot[STAT_gen_conn_tx] != 0);
		memcpy(r->prev, tot, sizeof(tot));
		r->prev_ms = t_ms;
	}
	struct stats_rates rates;
	bool has_rates = stats_rates_compute(r->iv, r->nb_iv, &rates) == 0 ||
			 rates.measured.intervals != 0;
	fprintf(o, "\n--- summary: %.1fs, %s ---\n", secs, status);
	if (has_rates) {
		const struct stats_rates_part *m = &rates.measured, *st = &rates.steady;

		fprintf(o,
			"rates (measured %.1fs): cps %.0f  rps %.0f  rx %.3f Gbps  tx %.3f Gbps\n",
			m->secs, m->cps, m->rps, m->rx_gbps, m->tx_gbps);
		if (rates.has_steady)
			fprintf(o,
				"rates (steady %.1f-%.1fs, %s >= 90%% of its median): cps %.0f  "
				"rps %.0f  rx %.3f Gbps  tx %.3f Gbps\n",
				st->t_from, st->t_to, basis_names[rates.basis], st->cps, st->rps,
				st->rx_gbps, st->tx_gbps);
	}
	fprintf(o,
		"rx %" PRIu64 " frames (%.0f/s)  tx %" PRIu64 " frames (%.0f/s)  drops %" PRIu64
		"\n",
		tot[STAT_rx_pkts], tot[STAT_rx_pkts] / secs, tot[STAT_tx_pkts],
		tot[STAT_tx_pkts] / secs, drops_of(tot));
	if (tot[STAT_gen_bulk_tx] != 0 || tot[STAT_gen_bulk_rx] != 0)
		fprintf(o,
			"bulk (client): up %" PRIu64 " bytes (%.3f Gbps)  down %" PRIu64
			" bytes (%.3f Gbps)  retransmits %" PRIu64 "\n",
			tot[STAT_gen_bulk_tx], tot[STAT_gen_bulk_tx] * 8 / secs / 1e9,
			tot[STAT_gen_bulk_rx], tot[STAT_gen_bulk_rx] * 8 / secs / 1e9,
			tot[STAT_tcp_retrans]);
	if (tot[STAT_bulk_accepted] != 0)
		fprintf(o,
			"bulk (server): sink %" PRIu64 " bytes (%.3f Gbps)  source %" PRIu64
			" bytes (%.3f Gbps)\n",
			tot[STAT_bulk_sink_bytes], tot[STAT_bulk_sink_bytes] * 8 / secs / 1e9,
			tot[STAT_bulk_src_bytes], tot[STAT_bulk_src_bytes] * 8 / secs / 1e9);
	fprintf(o, "%-22s %14s", "counter", "total");
	for (unsigned int w = 0; w < r->nb_workers; w++)
		fprintf(o, " %14.14s", r->label[w]);
	fputc('\n', o);
	for (int i = 0; i < STAT_MAX; i++) {
		if (tot[i] == 0)
			continue;
		fprintf(o, "%-22s %14" PRIu64, stat_names[i], tot[i]);
		for (unsigned int w = 0; w < r->nb_workers; w++)
			fprintf(o, " %14" PRIu64, r->workers[w]->c[i]);
		fputc('\n', o);
	}
	/* latency: merge the workers' histograms */
	static struct stats_hist merged[HIST_MAX];
	bool any = false;
	memset(merged, 0, sizeof(merged));
	for (int k = 0; k < HIST_MAX; k++) {
		for (unsigned int w = 0; w < r->nb_workers; w++)
			if (r->workers[w]->h[k] != NULL)
				stats_hist_merge(&merged[k], r->workers[w]->h[k]);
		any |= merged[k].count != 0;
	}
	static const double qs[] = {0.5, 0.9, 0.99, 0.999, 0.9999};
	static const char *const qn[] = {"p50", "p90", "p99", "p99.9", "p99.99"};
	double us = 1e6 / (double)r->hz;
	if (any) {
		fprintf(o, "\nlatency (us)        count      mean       p50       p90       p99"
			   "     p99.9    p99.99       max\n");
		for (int k = 0; k < HIST_MAX; k++) {
			const struct stats_hist *h = &merged[k];
			if (h->count == 0)
				continue;
			fprintf(o, "%-12s %12" PRIu64 " %9.1f", hist_names[k], h->count,
				(double)h->sum / (double)h->count * us);
			for (unsigned int q = 0; q < RTE_DIM_Q(qs); q++)
				fprintf(o, " %9.1f", (double)stats_hist_quantile(h, qs[q]) * us);
			fprintf(o, " %9.1f\n", (double)h->max * us);
		}
	}
	fflush(o);
	if (r->json != NULL) {
		fprintf(r->json, "{\"type\":\"summary\",\"t\":%.3f,\"wall\":%.3f,\"latency_us\":{",
			secs, wall_now());
		bool first = true;
		for (int k = 0; k < HIST_MAX; k++) {
			const struct stats_hist *h = &merged[k];
			if (h->count == 0)
				continue;
			fprintf(r->json,
				"%s\"%s\":{\"count\":%" PRIu64 ",\"mean\":%.3f,\"min\":%.3f",
				first ? "" : ",", hist_names[k], h->count,
				(double)h->sum / (double)h->count * us, (double)h->min * us);
			for (unsigned int q = 0; q < RTE_DIM_Q(qs); q++)
				fprintf(r->json, ",\"%s\":%.3f", qn[q],
					(double)stats_hist_quantile(h, qs[q]) * us);
			fprintf(r->json, ",\"max\":%.3f}", (double)h->max * us);
			first = false;
		}
		fputs("},\"status\":\"", r->json);
		for (const char *p = status; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				fputc('\\', r->json);
			if ((unsigned char)*p >= 0x20)
				fputc(*p, r->json);
		}
		fputc('"', r->json);
		if (has_rates) {
			fputs(",\"rates\":{", r->json);
			json_rates_part(r->json, "measured", &rates.measured);
			if (rates.has_steady) {
				fputc(',', r->json);
				json_rates_part(r->json, "steady", &rates.steady);
				fprintf(r->json, ",\"steady_basis\":\"%s\",\"steady_median\":%.4f",
					basis_names[rates.basis], rates.median);
			}
			fputc('}', r->json);
		}
		fprintf(r->json, ",\"drops\":%" PRIu64 ",\"counters\":", drops_of(tot));
		json_counters(r->json, tot);
		if (r->json_hist != STATS_JSON_HIST_OFF) {
			fputc(',', r->json);
			json_hists(r->json, r, merged, NULL);
		}
		for (unsigned int i = 0; i < r->nb_extra; i++)
			fprintf(r->json, ",\"%s\":%s", r->extra_key[i], r->extra_val[i]);
		fputs(",\"workers\":[", r->json);
		for (unsigned int w = 0; w < r->nb_workers; w++) {
			fprintf(r->json,
				"%s{\"id\":%u,\"label\":\"%s\",\"counters\":", w ? "," : "", w,
				r->label[w]);
			json_counters(r->json, r->workers[w]->c);
			fputc('}', r->json);
		}
		fputs("]}\n", r->json);
		fflush(r->json);
	}
}

void
stats_report_free(struct stats_report *r)
{
	if (r == NULL)
		return;
	if (r->json != NULL)
		fclose(r->json);
	for (unsigned int i = 0; i < r->nb_extra; i++) {
		free(r->extra_key[i]);
		free(r->extra_val[i]);
	}
	free(r->iv);
	free(r->hmem);
	free(r->label);
	free(r);
}

void
stats_report_start(struct stats_report *r, const char *raw_fields)
{
	if (r->json == NULL)
		return;
	fprintf(r->json, "{\"type\":\"start\"%s%s}\n", raw_fields[0] ? "," : "", raw_fields);
	fflush(r->json);
}
