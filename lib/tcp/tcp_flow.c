/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The per-worker TCP context: flow table (rte_hash keyed by the 4-tuple; the
 * key's position is the TCB's index, so the TCB array needs no free list of
 * its own), send-queue and out-of-order pools, the timing wheel, ISNs
 * (RFC 6528) and SYN cookies (RFC 4987).
 *
 * Timing wheel: one level, 4096 slots of 1 ms. Each TCB sits in at most one
 * slot, at the earliest of its deadlines; arm and cancel are O(1) list
 * operations. A deadline beyond the wheel's span stays in its slot and is
 * skipped until its round comes (checked on each pass of that slot).
 *
 * Clocks that survive restarts: a Linux peer keeps a closed 4-tuple in
 * TIME-WAIT and takes a new SYN on it only when its timestamp is newer
 * (PAWS, RFC 7323 5; RFC 6191), so TSvals and ISNs must keep rising from
 * one synack process to the next. Both come from CLOCK_BOOTTIME, read once
 * at attach, plus the TSC since; their keys (the ISN hash key, the TSval
 * offset) from the boot id, the same in every process of one boot.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>
#include <rte_jhash.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_random.h>

#include "tcp_priv.h"

void
tcp_conf_defaults(struct tcp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->max_conns = 131072;
	c->mss = 0;
	c->rcv_wnd = 262144;
	c->wscale = true;
	c->sack = true;
	c->timestamps = true;
	c->syncookies = true;
	c->syn_backlog = 65536;
	c->time_wait_ms = 1000;
	c->delack_ms = 40;
	c->rto_init_ms = 1000;
	c->rto_min_ms = 200;
	c->rto_max_ms = 60000;
	c->syn_retries = 5;
	c->max_retries = 12;
	c->sndq_segs = 0; /* 0 = 4 per connection */
	c->ooo_max = 16;
	c->init_cwnd = 10;
	c->zero_copy_min = 1024;
}

static void
zc_free_nothing(void *addr, void *opaque)
{
	(void)addr;
	(void)opaque;
}

/* The regions of each worker's context: static, so that an mbuf attached to
 * one can be freed after its context (tcp_detach), e.g. from a net_ring
 * peer's queue or a port's TX ring at the end of the run. */
static struct tcp_zc_region zc_tab[RTE_MAX_LCORE][TCP_ZC_REGIONS];

/* Is [b, b + len) DPDK memory in one IOVA range? *iova gets b's IOVA. */
static bool
zc_dma_ok(const uint8_t *b, size_t len, rte_iova_t *iova)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(b, NULL);

	*iova = RTE_BAD_IOVA;
	if (ms == NULL || rte_mem_virt2memseg(b + len - 1, NULL) == NULL)
		return false;
	*iova = rte_mem_virt2iova(b);
	if (*iova == RTE_BAD_IOVA)
		return false;
	if (rte_eal_iova_mode() != RTE_IOVA_VA) {
		/* base's IOVA + offset must hold on every page */
		size_t pg = ms->hugepage_sz ? ms->hugepage_sz : 4096;
		for (size_t off = pg - ((uintptr_t)b & (pg - 1)); off < len; off += pg)
			if (rte_mem_virt2iova(b + off) != *iova + off)
				return false;
	}
	return true;
}

int
tcp_zc_register(struct tcp_ctx *c, const void *base, size_t len)
{
	const uint8_t *b = base;
	rte_iova_t iova;

	if (base == NULL || len == 0 || len > UINT32_MAX)
		return -EINVAL;
	for (uint32_t i = 0; i < c->nb_zc; i++)
		if (c->zc[i].base == b && c->zc[i].end == b + len)
			return 0;
	if (c->nb_zc == TCP_ZC_REGIONS)
		return -ENOSPC;
	bool dma = zc_dma_ok(b, len, &iova);
	struct tcp_zc_region *r = &c->zc[c->nb_zc++];
	r->base = b;
	r->end = b + len;
	r->iova = iova;
	r->dma = dma;
	r->shinfo.free_cb = zc_free_nothing;
	r->shinfo.fcb_opaque = NULL;
	rte_mbuf_ext_refcnt_set(&r->shinfo, 1);
	return 0;
}

