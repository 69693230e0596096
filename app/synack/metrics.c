/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Prometheus endpoint ([run] metrics = A.B.C.D:PORT): GET /metrics in
 * the text exposition format 0.0.4, over a kernel TCP socket the main lcore
 * polls once a loop (metrics_poll): a non-blocking listener and at most
 * METRICS_CONNS connections, each read, answered and written as the
 * socket takes it, so a slow scraper never stalls the report. The workers
 * are never involved: their counters, gauges and histograms are plain
 * uint64_t words read here as the report reads them.
 *
 * Series (every one with worker="W" and, when [run] run_name is set,
 * run="NAME"): synack_<counter>_total, synack_drops_total{reason=...},
 * the gauges, synack_port_*_total{port=...} from the ethdev counters, and
 * synack_latency_<hist>_seconds histograms. Histogram buckets: le bounds
 * at 1-2.5-5 steps from 1 us to 10 s. Bucket sums are exact sums of the
 * log-linear histogram's buckets: a value counts under le when the lowest
 * value of its histogram bucket is <= le (in TSC ticks), so a bound is
 * exact to the histogram's 1/128 (values up to 0.8% above a bound may count
 * under it); _count is the sum of every bucket (= le="+Inf").
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "app/synack/synack.h"

#define METRICS_CONNS	4
#define METRICS_REQ_MAX 2048
#define METRICS_IDLE_MS 5000 /**< a connection that takes longer is closed */

struct mconn {
	int fd; /**< -1 = free */
	uint64_t t0;
	char req[METRICS_REQ_MAX];
	size_t req_n;
	char *out; /**< the answer, once the request is whole */
	size_t out_n, out_off;
};

struct sbuf {
	char *p;
	size_t n, cap;
	bool oom;
};

static struct {
	int lfd; /**< -1 = off */
	struct mconn c[METRICS_CONNS];
	uint64_t t0_ms;
	uint64_t scrapes;
} m = {.lfd = -1};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void __rte_format_printf(2, 3) sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < b->cap - b->n) {
			b->n += (size_t)n;
			return;
		}
		size_t cap = b->cap * 2 + (size_t)n + 1;
		char *p = realloc(b->p, cap);

		if (p == NULL) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

/* A series' labels: run (when set), then name=value (worker, port) when given. */
static void
labels(struct sbuf *b, const struct synack *s, const char *name, const char *value)
{
	bool first = true;

	if (name == NULL && s->cfg->run.run_name[0] == '\0')
		return; /* no label at all: no braces */
	sb_printf(b, "{");
	if (s->cfg->run.run_name[0] != '\0') {
		sb_printf(b, "run=\"%s\"", s->cfg->run.run_name); /* [A-Za-z0-9._-] */
		first = false;
	}
	if (name != NULL)
		sb_printf(b, "%s%s=\"%s\"", first ? "" : ",", name, value);
	sb_printf(b, "}");
}

static void
head(struct sbuf *b, const char *name, const char *type, const char *help)
{
	sb_printf(b, "# HELP %s ", name);
	for (const char *p = help; *p != '\0'; p++) /* escape \ and newline */
		if (*p == '\\')
			sb_printf(b, "\\\\");
		else if (*p == '\n')
			sb_printf(b, "\\n");
		else
			sb_printf(b, "%c", *p);
	sb_printf(b, "\n# TYPE %s %s\n", name, type);
}

/*
 * synack_<counter>_total, with a name part promtool's lint takes for an
 * abbreviated unit (ns, us, ms, ...: "nd_ns_rx") spelt out ("nd_nsol_rx").
 */
static void
counter_name(char *out, size_t len, const char *n)
{
	static const char *const ab[][2] = {{"ns", "nsol"}, {"us", "ours"}, {"ms", "msgs"}};
	size_t off = (size_t)snprintf(out, len, "synack");

	while (*n != '\0' && off < len) {
		size_t l = strcspn(n, "_");
		const char *tok = n;
		int tl = (int)l;

		for (unsigned int i = 0; i < RTE_DIM(ab); i++)
			if (l == strlen(ab[i][0]) && strncmp(n, ab[i][0], l) == 0) {
				tok = ab[i][1];
				tl = (int)strlen(tok);
			}
		off += (size_t)snprintf(out + off, len - off, "_%.*s", tl, tok);
		n += l + (n[l] == '_');
	}
	if (off < len)
		snprintf(out + off, len - off, "_total");
}

