/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * DPDK telemetry commands (stock dpdk-telemetry.py and `synack ss` are the
 * clients):
 *
 *   /synack/info             mode, version, config, uptime, workers and their ports
 *   /synack/stats[,W]        every counter and gauge: the total, or worker W's
 *   /synack/latency[,W]      count, min, p50/p90/p99/p99.9, max per histogram, ns
 *   /synack/conns[,FILTER]   the connection table (state, endpoints, srtt, cwnd, ...)
 *   /synack/listen           listening TCP and bound UDP ports per worker
 *
 * The callbacks run on DPDK's telemetry thread. Counters, gauges and
 * histograms are plain per-worker uint64_t words the workers write and any
 * reader may load (as the report does once a second). The connection table
 * is not read from here: each worker copies the matching connections into
 * a preallocated buffer itself, at its 1 ms timer pass (worker_request,
 * release/acquire), at most SNAP_BUDGET table slots per pass; this thread
 * waits a bounded time for it. A mutex orders the callbacks against
 * telemetry_stop() (both off the workers).
 *
 * Bounds: 22.11 telemetry answers at most 16 KB of JSON, dicts of 256 and
 * arrays of 512 entries; /synack/conns returns at most CONNS_MAX entries per
 * call (count=, offset= page through the rest), one string each.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_telemetry.h>
#include <rte_version.h>

#include "app/synack/synack.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"

/* entries per /synack/conns answer: 100 of at most ~135 bytes of JSON each
 * stay under 22.11's 16 KB answer (a longer one would be cut silently) */
#define CONNS_MAX     100
#define SNAP_BUDGET   16384u  /**< table slots a worker visits per 1 ms pass (a short stall) */
#define SNAP_WAIT_US  200000u /**< one request's wait */
#define SNAP_TOTAL_MS 10000u  /**< a whole walk's wait (10M slots: ~600 passes) */
#define LISTEN_MAX    500u    /**< array entries, under RTE_TEL_MAX_ARRAY_ENTRIES */

_Static_assert(STAT_MAX + GAUGE_MAX + 1 <= RTE_TEL_MAX_DICT_ENTRIES,
	       "/synack/stats answers one dict of every counter and gauge: page it");

static struct {
	pthread_mutex_t lock;
	struct synack *s; /**< NULL: not running */
	uint64_t t0_ms;
	struct tcp_snap snap[CFG_MAX_LCORES];
	struct {
		const struct tcp_ctx *c;
		struct tcp_snap *snap;
		bool complete;
	} job[CFG_MAX_LCORES];
	struct tcp_snap_entry *buf; /**< CONNS_MAX per worker */
} tel = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* "W" as a worker index; -1 = none given, -2 = not a worker. */
static int
param_worker(const struct synack *s, const char *params)
{
	char *end;
	long w;

	if (params == NULL || params[0] == '\0')
		return -1;
	w = strtol(params, &end, 10);
	if (*end != '\0' || w < 0 || w >= (long)s->pl.nb_workers)
		return -2;
	return (int)w;
}

static int
cmd_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct synack *s = tel.s;
	const struct cfg *cfg;

	(void)cmd;
	(void)params;
	if (s == NULL)
		return -EAGAIN;
	cfg = s->cfg;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "version", SYNACK_VERSION);
	rte_tel_data_add_dict_string(d, "dpdk", rte_version());
	rte_tel_data_add_dict_string(d, "mode", cfg_mode_name(cfg->run.mode));
	rte_tel_data_add_dict_string(d, "model",
				     s->pl.nb_clients ? cfg_model_name(cfg->client.model) : "none");
	rte_tel_data_add_dict_string(d, "config", cfg->file[0] ? cfg->file : "(defaults)");
	rte_tel_data_add_dict_string(d, "run_name", cfg->run.run_name);
	rte_tel_data_add_dict_string(d, "metrics", cfg->run.metrics);
	rte_tel_data_add_dict_int(d, "pid", (int)getpid());
	rte_tel_data_add_dict_u64(d, "uptime_ms", mono_ms() - tel.t0_ms);
	rte_tel_data_add_dict_u64(d, "duration_ms", cfg->run.duration_ms);
	rte_tel_data_add_dict_int(d, "running", s->ran && !*setup_stop_flag());
	rte_tel_data_add_dict_int(d, "workers", (int)s->pl.nb_workers);
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		const struct worker *wk = s->slot[w].w;
		struct rte_tel_data *a = rte_tel_data_alloc();
		char key[16], v[96], ip[INET_ADDRSTRLEN];

		if (a == NULL)
			return -ENOMEM;
		rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
		snprintf(v, sizeof(v), "lcore %u", s->slot[w].lcore);
		rte_tel_data_add_array_string(a, v);
		for (unsigned int p = 0; p < wk->nb_ports; p++) {
			const struct worker_port *wp = &wk->port[p];

			inet_ntop(AF_INET, &wp->ip, ip, sizeof(ip));
			snprintf(v, sizeof(v), "%s port%u queue %u %s",
				 wp->role & WORKER_ROLE_CLIENT ? "client" : "server", wp->index,
				 wp->queue, ip);
			rte_tel_data_add_array_string(a, v);
		}
		snprintf(key, sizeof(key), "w%u", w);
		rte_tel_data_add_dict_container(d, key, a, 0);
	}
	return 0;
}