uint32_t
tcp_now(const struct tcp_ctx *c)
{
	return c->tick;
}

struct tcp_ctx *
tcp_attach(struct worker *w, const struct tcp_conf *conf, const struct tcp_app *app)
{
	char name[RTE_HASH_NAMESIZE];
	int socket = (int)rte_socket_id();
	struct tcp_ctx *c = rte_zmalloc_socket("tcp_ctx", sizeof(*c), RTE_CACHE_LINE_SIZE, socket);

	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->w = w;
	c->conf = *conf;
	c->zc = zc_tab[w->id % RTE_MAX_LCORE];
	if (app != NULL)
		c->apps[0] = *app;
	c->nb_apps = 1;
	c->capp = 0;
	if (c->conf.max_conns < 8)
		c->conf.max_conns = 8;
	snprintf(name, sizeof(name), "tcp_w%u_%p", w->id, (void *)c);
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = c->conf.max_conns,
		.key_len = sizeof(struct tcp_key),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	c->h = rte_hash_create(&hp);
	if (c->h == NULL)
		goto fail;
	c->nb_slots = (uint32_t)rte_hash_max_key_id(c->h) + 1;
	c->tcbs = rte_zmalloc_socket("tcbs", sizeof(struct tcb) * (size_t)c->nb_slots,
				     RTE_CACHE_LINE_SIZE, socket);
	c->rk = rte_zmalloc_socket("tcp_rack", sizeof(struct tcp_rack) * (size_t)c->nb_slots, 0,
				   socket);
	uint32_t nsq = c->conf.sndq_segs ? c->conf.sndq_segs : c->conf.max_conns * 4;
	c->sndq = rte_malloc_socket("sndq", sizeof(struct tcp_sndseg) * (size_t)nsq, 0, socket);
	uint32_t nooo = c->conf.max_conns < 65536 ? c->conf.max_conns : 65536;
	nooo = nooo < 1024 ? 1024 : nooo;
	c->ooo = rte_malloc_socket("ooo", sizeof(struct tcp_ooo) * (size_t)nooo, 0, socket);
	if (c->tcbs == NULL || c->rk == NULL || c->sndq == NULL || c->ooo == NULL)
		goto fail;
	/* taken from the fresh end until it is used up, then from the free
	 * list: memory no connection ever needed is never touched (an idle
	 * connection queues nothing, so holding millions costs no send queue) */
	c->sndq_free = TCP_NONE;
	c->sndq_fresh = 0;
	c->sndq_cap = nsq;
	for (uint32_t i = 0; i < nooo; i++)
		c->ooo[i].next = i + 1 < nooo ? i + 1 : TCP_NONE;
	c->ooo_free = 0;
	for (uint32_t i = 0; i < TCP_WHEEL_SIZE; i++)
		c->wheel[i] = TCP_NONE;
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	c->tick = 1;
	c->tsc_base = rte_rdtsc();
	c->tsc_per_ms = rte_get_tsc_hz() / 1000;
	c->tsc_per_us4 = rte_get_tsc_hz() / 250000;
	if (c->tsc_per_us4 == 0)
		c->tsc_per_us4 = 1;
	uint64_t boot_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	c->isn_us4_base = boot_ns / 4000;
	uint32_t key[4];
	tcp_boot_key(key);
	/* RFC 6528 3: F's key; RFC 7323 5.4 / 7.1: a TSval clock of 1 ms that
	 * starts at a secret offset (here per boot, not per process) */
	for (int i = 0; i < 4; i++)
		c->isn_secret[i] = rte_jhash_1word(key[i], 0x6528u + (uint32_t)i);
	c->ts_offset = (uint32_t)(boot_ns / 1000000u) - 1u +
		       rte_jhash_2words(key[0], key[3], 7323u);
	c->cookie_secret[0] = (uint32_t)rte_rand();
	c->cookie_secret[1] = (uint32_t)rte_rand();
	w->tcp.input = tcp_input;
	w->tcp.timer = tcp_timer_advance;
	w->tcp.ctx = c;
	return c;
fail:
	tcp_detach(c);
	errno = ENOMEM;
	return NULL;
}