static void
counters(struct sbuf *b, const struct synack *s)
{
	char name[96];

	for (int k = 0; k < STAT_MAX; k++) {
		const char *n = stats_name((enum stats_id)k);

		if (strncmp(n, "drop_", 5) == 0)
			continue;
		counter_name(name, sizeof(name), n);
		head(b, name, "counter", stats_help((enum stats_id)k));
		for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
			char wid[12];

			snprintf(wid, sizeof(wid), "%u", w);
			sb_printf(b, "%s", name);
			labels(b, s, "worker", wid);
			sb_printf(b, " %" PRIu64 "\n", s->blocks[w]->c[k]);
		}
	}
	head(b, "synack_drops_total", "counter",
	     "packets dropped or refused, by reason (the drop_* counters without the prefix)");
	for (int k = 0; k < STAT_MAX; k++) {
		const char *n = stats_name((enum stats_id)k);

		if (strncmp(n, "drop_", 5) != 0)
			continue;
		for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
			char wid[12];

			snprintf(wid, sizeof(wid), "%u", w);
			sb_printf(b, "synack_drops_total{");
			if (s->cfg->run.run_name[0] != '\0')
				sb_printf(b, "run=\"%s\",", s->cfg->run.run_name);
			sb_printf(b, "reason=\"%s\",worker=\"%s\"} %" PRIu64 "\n", n + 5, wid,
				  s->blocks[w]->c[k]);
		}
	}
}

static void
gauges(struct sbuf *b, const struct synack *s)
{
	static const struct {
		const char *name, *help;
	} g[] = {
#define X(name, help) {#name, help},
		STATS_GAUGES(X)
#undef X
	};
	char name[96];

	for (unsigned int k = 0; k < RTE_DIM(g); k++) {
		size_t l = strlen(g[k].name);
		bool us = l > 3 && strcmp(g[k].name + l - 3, "_us") == 0;

		/* base units: a _us gauge goes out in seconds */
		if (us)
			snprintf(name, sizeof(name), "synack_%.*s_seconds", (int)(l - 3),
				 g[k].name);
		else
			snprintf(name, sizeof(name), "synack_%s", g[k].name);
		head(b, name, "gauge", g[k].help);
		for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
			char wid[12];

			snprintf(wid, sizeof(wid), "%u", w);
			sb_printf(b, "%s", name);
			labels(b, s, "worker", wid);
			if (us)
				sb_printf(b, " %.9g\n", (double)s->blocks[w]->g[k] / 1e6);
			else
				sb_printf(b, " %" PRIu64 "\n", s->blocks[w]->g[k]);
		}
	}
}

static void
ports(struct sbuf *b, const struct synack *s)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} f[] = {
		{"synack_port_rx_packets_total", "frames the port received (ethdev ipackets)",
		 offsetof(struct rte_eth_stats, ipackets)},
		{"synack_port_tx_packets_total", "frames the port sent (ethdev opackets)",
		 offsetof(struct rte_eth_stats, opackets)},
		{"synack_port_rx_bytes_total", "bytes the port received (ethdev ibytes)",
		 offsetof(struct rte_eth_stats, ibytes)},
		{"synack_port_tx_bytes_total", "bytes the port sent (ethdev obytes)",
		 offsetof(struct rte_eth_stats, obytes)},
		{"synack_port_rx_missed_total", "frames the port dropped: RX queues full (imissed)",
		 offsetof(struct rte_eth_stats, imissed)},
		{"synack_port_rx_errors_total", "erroneous frames received (ierrors)",
		 offsetof(struct rte_eth_stats, ierrors)},
		{"synack_port_tx_errors_total", "frames the port failed to send (oerrors)",
		 offsetof(struct rte_eth_stats, oerrors)},
		{"synack_port_rx_nombuf_total", "RX mbuf allocation failures (rx_nombuf)",
		 offsetof(struct rte_eth_stats, rx_nombuf)},
	};
	struct rte_eth_stats st[CFG_MAX_PORTS];
	bool ok[CFG_MAX_PORTS];

	for (unsigned int p = 0; p < s->nb_up; p++)
		ok[p] = rte_eth_stats_get(s->ports[p].port_id, &st[p]) == 0;
	for (unsigned int k = 0; k < RTE_DIM(f); k++) {
		head(b, f[k].name, "counter", f[k].help);
		for (unsigned int p = 0; p < s->nb_up; p++) {
			char pid[12];

			if (!ok[p])
				continue;
			snprintf(pid, sizeof(pid), "%u", p);
			sb_printf(b, "%s", f[k].name);
			labels(b, s, "port", pid);
			sb_printf(b, " %" PRIu64 "\n",
				  *(const uint64_t *)((const char *)&st[p] + f[k].off));
		}
	}
}

static const double le_s[] = {
	1e-6, 2.5e-6, 5e-6,   1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3,
	5e-3, 1e-2,   2.5e-2, 5e-2, 0.1,    0.25, 0.5,	1,	2.5,  5,    10,
};

