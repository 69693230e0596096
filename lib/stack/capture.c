/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pcapng capture (capture.h): the workers copy, the main lcore writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_bpf.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pcapng.h>
#include <rte_ring.h>
#include <rte_version.h>

#include "capture.h"

#define CAP_BURST 64

struct capture {
	rte_pcapng_t *pcapng;
	unsigned int nb_q;
	struct capture_q *q;
	uint64_t limit_pkts, limit_bytes;
	/* under a limit: the newest copies, oldest first (a ring of pointers) */
	struct rte_mbuf **keep;
	uint64_t keep_cap, keep_head, keep_n, keep_bytes;
	uint64_t written, limit_dropped, write_err;
	uint64_t t_start_ns;
};

static uint64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static struct rte_bpf *
filter_load(const char *expr, uint32_t snaplen, char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	struct rte_bpf *bpf = NULL;

	if (p == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return NULL;
	}
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "filter \"%s\": %s", expr, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	struct rte_bpf_prm *prm = rte_bpf_convert(&prog);
	if (prm == NULL)
		snprintf(err, errlen, "filter \"%s\": rte_bpf_convert: %s", expr,
			 rte_strerror(rte_errno));
	else if ((bpf = rte_bpf_load(prm)) == NULL)
		snprintf(err, errlen, "filter \"%s\": rte_bpf_load: %s", expr,
			 rte_strerror(rte_errno));
	rte_free(prm);
	pcap_freecode(&prog);
	pcap_close(p);
	return bpf;
}

int
capture_filter_check(const char *expr, uint32_t snaplen, char *err, size_t errlen)
{
	struct bpf_program prog;
	pcap_t *p;

	if (expr == NULL || expr[0] == '\0')
		return 0;
	p = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	if (p == NULL) {
		snprintf(err, errlen, "pcap_open_dead failed");
		return -1;
	}
	int rc = pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN);
	if (rc != 0)
		snprintf(err, errlen, "%s", pcap_geterr(p));
	else
		pcap_freecode(&prog);
	pcap_close(p);
	return rc != 0 ? -1 : 0;
}