void
tcp_detach(struct tcp_ctx *c)
{
	if (c == NULL)
		return;
	if (c->tcbs != NULL) {
		for (uint32_t i = 0; i < c->nb_slots; i++)
			if (c->tcbs[i].state != TCP_CLOSED)
				tcp_ooo_clear(c, &c->tcbs[i]);
	}
	if (c->w != NULL && c->w->tcp.ctx == c)
		memset(&c->w->tcp, 0, sizeof(c->w->tcp));
	rte_hash_free(c->h);
	rte_free(c->tcbs);
	rte_free(c->rk);
	rte_free(c->sndq);
	rte_free(c->ooo);
	rte_free(c);
}

int
tcp_app_add(struct tcp_ctx *c, const struct tcp_app *app)
{
	int slot;

	for (slot = 0; slot < c->nb_apps; slot++)
		if (memcmp(&c->apps[slot], app, sizeof(*app)) == 0)
			return slot;
	if (c->nb_apps == TCP_MAX_APPS)
		return -ENOSPC;
	c->apps[c->nb_apps] = *app;
	return c->nb_apps++;
}

/* port -> slot, refused when another application already listens there */
static int
listen_slot(struct tcp_ctx *c, uint16_t port, int slot)
{
	if (c->listen[port] != 0 && c->listen[port] != slot + 1)
		return -EADDRINUSE;
	c->listen[port] = (uint8_t)(slot + 1);
	return 0;
}

int
tcp_listen(struct tcp_ctx *c, uint16_t port)
{
	return listen_slot(c, port, 0); /* the tcp_attach app */
}

int
tcp_listen_app(struct tcp_ctx *c, uint16_t port, const struct tcp_app *app)
{
	int slot;

	/* refused before it takes a slot */
	if (c->listen[port] != 0 && memcmp(&c->apps[c->listen[port] - 1], app, sizeof(*app)) != 0)
		return -EADDRINUSE;
	slot = tcp_app_add(c, app);
	return slot < 0 ? slot : listen_slot(c, port, slot);
}

void
tcp_unlisten(struct tcp_ctx *c, uint16_t port)
{
	c->listen[port] = 0;
}

uint32_t
tcp_nb_conns(const struct tcp_ctx *c)
{
	return c->nb_conns;
}

size_t
tcp_tcb_size(void)
{
	return sizeof(struct tcb);
}

size_t
tcp_bytes_per_conn(const struct tcp_ctx *c)
{
	/* What tcp_attach reserves, over max_conns (DPDK 22.11 rte_hash, one
	 * writer, extendable table): the TCBs; a key slot per entry (key + data
	 * pointer, 16-byte aligned); 64-byte buckets of 8 entries for the
	 * entries rounded up to a power of two, as many again for the
	 * extendable table; the free-slot ring (4 bytes x the next power of
	 * two above entries + 1) and the extension ring; the send queue. */
	uint64_t n = c->conf.max_conns;
	uint64_t p2 = rte_align64pow2(n);
	uint64_t bytes = (uint64_t)(sizeof(struct tcb) + sizeof(struct tcp_rack)) * c->nb_slots +
			 RTE_ALIGN_CEIL(sizeof(struct tcp_key) + sizeof(void *), 16) * (n + 1) +
			 2 * (p2 / 8) * 64 + 4 * rte_align64pow2(n + 1) + 4 * (p2 / 8 + 1) +
			 (uint64_t)sizeof(struct tcp_sndseg) * c->sndq_cap;
	return (size_t)((bytes + n - 1) / n);
}

void *
tcp_app_data(struct tcb *t)
{
	return t->app;
}

void
tcp_app_timer(struct tcp_ctx *c, struct tcb *t, uint32_t ms)
{
	t->app_at = ms == 0 ? 0 : c->tick + ms;
	if (t->app_at == 0 && ms != 0)
		t->app_at = 1;
	tcp_timer_update(c, t);
}

int
tcp_set_client_app(struct tcp_ctx *c, const struct tcp_app *app)
{
	int slot = tcp_app_add(c, app);

	if (slot >= 0)
		c->capp = (uint8_t)slot;
	return slot;
}