static void
histograms(struct sbuf *b, const struct synack *s)
{
	static const char *const help[] = {
#define X(name, help) help,
		STATS_HISTS(X)
#undef X
	};
	const double hz = (double)rte_get_tsc_hz();
	unsigned int idx[RTE_DIM(le_s)];
	char name[96], lab[160];

	/* every bucket up to (and with) the one holding the bound counts under it */
	for (unsigned int i = 0; i < RTE_DIM(le_s); i++)
		idx[i] = stats_hist_index((uint64_t)(le_s[i] * hz));
	for (int id = 0; id < HIST_MAX; id++) {
		bool any = false;

		for (unsigned int w = 0; w < s->pl.nb_workers; w++)
			any |= s->blocks[w]->h[id] != NULL;
		if (!any)
			continue;
		snprintf(name, sizeof(name), "synack_latency_%s_seconds",
			 stats_hist_name((enum stats_hist_id)id));
		head(b, name, "histogram", help[id]);
		for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
			const struct stats_hist *h = s->blocks[w]->h[id];
			uint64_t cum = 0;
			unsigned int j = 0;

			if (h == NULL)
				continue;
			snprintf(lab, sizeof(lab), "%s%s%sworker=\"%u\"",
				 s->cfg->run.run_name[0] ? "run=\"" : "", s->cfg->run.run_name,
				 s->cfg->run.run_name[0] ? "\"," : "", w);
			for (unsigned int i = 0; i < RTE_DIM(le_s); i++) {
				for (; j <= idx[i] && j < HIST_BUCKETS; j++)
					cum += h->b[j];
				sb_printf(b, "%s_bucket{%s,le=\"%g\"} %" PRIu64 "\n", name, lab,
					  le_s[i], cum);
			}
			for (; j < HIST_BUCKETS; j++)
				cum += h->b[j];
			sb_printf(b, "%s_bucket{%s,le=\"+Inf\"} %" PRIu64 "\n", name, lab, cum);
			sb_printf(b, "%s_sum{%s} %.9g\n", name, lab, (double)h->sum / hz);
			sb_printf(b, "%s_count{%s} %" PRIu64 "\n", name, lab, cum);
		}
	}
}

/* The whole exposition into b. */
static void
expose(struct sbuf *b, const struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	head(b, "synack_info", "gauge", "the run: version, mode and load model (value 1)");
	sb_printf(b, "synack_info{");
	if (cfg->run.run_name[0] != '\0')
		sb_printf(b, "run=\"%s\",", cfg->run.run_name);
	sb_printf(b, "version=\"%s\",mode=\"%s\",model=\"%s\"} 1\n", SYNACK_VERSION,
		  cfg_mode_name(cfg->run.mode),
		  s->pl.nb_clients ? cfg_model_name(cfg->client.model) : "none");
	head(b, "synack_uptime_seconds", "gauge", "seconds since the metrics endpoint opened");
	sb_printf(b, "synack_uptime_seconds");
	labels(b, s, NULL, NULL);
	sb_printf(b, " %.3f\n", (double)(mono_ms() - m.t0_ms) / 1000.0);
	head(b, "synack_running", "gauge", "1 while the workers run, 0 before and after");
	sb_printf(b, "synack_running");
	labels(b, s, NULL, NULL);
	sb_printf(b, " %d\n", s->ran && !*setup_stop_flag());
	head(b, "synack_workers", "gauge", "worker lcores");
	sb_printf(b, "synack_workers");
	labels(b, s, NULL, NULL);
	sb_printf(b, " %u\n", s->pl.nb_workers);
	head(b, "synack_metrics_scrapes_total", "counter", "answers given by this endpoint");
	sb_printf(b, "synack_metrics_scrapes_total");
	labels(b, s, NULL, NULL);
	sb_printf(b, " %" PRIu64 "\n", m.scrapes);
	counters(b, s);
	gauges(b, s);
	ports(b, s);
	histograms(b, s);
}