struct capture *
capture_open(const struct capture_conf *conf, unsigned int nb_workers, const int *socket, char *err,
	     size_t errlen)
{
	struct capture *c = calloc(1, sizeof(*c));
	int fd = -1;

	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->limit_pkts = conf->limit_pkts;
	c->limit_bytes = conf->limit_bytes;
	c->nb_q = nb_workers;
	c->q = rte_zmalloc("capture_q", nb_workers * sizeof(*c->q), RTE_CACHE_LINE_SIZE);
	if (c->q == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (c->limit_pkts != 0 || c->limit_bytes != 0) {
		c->keep_cap = c->limit_pkts != 0 ? c->limit_pkts : c->limit_bytes / 60 + 1;
		c->keep = calloc(c->keep_cap, sizeof(*c->keep));
		if (c->keep == NULL) {
			snprintf(err, errlen, "out of memory for %" PRIu64 " kept packets",
				 c->keep_cap);
			goto fail;
		}
	}
	uint32_t dsz = rte_pcapng_mbuf_size(conf->snaplen);
	for (unsigned int w = 0; w < nb_workers; w++) {
		struct capture_q *q = &c->q[w];
		char name[RTE_MEMPOOL_NAMESIZE];

		q->snaplen = conf->snaplen;
		snprintf(name, sizeof(name), "cap_pool%u", w);
		q->pool = rte_pktmbuf_pool_create(name, conf->pool_size, 256, 0, dsz, socket[w]);
		snprintf(name, sizeof(name), "cap_ring%u", w);
		q->ring = rte_ring_create(name, rte_align32pow2(conf->pool_size), socket[w],
					  RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (q->pool == NULL || q->ring == NULL) {
			snprintf(err, errlen, "capture pool/ring for worker %u: %s", w,
				 rte_strerror(rte_errno));
			goto fail;
		}
		if (conf->filter != NULL && conf->filter[0] != '\0') {
			q->bpf = filter_load(conf->filter, conf->snaplen, err, errlen);
			if (q->bpf == NULL)
				goto fail;
		}
	}
	fd = open(conf->file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open \"%s\": %s", conf->file, strerror(errno));
		goto fail;
	}
	char os[64];
	snprintf(os, sizeof(os), "Linux");
	c->pcapng = rte_pcapng_fdopen(fd, os, NULL, "synack 0.1.0", NULL);
	if (c->pcapng == NULL) {
		snprintf(err, errlen, "rte_pcapng_fdopen \"%s\": %s", conf->file,
			 rte_strerror(rte_errno));
		close(fd);
		goto fail;
	}
	c->t_start_ns = wall_ns();
	for (unsigned int w = 0; w < nb_workers; w++) {
		c->q[w].base_tsc = rte_get_tsc_cycles();
		c->q[w].base_ns = c->t_start_ns;
		c->q[w].hz = rte_get_tsc_hz();
	}
	/* the library sets its own clock base at its first copy: make that
	 * here, on the main lcore, not on a worker's data path */
	struct rte_mbuf *probe = rte_pktmbuf_alloc(c->q[0].pool);
	if (probe != NULL && rte_pktmbuf_append(probe, 60) != NULL) {
		memset(rte_pktmbuf_mtod(probe, void *), 0, 60);
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
		rte_pktmbuf_free(rte_pcapng_copy(0, 0, probe, c->q[0].pool, 60,
						 RTE_PCAPNG_DIRECTION_UNKNOWN, NULL));
#else
		rte_pktmbuf_free(rte_pcapng_copy(0, 0, probe, c->q[0].pool, 60,
						 rte_get_tsc_cycles(),
						 RTE_PCAPNG_DIRECTION_UNKNOWN));
#endif
	}
	rte_pktmbuf_free(probe);
	return c;
fail:
	if (c->q != NULL)
		for (unsigned int w = 0; w < nb_workers; w++) {
			rte_ring_free(c->q[w].ring);
			rte_mempool_free(c->q[w].pool);
			if (c->q[w].bpf != NULL)
				rte_bpf_destroy(c->q[w].bpf);
		}
	rte_free(c->q);
	free(c->keep);
	free(c);
	return NULL;
}

struct capture_q *
capture_queue(struct capture *c, unsigned int w)
{
	return w < c->nb_q ? &c->q[w] : NULL;
}

void
capture_burst(struct capture_q *q, uint16_t port_id, uint16_t queue, struct rte_mbuf **m,
	      uint16_t n, int dir, uint64_t tsc)
{
	struct rte_mbuf *cp[CAP_BURST];
	uint64_t rc[CAP_BURST];
	uint16_t nc = 0;

	/* the timestamp is ours (the burst's TSC on the wall clock of the
	 * open): 22.11's own TSC conversion gives dates centuries off here */
	uint64_t d = tsc > q->base_tsc ? tsc - q->base_tsc : 0;
	uint64_t ns = q->base_ns + d / q->hz * 1000000000ULL + d % q->hz * 1000000000ULL / q->hz;
	while (n > 0) {
		uint16_t k = n < CAP_BURST ? n : CAP_BURST;

		if (q->bpf != NULL)
			rte_bpf_exec_burst(q->bpf, (void **)m, rc, k);
		nc = 0;
		for (uint16_t i = 0; i < k; i++) {
			if (q->bpf != NULL && rc[i] == 0)
				continue;
#if RTE_VERSION >= RTE_VERSION_NUM(23, 11, 0, 0)
			struct rte_mbuf *c = rte_pcapng_copy(port_id, queue, m[i], q->pool,
							     q->snaplen,
							     (enum rte_pcapng_direction)dir, NULL);
#else
			struct rte_mbuf *c = rte_pcapng_copy(port_id, queue, m[i], q->pool,
							     q->snaplen, tsc,
							     (enum rte_pcapng_direction)dir);
#endif
			if (unlikely(c == NULL)) {
				q->drop_pool++;
				continue;
			}
			/* the enhanced packet block: timestamp high, low at 12, 16 */
			uint32_t *epb = rte_pktmbuf_mtod(c, uint32_t *);
			epb[3] = (uint32_t)(ns >> 32);
			epb[4] = (uint32_t)ns;
			cp[nc++] = c;
		}
		unsigned int done = rte_ring_enqueue_burst(q->ring, (void **)cp, nc, NULL);
		q->taken += done;
		if (unlikely(done < nc)) {
			q->drop_ring += nc - done;
			rte_pktmbuf_free_bulk(&cp[done], nc - done);
		}
		m += k;
		n -= k;
	}
}

static void
write_out(struct capture *c, struct rte_mbuf **m, uint16_t n)
{
	if (n == 0)
		return;
	if (rte_pcapng_write_packets(c->pcapng, m, n) < 0)
		c->write_err += n;
	else
		c->written += n;
	/* 22.11 writes them with writev and leaves them to the caller (the
	 * header says freed; the 22.11 code and dpdk-dumpcap free them after) */
	rte_pktmbuf_free_bulk(m, n);
}

/* Under a limit: keep m as the newest, dropping the oldest over the limit. */
static void
keep_one(struct capture *c, struct rte_mbuf *m)
{
	while (c->keep_n != 0 &&
	       (c->keep_n == c->keep_cap ||
		(c->limit_bytes != 0 && c->keep_bytes + m->pkt_len > c->limit_bytes))) {
		struct rte_mbuf *old = c->keep[c->keep_head];

		c->keep_bytes -= old->pkt_len;
		rte_pktmbuf_free(old);
		c->keep_head = (c->keep_head + 1) % c->keep_cap;
		c->keep_n--;
		c->limit_dropped++;
	}
	c->keep[(c->keep_head + c->keep_n) % c->keep_cap] = m;
	c->keep_n++;
	c->keep_bytes += m->pkt_len;
}

void
capture_drain(struct capture *c)
{
	struct rte_mbuf *m[CAP_BURST];

	for (unsigned int w = 0; w < c->nb_q; w++) {
		unsigned int n;

		while ((n = rte_ring_dequeue_burst(c->q[w].ring, (void **)m, CAP_BURST, NULL)) !=
		       0) {
			if (c->keep == NULL) {
				write_out(c, m, (uint16_t)n);
				continue;
			}
			for (unsigned int i = 0; i < n; i++)
				keep_one(c, m[i]);
		}
	}
}

void
capture_close(struct capture *c, FILE *out)
{
	uint64_t taken = 0, drop_pool = 0, drop_ring = 0;
	uint16_t pid;

	if (c == NULL)
		return;
	capture_drain(c);
	while (c->keep_n != 0) {
		struct rte_mbuf *m[CAP_BURST];
		uint16_t n = 0;

		while (n < CAP_BURST && c->keep_n != 0) {
			m[n++] = c->keep[c->keep_head];
			c->keep_head = (c->keep_head + 1) % c->keep_cap;
			c->keep_n--;
		}
		write_out(c, m, n);
	}
	for (unsigned int w = 0; w < c->nb_q; w++) {
		taken += c->q[w].taken;
		drop_pool += c->q[w].drop_pool;
		drop_ring += c->q[w].drop_ring;
	}
	uint64_t end = wall_ns();
	RTE_ETH_FOREACH_DEV(pid) {
		struct rte_eth_stats st;
		char comment[160];

		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(pid, &st);
		snprintf(comment, sizeof(comment),
			 "port %u: ipackets %" PRIu64 " opackets %" PRIu64 " imissed %" PRIu64
			 " ierrors %" PRIu64 " rx_nombuf %" PRIu64,
			 pid, st.ipackets, st.opackets, st.imissed, st.ierrors, st.rx_nombuf);
		rte_pcapng_write_stats(c->pcapng, pid, comment, c->t_start_ns, end, st.ipackets,
				       st.imissed + st.rx_nombuf);
	}
	rte_pcapng_close(c->pcapng);
	if (out != NULL)
		fprintf(out,
			"capture: %" PRIu64 " packets written, %" PRIu64
			" dropped by the limit, %" PRIu64 " not copied (pool empty), %" PRIu64
			" dropped (ring full), %" PRIu64 " write errors\n",
			c->written, c->limit_dropped, drop_pool, drop_ring, c->write_err);
	(void)taken;
	for (unsigned int w = 0; w < c->nb_q; w++) {
		rte_ring_free(c->q[w].ring);
		rte_mempool_free(c->q[w].pool);
		if (c->q[w].bpf != NULL)
			rte_bpf_destroy(c->q[w].bpf);
	}
	rte_free(c->q);
	free(c->keep);
	free(c);
}