void
tcp_get_info(const struct tcb *t, struct tcp_info *info)
{
	info->state = t->state;
	info->retries = t->retries;
	info->mss = t->mss;
	info->cwnd = t->cwnd;
	info->ssthresh = t->ssthresh;
	info->snd_wnd = t->snd_wnd;
	info->flight = t->snd_max - t->snd_una;
	info->queued = t->sndq_bytes;
	info->srtt_us = t->srtt8 * 125u;     /* x8 ms -> us */
	info->rttvar_us = t->rttvar4 * 250u; /* x4 ms -> us */
	info->rto_ms = t->rto;
	info->total_retrans = t->retrans;
}

enum tcp_state
tcp_get_state(const struct tcb *t)
{
	return (enum tcp_state)t->state;
}

const char *
tcp_state_name(enum tcp_state s)
{
	static const char *const names[] = {
		[TCP_CLOSED] = "CLOSED",	   [TCP_LISTEN] = "LISTEN",
		[TCP_SYN_SENT] = "SYN-SENT",	   [TCP_SYN_RECEIVED] = "SYN-RECEIVED",
		[TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT_2] = "FIN-WAIT-2",   [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_CLOSING] = "CLOSING",	   [TCP_LAST_ACK] = "LAST-ACK",
		[TCP_TIME_WAIT] = "TIME-WAIT",
	};
	return (unsigned int)s < RTE_DIM(names) ? names[s] : "?";
}

void
tcp_get_tuple(const struct tcb *t, rte_be32_t *lip, rte_be16_t *lport, rte_be32_t *rip,
	      rte_be16_t *rport)
{
	*lip = t->key.lip;
	*lport = t->key.lport;
	*rip = t->key.rip;
	*rport = t->key.rport;
}

struct tcb *
tcp_lookup(struct tcp_ctx *c, const struct tcp_key *k)
{
	int32_t pos = rte_hash_lookup(c->h, k);

	return pos < 0 ? NULL : &c->tcbs[pos];
}

struct tcb *
tcp_tcb_new(struct tcp_ctx *c, const struct tcp_key *k, uint8_t port)
{
	int32_t pos = rte_hash_add_key(c->h, k);

	if (pos < 0)
		return NULL;
	struct tcb *t = &c->tcbs[pos];
	memset(t, 0, sizeof(*t));
	memset(tcb_rk(c, t), 0, sizeof(struct tcp_rack));
	t->key = *k;
	t->port = port;
	t->sndq_head = TCP_NONE;
	t->ooo = TCP_NONE;
	t->t_next = t->t_prev = TCP_NONE;
	/* RFC 6298 2.1: 1 s; a configured rto_min above it bounds it too */
	t->rto = RTE_MAX(c->conf.rto_init_ms, c->conf.rto_min_ms);
	t->cwnd = 0;
	t->ssthresh = UINT32_MAX;
	c->nb_conns++;
	return t;
}

/* ---- timers ---- */

static void
wheel_unlink(struct tcp_ctx *c, struct tcb *t)
{
	if (t->t_at == 0)
		return;
	uint32_t idx = tcb_index(c, t);
	if (t->t_prev != TCP_NONE)
		c->tcbs[t->t_prev].t_next = t->t_next;
	else
		c->wheel[t->t_at & TCP_WHEEL_MASK] = t->t_next;
	if (t->t_next != TCP_NONE)
		c->tcbs[t->t_next].t_prev = t->t_prev;
	t->t_next = t->t_prev = TCP_NONE;
	t->t_at = 0;
	(void)idx;
}

static void
wheel_link(struct tcp_ctx *c, struct tcb *t, uint32_t at)
{
	uint32_t idx = tcb_index(c, t);
	uint32_t slot = at & TCP_WHEEL_MASK;

	t->t_at = at;
	t->t_prev = TCP_NONE;
	t->t_next = c->wheel[slot];
	if (t->t_next != TCP_NONE)
		c->tcbs[t->t_next].t_prev = idx;
	c->wheel[slot] = idx;
}