static int
cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct synack *s = tel.s;
	uint64_t c[STAT_MAX] = {0}, g[GAUGE_MAX] = {0};
	static const char *const gname[] = {
#define X(name, help) #name,
		STATS_GAUGES(X)
#undef X
	};
	int w;

	(void)cmd;
	if (s == NULL)
		return -EAGAIN;
	if ((w = param_worker(s, params)) == -2)
		return -EINVAL;
	for (unsigned int i = 0; i < s->pl.nb_workers; i++) {
		const struct stats_worker *b = s->blocks[i];

		if (w >= 0 && (int)i != w)
			continue;
		for (int k = 0; k < STAT_MAX; k++)
			c[k] += b->c[k];
		for (int k = 0; k < GAUGE_MAX; k++)
			g[k] += b->g[k];
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "uptime_ms", mono_ms() - tel.t0_ms);
	for (int k = 0; k < STAT_MAX; k++)
		rte_tel_data_add_dict_u64(d, stats_name((enum stats_id)k), c[k]);
	for (int k = 0; k < GAUGE_MAX; k++)
		rte_tel_data_add_dict_u64(d, gname[k], g[k]);
	return 0;
}

static int
cmd_latency(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static struct stats_hist h; /* one telemetry thread: the callbacks never overlap */
	static const double qs[] = {0.5, 0.9, 0.99, 0.999};
	static const char *const qn[] = {"p50", "p90", "p99", "p999"};
	const struct synack *s = tel.s;
	double ns_per_tick;
	int w;

	(void)cmd;
	if (s == NULL)
		return -EAGAIN;
	if ((w = param_worker(s, params)) == -2)
		return -EINVAL;
	ns_per_tick = 1e9 / (double)rte_get_tsc_hz();
	rte_tel_data_start_dict(d);
	for (int id = 0; id < HIST_MAX; id++) {
		const char *name = stats_hist_name((enum stats_hist_id)id);
		char key[64];
		bool any = false;

		memset(&h, 0, sizeof(h));
		for (unsigned int i = 0; i < s->pl.nb_workers; i++) {
			if (s->blocks[i]->h[id] == NULL || (w >= 0 && (int)i != w))
				continue;
			stats_hist_merge(&h, s->blocks[i]->h[id]);
			any = true;
		}
		if (!any)
			continue;
		snprintf(key, sizeof(key), "%s_count", name);
		rte_tel_data_add_dict_u64(d, key, h.count);
		if (h.count == 0)
			continue;
		snprintf(key, sizeof(key), "%s_min_ns", name);
		rte_tel_data_add_dict_u64(d, key, (uint64_t)((double)h.min * ns_per_tick));
		for (unsigned int q = 0; q < RTE_DIM(qs); q++) {
			snprintf(key, sizeof(key), "%s_%s_ns", name, qn[q]);
			rte_tel_data_add_dict_u64(
				d, key,
				(uint64_t)((double)stats_hist_quantile(&h, qs[q]) * ns_per_tick));
		}
		snprintf(key, sizeof(key), "%s_max_ns", name);
		rte_tel_data_add_dict_u64(d, key, (uint64_t)((double)h.max * ns_per_tick));
		snprintf(key, sizeof(key), "%s_mean_ns", name);
		rte_tel_data_add_dict_u64(
			d, key, (uint64_t)((double)h.sum / (double)h.count * ns_per_tick));
	}
	return 0;
}

/* On the worker (worker_req): walk on from the cursor. */
static void
snap_on_worker(struct worker *w, void *arg)
{
	(void)w;
	tel.job[(uintptr_t)arg].complete = tcp_snapshot(tel.job[(uintptr_t)arg].c,
							tel.job[(uintptr_t)arg].snap, SNAP_BUDGET);
}