int
metrics_open(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	char host[32];
	const char *colon;
	int one = 1;

	m.t0_ms = mono_ms();
	for (unsigned int i = 0; i < METRICS_CONNS; i++)
		m.c[i].fd = -1;
	if (cfg->run.metrics[0] == '\0')
		return 0;
	colon = strrchr(cfg->run.metrics, ':'); /* validated by lib/config */
	snprintf(host, sizeof(host), "%.*s", (int)(colon - cfg->run.metrics), cfg->run.metrics);
	inet_pton(AF_INET, host, &sa.sin_addr);
	sa.sin_port = htons((uint16_t)atoi(colon + 1));
	m.lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m.lfd < 0 || setsockopt(m.lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(m.lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(m.lfd, 16) != 0) {
		fprintf(stderr, "synack: %s:run:metrics: cannot listen on %s: %s\n",
			cfg->file[0] ? cfg->file : "(defaults)", cfg->run.metrics, strerror(errno));
		if (m.lfd >= 0)
			close(m.lfd);
		m.lfd = -1;
		return EXIT_USAGE;
	}
	printf("synack: metrics: http://%s/metrics\n", cfg->run.metrics);
	fflush(stdout);
	return 0;
}

static void
conn_close(struct mconn *c)
{
	close(c->fd);
	c->fd = -1;
	free(c->out);
	c->out = NULL;
	c->req_n = c->out_n = c->out_off = 0;
}

/* The request is whole: build the answer (GET /metrics, else 404 / 405). */
static void
conn_answer(struct mconn *c, const struct synack *s)
{
	struct sbuf body = {.cap = 65536}, all = {.cap = 256};
	const char *status = "200 OK";
	const char *ctype = "text/plain; version=0.0.4; charset=utf-8";

	body.p = malloc(body.cap);
	body.oom = body.p == NULL;
	if (strncmp(c->req, "GET ", 4) != 0 && strncmp(c->req, "HEAD ", 5) != 0) {
		status = "405 Method Not Allowed";
		sb_printf(&body, "only GET /metrics\n");
	} else if (strncmp(c->req + (c->req[0] == 'G' ? 4 : 5), "/metrics", 8) != 0 ||
		   (c->req[(c->req[0] == 'G' ? 4 : 5) + 8] != ' ' &&
		    c->req[(c->req[0] == 'G' ? 4 : 5) + 8] != '?')) {
		status = "404 Not Found";
		sb_printf(&body, "synack: the metrics are at /metrics\n");
	} else {
		m.scrapes++;
		expose(&body, s);
	}
	all.p = malloc(all.cap + body.n);
	all.cap += body.n;
	all.oom = all.p == NULL || body.oom;
	sb_printf(&all,
		  "HTTP/1.0 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		  "Connection: close\r\n\r\n",
		  status, ctype, body.n);
	if (!all.oom && c->req[0] == 'G' && body.n > 0) {
		if (all.cap - all.n < body.n) {
			all.oom = true;
		} else {
			memcpy(all.p + all.n, body.p, body.n);
			all.n += body.n;
		}
	}
	free(body.p);
	if (all.oom) {
		free(all.p);
		all.p = NULL;
		all.n = 0;
	}
	c->out = all.p;
	c->out_n = all.n;
	c->out_off = 0;
}

/* One pass over one connection: read what came, write what the socket takes. */
static void
conn_poll(struct mconn *c, const struct synack *s, uint64_t now)
{
	ssize_t r;

	if (c->out == NULL) {
		r = read(c->fd, c->req + c->req_n, sizeof(c->req) - 1 - c->req_n);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			conn_close(c);
			return;
		}
		if (r > 0) {
			c->req_n += (size_t)r;
			c->req[c->req_n] = '\0';
		}
		if (strstr(c->req, "\r\n\r\n") != NULL || strstr(c->req, "\n\n") != NULL) {
			conn_answer(c, s);
			if (c->out == NULL) {
				conn_close(c);
				return;
			}
		} else if (c->req_n >= sizeof(c->req) - 1) {
			conn_close(c); /* a request head over 2 KB: not a scraper */
			return;
		}
	}
	while (c->out != NULL && c->out_off < c->out_n) {
		r = write(c->fd, c->out + c->out_off, c->out_n - c->out_off);
		if (r < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_close(c);
			break;
		}
		c->out_off += (size_t)r;
	}
	if (c->fd >= 0 && c->out != NULL && c->out_off == c->out_n) {
		conn_close(c);
		return;
	}
	if (c->fd >= 0 && now - c->t0 > METRICS_IDLE_MS)
		conn_close(c);
}

void
metrics_poll(struct synack *s)
{
	uint64_t now;

	if (m.lfd < 0)
		return;
	now = mono_ms();
	for (unsigned int i = 0; i < METRICS_CONNS; i++) {
		int fd;

		if (m.c[i].fd >= 0)
			continue;
		fd = accept4(m.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break;
		m.c[i].fd = fd;
		m.c[i].t0 = now;
	}
	for (unsigned int i = 0; i < METRICS_CONNS; i++)
		if (m.c[i].fd >= 0)
			conn_poll(&m.c[i], s, now);
}

void
metrics_close(void)
{
	if (m.lfd < 0) /* never opened: no connection either */
		return;
	for (unsigned int i = 0; i < METRICS_CONNS; i++)
		if (m.c[i].fd >= 0)
			conn_close(&m.c[i]);
	if (m.lfd >= 0)
		close(m.lfd);
	m.lfd = -1;
}