/* Put t in the wheel at the earliest of its deadlines (or take it out). */
void
tcp_timer_update(struct tcp_ctx *c, struct tcb *t)
{
	uint32_t at = 0;

	if (t->rto_at != 0)
		at = t->rto_at;
	if (t->delack_at != 0 && (at == 0 || SEQ_LT(t->delack_at, at)))
		at = t->delack_at;
	if (t->app_at != 0 && (at == 0 || SEQ_LT(t->app_at, at)))
		at = t->app_at;
	if (at == t->t_at)
		return;
	wheel_unlink(c, t);
	if (at == 0)
		return;
	if (SEQ_LEQ(at, c->tick))
		at = c->tick + 1; /* never in the slot being walked */
	wheel_link(c, t, at);
}

static void
timer_fire(struct tcp_ctx *c, struct tcb *t)
{
	uint32_t now = c->tick;

	if (t->delack_at != 0 && SEQ_LEQ(t->delack_at, now)) {
		t->delack_at = 0;
		if (t->flags & TF_DELACK) {
			stats_inc(&c->w->stats, STAT_tcp_delack);
			tcp_send_ack(c, t);
		}
	}
	if (t->app_at != 0 && SEQ_LEQ(t->app_at, now)) {
		const struct tcp_app *app = tcb_app(c, t);
		t->app_at = 0;
		if (app->timeout != NULL && t->state != TCP_TIME_WAIT) {
			app->timeout(c, t, app->arg);
			if (t->state == TCP_CLOSED)
				return;
		}
	}
	if (t->rto_at != 0 && SEQ_LEQ(t->rto_at, now)) {
		t->rto_at = 0;
		if (t->state == TCP_TIME_WAIT) {
			tcp_tcb_free(c, t, TCP_CLOSE_NORMAL, true);
			return;
		}
		tcp_rto_fire(c, t);
		if (t->state == TCP_CLOSED)
			return;
	}
	tcp_timer_update(c, t);
}

void
tcp_timer_advance(struct worker *w, void *ctx)
{
	struct tcp_ctx *c = ctx;
	uint32_t target = (uint32_t)((w->now - c->tsc_base) / c->tsc_per_ms) + 1;

	while (SEQ_LT(c->tick, target)) {
		c->tick++;
		uint32_t slot = c->tick & TCP_WHEEL_MASK;
		uint32_t i = c->wheel[slot];
		while (i != TCP_NONE) {
			struct tcb *t = &c->tcbs[i];
			uint32_t next = t->t_next;
			if (SEQ_LEQ(t->t_at, c->tick)) {
				wheel_unlink(c, t);
				timer_fire(c, t);
			}
			i = next;
		}
	}
	w->stats.g[GAUGE_tcp_open] = c->nb_conns;
	/* Output deferred by timers is flushed by the worker loop. */
}

/* ---- send queue ---- */

/*
 * Both free whole chunks only, each with the application's released()
 * callback (when it has one): from then on TCP reads the chunk no more.
 */
void
tcp_sndq_drop(struct tcp_ctx *c, struct tcb *t, uint32_t acked)
{
	const struct tcp_app *app = NULL;

	t->sndq_bytes -= acked;
	while (acked > 0 && t->sndq_head != TCP_NONE) {
		struct tcp_sndseg *s = &c->sndq[t->sndq_head];
		uint32_t left = s->len - t->sndq_off;
		if (acked < left) {
			t->sndq_off += acked;
			return;
		}
		acked -= left;
		uint32_t next = s->next;
		if (app == NULL)
			app = tcb_app(c, t);
		if (app->released != NULL)
			app->released(c, t, s->base, s->len, app->arg);
		s->next = c->sndq_free;
		c->sndq_free = t->sndq_head;
		t->sndq_head = next;
		t->sndq_off = 0;
	}
}

/* Free every queued chunk (out of line: the queue is empty on most closes). */
static __rte_noinline void
sndq_release_all(struct tcp_ctx *c, struct tcb *t)
{
	const struct tcp_app *app = tcb_app(c, t);

	while (t->sndq_head != TCP_NONE) {
		struct tcp_sndseg *s = &c->sndq[t->sndq_head];
		uint32_t next = s->next;
		if (app->released != NULL)
			app->released(c, t, s->base, s->len, app->arg);
		s->next = c->sndq_free;
		c->sndq_free = t->sndq_head;
		t->sndq_head = next;
	}
}