int
telemetry_parse_state(const char *v)
{
	char n[24];
	size_t i;

	/* ss's names (ESTAB, SYN-RECV), ours, '_' for '-', any case */
	for (i = 0; v[i] != '\0' && i < sizeof(n) - 1; i++)
		n[i] = v[i] == '_' ? '-' : (char)toupper((unsigned char)v[i]);
	n[i] = '\0';
	if (strcmp(n, "ESTAB") == 0)
		strcpy(n, "ESTABLISHED");
	else if (strcmp(n, "SYN-RECV") == 0)
		strcpy(n, "SYN-RECEIVED");
	for (int st = TCP_LISTEN; st <= TCP_TIME_WAIT; st++)
		if (strcmp(n, tcp_state_name((enum tcp_state)st)) == 0)
			return st;
	return -1;
}

/* "state=S,port=P,addr=A,count=N,offset=O" in any order, any subset. */
static int
parse_conns(const char *params, struct tcp_snap_filter *f, uint32_t *count, uint32_t *offset)
{
	char buf[256], *save = NULL, *kv;

	f->state = -1;
	f->port = 0;
	f->addr = 0;
	*count = CONNS_MAX;
	*offset = 0;
	if (params == NULL || params[0] == '\0')
		return 0;
	if (strlen(params) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, params);
	for (kv = strtok_r(buf, ",&", &save); kv != NULL; kv = strtok_r(NULL, ",&", &save)) {
		char *v = strchr(kv, '='), *end;
		unsigned long n;

		if (v == NULL)
			return -EINVAL;
		*v++ = '\0';
		if (strcmp(kv, "state") == 0) {
			if ((f->state = telemetry_parse_state(v)) < 0)
				return -EINVAL;
		} else if (strcmp(kv, "addr") == 0) {
			if (inet_pton(AF_INET, v, &f->addr) != 1)
				return -EINVAL;
		} else if (strcmp(kv, "port") == 0 || strcmp(kv, "count") == 0 ||
			   strcmp(kv, "offset") == 0) {
			n = strtoul(v, &end, 10);
			if (*end != '\0' || v[0] == '\0' || n > UINT32_MAX)
				return -EINVAL;
			if (kv[0] == 'p' && (n == 0 || n > 65535))
				return -EINVAL;
			if (kv[0] == 'p')
				f->port = (uint16_t)n;
			else if (kv[0] == 'c')
				*count = n < CONNS_MAX ? (uint32_t)n : CONNS_MAX;
			else
				*offset = (uint32_t)n;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Worker w walks its own table (at most SNAP_BUDGET slots a pass); this
 * thread hands the next pass on until the walk is complete or the time is
 * up. 0, or -errno.
 */
static int
snapshot_one(struct synack *s, unsigned int w, const struct tcp_snap_filter *f, uint32_t skip,
	     uint32_t max)
{
	uint64_t t_end = mono_ms() + SNAP_TOTAL_MS;
	int r;

	/* a request that timed out earlier may still be served: its buffer
	 * and walk stay the worker's until then */
	if (!worker_request_idle(s->slot[w].w))
		return -EBUSY;
	memset(&tel.snap[w], 0, sizeof(tel.snap[w]));
	tel.snap[w].f = *f;
	tel.snap[w].skip = skip;
	tel.snap[w].max = max;
	tel.snap[w].buf = tel.buf + (size_t)w * CONNS_MAX;
	tel.job[w].c = s->slot[w].tcp;
	tel.job[w].snap = &tel.snap[w];
	tel.job[w].complete = s->slot[w].tcp == NULL;
	while (!tel.job[w].complete) {
		if (*setup_stop_flag() || !s->ran)
			return -ESRCH;
		r = worker_request(s->slot[w].w, snap_on_worker, (void *)(uintptr_t)w,
				   SNAP_WAIT_US);
		if (r != 0)
			return r;
		if (!tel.job[w].complete && mono_ms() > t_end)
			return -ETIMEDOUT;
	}
	return 0;
}

static int
cmd_conns(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct synack *s = tel.s;
	struct tcp_snap_filter f;
	uint32_t count, offset, total = 0, shown = 0, left;
	uint32_t by_state[TCP_TIME_WAIT + 1] = {0};
	struct rte_tel_data *a, *st;
	int r;

	(void)cmd;
	if (s == NULL)
		return -EAGAIN;
	if (parse_conns(params, &f, &count, &offset) != 0)
		return -EINVAL;
	a = rte_tel_data_alloc();
	st = rte_tel_data_alloc();
	if (a == NULL || st == NULL) {
		rte_tel_data_free(a);
		rte_tel_data_free(st);
		return -ENOMEM;
	}
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	/* worker order, then table order: skip offset, show count */
	left = offset;
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		const struct tcp_snap *sn = &tel.snap[w];

		if ((r = snapshot_one(s, w, &f, left, count - shown)) != 0) {
			rte_tel_data_free(a);
			rte_tel_data_free(st);
			return r;
		}
		left -= RTE_MIN(left, sn->matched);
		total += sn->matched;
		for (int k = 0; k <= TCP_TIME_WAIT; k++)
			by_state[k] += sn->by_state[k];
		for (uint32_t i = 0; i < sn->n; i++) {
			const struct tcp_snap_entry *e = &sn->buf[i];
			char l[INET_ADDRSTRLEN], rr[INET_ADDRSTRLEN], v[RTE_TEL_MAX_STRING_LEN];

			inet_ntop(AF_INET, &e->lip, l, sizeof(l));
			inet_ntop(AF_INET, &e->rip, rr, sizeof(rr));
			snprintf(v, sizeof(v),
				 "%s %s:%u %s:%u %u %u %" PRIu32 " %" PRIu32 " %" PRIu32 " %" PRIu32
				 " %" PRIu32 " %u",
				 tcp_state_name((enum tcp_state)e->info.state), l,
				 rte_be_to_cpu_16(e->lport), rr, rte_be_to_cpu_16(e->rport), w,
				 e->port, e->info.queued, e->info.flight, e->info.srtt_us,
				 e->info.rto_ms, e->info.cwnd, e->info.total_retrans);
			rte_tel_data_add_array_string(a, v);
			shown++;
		}
	}
	rte_tel_data_start_array(st, RTE_TEL_STRING_VAL);
	for (int k = TCP_LISTEN; k <= TCP_TIME_WAIT; k++) {
		char v[48];

		if (by_state[k] == 0)
			continue;
		snprintf(v, sizeof(v), "%s %" PRIu32, tcp_state_name((enum tcp_state)k),
			 by_state[k]);
		rte_tel_data_add_array_string(st, v);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", total);
	rte_tel_data_add_dict_u64(d, "offset", offset);
	rte_tel_data_add_dict_u64(d, "shown", shown);
	rte_tel_data_add_dict_u64(d, "max_per_call", CONNS_MAX);
	rte_tel_data_add_dict_string(d, "fields",
				     "state local remote worker port send_q flight "
				     "srtt_us rto_ms cwnd retrans");
	rte_tel_data_add_dict_container(d, "states", st, 0);
	rte_tel_data_add_dict_container(d, "conns", a, 0);
	return 0;
}

static int
cmd_listen(const char *cmd, const char *params, struct rte_tel_data *d)
{
	static uint16_t ports[LISTEN_MAX];
	static enum udp_port_kind kinds[LISTEN_MAX];
	static const char *const kname[] = {"none", "echo", "sink", "app"};
	const struct synack *s = tel.s;
	struct rte_tel_data *t, *u;
	uint32_t nt = 0, nu = 0, tt = 0, tu = 0;

	(void)cmd;
	(void)params;
	if (s == NULL)
		return -EAGAIN;
	t = rte_tel_data_alloc();
	u = rte_tel_data_alloc();
	if (t == NULL || u == NULL) {
		rte_tel_data_free(t);
		rte_tel_data_free(u);
		return -ENOMEM;
	}
	rte_tel_data_start_array(t, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(u, RTE_TEL_STRING_VAL);
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		const struct worker *wk = s->slot[w].w;
		uint32_t n;

		/* a listener takes every address of the worker's server ports */
		for (unsigned int p = 0; p < wk->nb_ports; p++) {
			const struct worker_port *wp = &wk->port[p];
			char ip[INET_ADDRSTRLEN], v[64];

			if (!(wp->role & WORKER_ROLE_SERVER))
				continue;
			inet_ntop(AF_INET, &wp->ip, ip, sizeof(ip));
			if (s->slot[w].tcp != NULL) {
				n = tcp_listeners(s->slot[w].tcp, ports, LISTEN_MAX);
				tt += n;
				for (uint32_t i = 0; i < n && i < LISTEN_MAX && nt < LISTEN_MAX;
				     i++, nt++) {
					snprintf(v, sizeof(v), "%u %s:%u", w, ip, ports[i]);
					rte_tel_data_add_array_string(t, v);
				}
			}
			if (s->slot[w].udp != NULL) {
				n = udp_bound(s->slot[w].udp, ports, kinds, LISTEN_MAX);
				tu += n;
				for (uint32_t i = 0; i < n && i < LISTEN_MAX && nu < LISTEN_MAX;
				     i++, nu++) {
					snprintf(v, sizeof(v), "%u %s:%u %s", w, ip, ports[i],
						 kname[kinds[i]]);
					rte_tel_data_add_array_string(u, v);
				}
			}
		}
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "fields", "worker local [udp: echo|sink|app]");
	rte_tel_data_add_dict_u64(d, "tcp_total", tt);
	rte_tel_data_add_dict_u64(d, "udp_total", tu);
	rte_tel_data_add_dict_container(d, "tcp", t, 0);
	rte_tel_data_add_dict_container(d, "udp", u, 0);
	return 0;
}

/* Each callback under the lock, so that telemetry_stop() waits for it. */
#define LOCKED(name) \
	static int name##_locked(const char *cmd, const char *params, struct rte_tel_data *d) \
	{ \
		int r; \
		pthread_mutex_lock(&tel.lock); \
		r = name(cmd, params, d); \
		pthread_mutex_unlock(&tel.lock); \
		return r; \
	}
LOCKED(cmd_info)
LOCKED(cmd_stats)
LOCKED(cmd_latency)
LOCKED(cmd_conns)
LOCKED(cmd_listen)

/*
 * Whether DIR/dpdk_telemetry.v2[:inst] answers with our pid (the server's
 * greeting carries it); path gets the name either way.
 */
static bool
socket_is_ours(const char *dir, int inst, char *path, size_t len)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	char buf[1024];
	const char *pid;
	ssize_t n;
	int fd, l;

	if (inst == 0)
		l = snprintf(path, len, "%s/dpdk_telemetry.v2", dir);
	else
		l = snprintf(path, len, "%s/dpdk_telemetry.v2:%d", dir, inst);
	if (l < 0 || (size_t)l >= len || (size_t)l >= sizeof(sun.sun_path))
		return false;
	memcpy(sun.sun_path, path, (size_t)l + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		return false;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	pid = strstr(buf, "\"pid\":");
	return pid != NULL && strtol(pid + 6, NULL, 10) == (long)getpid();
}

int
telemetry_start(struct synack *s)
{
	static bool registered;
	char path[PATH_MAX];

	tel.t0_ms = mono_ms();
	if (!s->cfg->run.telemetry)
		return 0;
	tel.buf = calloc((size_t)s->pl.nb_workers * CONNS_MAX, sizeof(*tel.buf));
	if (tel.buf == NULL) {
		fprintf(stderr, "synack: telemetry: %s\n", strerror(ENOMEM));
		return EXIT_USAGE;
	}
	pthread_mutex_lock(&tel.lock);
	tel.s = s;
	pthread_mutex_unlock(&tel.lock);
	if (!registered) {
		rte_telemetry_register_cmd("/synack/info", cmd_info_locked,
					   "Mode, version, config, uptime, workers. No parameters");
		rte_telemetry_register_cmd(
			"/synack/stats", cmd_stats_locked,
			"Every counter and gauge, summed over the workers. Parameter: worker index");
		rte_telemetry_register_cmd(
			"/synack/latency", cmd_latency_locked,
			"Latency per histogram so far, ns. Parameter: worker index");
		rte_telemetry_register_cmd(
			"/synack/conns", cmd_conns_locked,
			"Connection table. Parameters: state=S,port=P,addr=A,count=N,offset=O");
		rte_telemetry_register_cmd("/synack/listen", cmd_listen_locked,
					   "Listening TCP and bound UDP ports. No parameters");
		registered = true;
	}
	/* the prefix is the runtime directory's name, derived or given after "--" */
	const char *dir = rte_eal_get_runtime_dir(), *prefix = strrchr(dir, '/');
	int inst;

	prefix = prefix != NULL ? prefix + 1 : dir;
	/* with a prefix another process shares, EAL takes dpdk_telemetry.v2:N */
	for (inst = 0; inst < 10; inst++)
		if (socket_is_ours(dir, inst, path, sizeof(path)))
			break;
	if (inst == 0)
		printf("synack: telemetry: %s (dpdk-telemetry.py -f %s; synack ss -f %s)\n", path,
		       prefix, prefix);
	else if (inst < 10)
		printf("synack: telemetry: %s (dpdk-telemetry.py -f %s -i %d; synack ss -s %s)\n",
		       path, prefix, inst, path);
	else
		printf("synack: telemetry: no socket of this process in %s (EAL --no-telemetry?)\n",
		       dir);
	fflush(stdout);
	return 0;
}

void
telemetry_stop(struct synack *s)
{
	(void)s;
	pthread_mutex_lock(&tel.lock);
	tel.s = NULL;
	pthread_mutex_unlock(&tel.lock);
	/* a request that timed out may still sit with a worker: the workers
	 * are stopped here, so it is never served; the buffer can go */
	free(tel.buf);
	tel.buf = NULL;
}