void
tcp_sndq_clear(struct tcp_ctx *c, struct tcb *t)
{
	if (t->sndq_head != TCP_NONE)
		sndq_release_all(c, t);
	t->sndq_off = 0;
	t->sndq_bytes = 0;
}

int
tcp_send(struct tcp_ctx *c, struct tcb *t, const void *data, uint32_t len)
{
	if (t->state != TCP_ESTABLISHED && t->state != TCP_CLOSE_WAIT &&
	    t->state != TCP_SYN_RECEIVED)
		return -ENOTCONN;
	if (t->flags & TF_FIN_QUEUED)
		return -ENOTCONN;
	if (len == 0)
		return 0;
	uint32_t i = c->sndq_free;
	if (likely(i != TCP_NONE)) {
		c->sndq_free = c->sndq[i].next;
	} else if (c->sndq_fresh < c->sndq_cap) {
		i = c->sndq_fresh++;
	} else {
		stats_inc(&c->w->stats, STAT_drop_tcp_sndq_full);
		return -ENOBUFS;
	}
	c->sndq[i].base = data;
	c->sndq[i].len = len;
	c->sndq[i].next = TCP_NONE;
	if (t->sndq_head == TCP_NONE) {
		t->sndq_head = i;
	} else {
		uint32_t j = t->sndq_head;
		while (c->sndq[j].next != TCP_NONE)
			j = c->sndq[j].next;
		c->sndq[j].next = i;
	}
	t->sndq_bytes += len;
	if (t->flags & TF_IN_INPUT)
		t->flags |= TF_OUTPUT;
	else
		tcp_output(c, t);
	return 0;
}

void
tcp_close(struct tcp_ctx *c, struct tcb *t)
{
	switch (t->state) {
	case TCP_SYN_SENT:
		tcp_tcb_free(c, t, TCP_CLOSE_NORMAL, true);
		return;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		if (t->flags & TF_FIN_QUEUED)
			return;
		t->flags |= TF_FIN_QUEUED;
		if (t->flags & TF_IN_INPUT)
			t->flags |= TF_OUTPUT;
		else
			tcp_output(c, t);
		return;
	default:
		return;
	}
}

void
tcp_abort(struct tcp_ctx *c, struct tcb *t)
{
	if (t->state == TCP_CLOSED)
		return;
	if (t->state != TCP_SYN_SENT && t->state != TCP_TIME_WAIT)
		tcp_send_rst(c, t);
	stats_inc(&c->w->stats, STAT_tcp_closed_abort);
	tcp_tcb_free(c, t, TCP_CLOSE_ABORT, true);
}

uint32_t
tcp_abort_all(struct tcp_ctx *c)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < c->nb_slots && c->nb_conns > 0; i++) {
		struct tcb *t = &c->tcbs[i];
		if (t->state == TCP_CLOSED)
			continue;
		if (t->state == TCP_TIME_WAIT) {
			tcp_tcb_free(c, t, TCP_CLOSE_NORMAL, true);
			continue;
		}
		tcp_abort(c, t);
		n++;
	}
	return n;
}

/* ---- out of order ---- */

void
tcp_ooo_clear(struct tcp_ctx *c, struct tcb *t)
{
	while (t->ooo != TCP_NONE) {
		struct tcp_ooo *o = &c->ooo[t->ooo];
		uint32_t next = o->next;
		rte_pktmbuf_free(o->m);
		o->m = NULL;
		o->next = c->ooo_free;
		c->ooo_free = t->ooo;
		t->ooo = next;
	}
	t->ooo_n = 0;
}

/* ---- life and death ---- */

void
tcp_tcb_free(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, bool notify)
{
	if (t->state == TCP_CLOSED)
		return;
	/* only passive opens count in the SYN backlog (not a simultaneous open) */
	if (t->state == TCP_SYN_RECEIVED && (t->flags & TF_PASSIVE) && c->nb_synrcvd > 0)
		c->nb_synrcvd--;
	bool was_open = t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED;
	t->state = TCP_CLOSED;
	t->flags |= TF_CLOSED;
	t->rto_at = t->delack_at = t->app_at = 0;
	wheel_unlink(c, t);
	tcp_sndq_clear(c, t);
	tcp_ooo_clear(c, t);
	stats_inc(&c->w->stats, STAT_tcp_closed);
	const struct tcp_app *app = tcb_app(c, t);
	if (notify && app->closed != NULL && (was_open || (t->flags & TF_PASSIVE) == 0))
		app->closed(c, t, why, app->arg);
	rte_hash_del_key(c->h, &t->key);
	c->nb_conns--;
}

void
tcp_enter_time_wait(struct tcp_ctx *c, struct tcb *t)
{
	t->state = TCP_TIME_WAIT;
	stats_inc(&c->w->stats, STAT_tcp_time_wait);
	tcp_sndq_clear(c, t);
	tcp_ooo_clear(c, t);
	t->delack_at = 0;
	t->rto_at = c->tick + (c->conf.time_wait_ms ? c->conf.time_wait_ms : 1);
	tcp_timer_update(c, t);
}

/* ---- ISN (RFC 6528) and SYN cookies (RFC 4987) ---- */

bool
tcp_boot_key(uint32_t key[4])
{
	char id[64] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	bool ok = false;

	if (f != NULL) {
		ok = fgets(id, sizeof(id), f) != NULL && strlen(id) >= 32;
		fclose(f);
	}
	for (uint32_t i = 0; i < 4; i++)
		key[i] = ok ? rte_jhash(id, (uint32_t)strlen(id), 0x9e3779b9u * (i + 1))
			    : (uint32_t)rte_rand();
	return ok;
}

uint32_t
tcp_isn(struct tcp_ctx *c, const struct tcp_key *k)
{
	/* ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a
	 * 4 us clock (RFC 6528 section 3): boot time at attach + the TSC since,
	 * so that it rises across processes too; the key is the boot's. */
	uint64_t us4 = c->isn_us4_base + (rte_rdtsc() - c->tsc_base) / c->tsc_per_us4;
	uint32_t f = rte_jhash_3words(k->lip ^ c->isn_secret[0], k->rip ^ c->isn_secret[1],
				      ((uint32_t)k->lport << 16 | k->rport) ^ c->isn_secret[2],
				      c->isn_secret[3]);
	return (uint32_t)us4 + f;
}

/* MSS values a cookie can carry (3 bits). */
static const uint16_t cookie_mss[8] = {216, 536, 1200, 1360, 1400, 1440, 1460, 8960};

static uint32_t
cookie_hash(struct tcp_ctx *c, const struct tcp_key *k, uint32_t peer_seq, uint32_t t64)
{
	return rte_jhash_3words(k->lip ^ k->rip, ((uint32_t)k->lport << 16 | k->rport) ^ peer_seq,
				t64 ^ c->cookie_secret[0], c->cookie_secret[1]);
}

/*
 * Cookie layout: 5 bits time (64 s units), 3 bits MSS index, 24 bits of a
 * keyed hash over the tuple, the peer's ISN and the time (RFC 4987 3.6).
 */
uint32_t
tcp_cookie_make(struct tcp_ctx *c, const struct tcp_key *k, uint32_t peer_seq, uint16_t mss)
{
	uint32_t t64 = c->tick >> 16; /* ~65 s */
	uint32_t mi = 0;

	for (uint32_t i = 0; i < RTE_DIM(cookie_mss); i++)
		if (cookie_mss[i] <= mss)
			mi = i;
	return (t64 & 31) << 27 | mi << 24 | (cookie_hash(c, k, peer_seq, t64) & 0xffffff);
}

int
tcp_cookie_check(struct tcp_ctx *c, const struct tcp_key *k, uint32_t peer_seq, uint32_t cookie,
		 uint16_t *mss)
{
	uint32_t now64 = c->tick >> 16;

	for (uint32_t age = 0; age < 2; age++) {
		uint32_t t64 = now64 - age;
		if (((cookie >> 27) & 31) != (t64 & 31))
			continue;
		if ((cookie & 0xffffff) != (cookie_hash(c, k, peer_seq, t64) & 0xffffff))
			return -1;
		*mss = cookie_mss[(cookie >> 24) & 7];
		return 0;
	}
	return -1;
}
