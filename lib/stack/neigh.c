/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Neighbour (ARP) table, one per worker and port: rte_hash keyed by the IPv4
 * address gives a slot in a preallocated entry array. Bounded: a full table
 * refuses new neighbours (counted as drop_neigh_full), it never evicts a
 * reachable one. Resolution sends a request, retries every arp_timeout up to
 * arp_retries, then gives up (arp_resolve_fail), frees the frames it kept
 * (drop_no_neigh) and forgets the entry so a later send starts afresh.
 * Only incomplete entries are visited by the timer, through a side list.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "lib/net/net.h"
#include "stack.h"

struct neigh_entry {
	rte_be32_t ip;
	uint8_t state; /**< enum neigh_state */
	uint8_t tries; /**< requests sent so far */
	uint8_t npending;
	struct rte_ether_addr mac;
	uint64_t deadline; /**< TSC: next retry or give-up */
	struct rte_mbuf *pending[NEIGH_PENDING];
};

struct neigh_table {
	struct rte_hash *h;
	struct neigh_entry *e; /**< indexed by rte_hash key position */
	uint32_t count;
	uint32_t nb_incomplete;
	uint32_t *incomplete; /**< positions of INCOMPLETE entries */
};

struct neigh_table *
neigh_create(const char *name, uint32_t max, int socket)
{
	struct rte_hash_parameters hp = {
		.name = name,
		.entries = max < 8 ? 8 : max,
		.key_len = sizeof(rte_be32_t),
		.hash_func = rte_hash_crc,
		.socket_id = socket,
	};
	struct neigh_table *t = rte_zmalloc_socket(NULL, sizeof(*t), 0, socket);

	if (t == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	t->h = rte_hash_create(&hp);
	if (t->h == NULL)
		goto fail;
	int32_t slots = rte_hash_max_key_id(t->h) + 1;
	t->e = rte_zmalloc_socket(NULL, sizeof(*t->e) * slots, 0, socket);
	t->incomplete = rte_zmalloc_socket(NULL, sizeof(uint32_t) * slots, 0, socket);
	if (t->e == NULL || t->incomplete == NULL)
		goto fail;
	return t;
fail:
	neigh_free(t);
	errno = ENOMEM;
	return NULL;
}

void
neigh_free(struct neigh_table *t)
{
	if (t == NULL)
		return;
	if (t->e != NULL && t->h != NULL) {
		int32_t slots = rte_hash_max_key_id(t->h) + 1;
		for (int32_t i = 0; i < slots; i++)
			for (unsigned int k = 0; k < t->e[i].npending; k++)
				rte_pktmbuf_free(t->e[i].pending[k]);
	}
	rte_hash_free(t->h);
	rte_free(t->e);
	rte_free(t->incomplete);
	rte_free(t);
}

uint32_t
neigh_count(const struct neigh_table *t)
{
	return t->count;
}

static struct neigh_entry *
lookup(const struct neigh_table *t, rte_be32_t ip)
{
	int32_t pos = rte_hash_lookup(t->h, &ip);

	return pos < 0 ? NULL : &t->e[pos];
}

enum neigh_state
neigh_get(const struct neigh_table *t, rte_be32_t ip, struct rte_ether_addr *mac)
{
	const struct neigh_entry *e = lookup(t, ip);

	if (e == NULL)
		return NEIGH_NONE;
	if (e->state == NEIGH_REACHABLE && mac != NULL)
		*mac = e->mac;
	return (enum neigh_state)e->state;
}

void
neigh_send_request(struct worker *w, struct worker_port *wp, rte_be32_t ip)
{
	neigh_send_request_from(w, wp, wp->ip, ip);
}

void
neigh_send_request_from(struct worker *w, struct worker_port *wp, rte_be32_t sip, rte_be32_t ip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->pool);

	if (m == NULL) {
		stats_inc(&w->stats, STAT_drop_pool_empty);
		return;
	}
	uint8_t *buf = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t len = net_arp_build(buf, RTE_ARP_OP_REQUEST, &wp->mac, sip, NULL, ip);

	m->data_len = m->pkt_len = len;
	stats_inc(&w->stats, STAT_arp_req_tx);
	if (ip == sip)
		stats_inc(&w->stats, STAT_arp_garp_tx);
	worker_tx(w, wp, m);
}

static struct neigh_entry *
add(struct worker *w, struct neigh_table *t, rte_be32_t ip, int32_t *posp)
{
	int32_t pos = rte_hash_add_key(t->h, &ip);

	if (pos < 0) {
		stats_inc(&w->stats, STAT_drop_neigh_full);
		return NULL;
	}
	struct neigh_entry *e = &t->e[pos];
	memset(e, 0, sizeof(*e));
	e->ip = ip;
	t->count++;
	*posp = pos;
	return e;
}

static void
start_resolve(struct worker *w, struct worker_port *wp, struct neigh_entry *e, int32_t pos)
{
	struct neigh_table *t = wp->neigh;

	e->state = NEIGH_INCOMPLETE;
	e->tries = 1;
	e->deadline = w->now + w->arp_timeout;
	t->incomplete[t->nb_incomplete++] = (uint32_t)pos;
	neigh_send_request(w, wp, e->ip);
}

int
neigh_resolve(struct worker *w, struct worker_port *wp, rte_be32_t ip, struct rte_ether_addr *mac)
{
	struct neigh_table *t = wp->neigh;
	struct neigh_entry *e;

	/* One-entry cache: a reachable entry is never removed, only updated
	 * (neigh_learn refreshes the cache too), so a hit is always current.
	 * Saves a hash lookup per frame sent to the usual peer. */
	if (likely(ip == wp->nh_ip && ip != 0)) {
		*mac = wp->nh_mac;
		return 0;
	}
	int32_t pos = rte_hash_lookup(t->h, &ip);
	if (pos >= 0) {
		e = &t->e[pos];
		if (e->state == NEIGH_REACHABLE) {
			*mac = e->mac;
			wp->nh_ip = ip;
			wp->nh_mac = e->mac;
			return 0;
		}
		return -EAGAIN;
	}
	e = add(w, t, ip, &pos);
	if (e == NULL)
		return -ENOSPC;
	start_resolve(w, wp, e, pos);
	return -EAGAIN;
}

void
neigh_queue(struct worker *w, struct worker_port *wp, rte_be32_t ip, struct rte_mbuf *m)
{
	struct neigh_entry *e = lookup(wp->neigh, ip);

	if (e == NULL || e->state != NEIGH_INCOMPLETE || e->npending >= NEIGH_PENDING) {
		stats_inc(&w->stats, STAT_drop_no_neigh);
		rte_pktmbuf_free(m);
		return;
	}
	e->pending[e->npending++] = m;
}

static void
incomplete_remove(struct neigh_table *t, int32_t pos)
{
	for (uint32_t i = 0; i < t->nb_incomplete; i++) {
		if (t->incomplete[i] == (uint32_t)pos) {
			t->incomplete[i] = t->incomplete[--t->nb_incomplete];
			return;
		}
	}
}

void
neigh_learn(struct worker *w, struct worker_port *wp, rte_be32_t ip,
	    const struct rte_ether_addr *mac, bool create)
{
	struct neigh_table *t = wp->neigh;
	int32_t pos = rte_hash_lookup(t->h, &ip);
	struct neigh_entry *e;

	if (pos < 0) {
		if (!create)
			return;
		e = add(w, t, ip, &pos);
		if (e == NULL)
			return;
	} else {
		e = &t->e[pos];
	}
	bool was_reachable = e->state == NEIGH_REACHABLE;
	if (ip == wp->nh_ip)
		wp->nh_mac = *mac;
	if (e->state == NEIGH_INCOMPLETE)
		incomplete_remove(t, pos);
	e->mac = *mac;
	e->state = NEIGH_REACHABLE;
	if (!was_reachable) {
		stats_inc(&w->stats, STAT_arp_resolved);
		for (unsigned int k = 0; k < e->npending; k++) {
			struct rte_mbuf *m = e->pending[k];
			struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
			eh->dst_addr = *mac;
			worker_tx(w, wp, m);
		}
		e->npending = 0;
		for (unsigned int i = 0; i < w->nb_apps; i++)
			if (w->apps[i].cls->neigh_event != NULL)
				w->apps[i].cls->neigh_event(w, wp, ip, true, w->apps[i].obj);
	}
}

void
neigh_timer(struct worker *w, struct worker_port *wp)
{
	struct neigh_table *t = wp->neigh;

	for (uint32_t i = 0; i < t->nb_incomplete;) {
		int32_t pos = (int32_t)t->incomplete[i];
		struct neigh_entry *e = &t->e[pos];

		if (w->now < e->deadline) {
			i++;
			continue;
		}
		if (e->tries < w->arp_retries) {
			e->tries++;
			e->deadline = w->now + w->arp_timeout;
			neigh_send_request(w, wp, e->ip);
			i++;
			continue;
		}
		/* Give up: drop what waited, forget the entry. */
		rte_be32_t ip = e->ip;
		stats_inc(&w->stats, STAT_arp_resolve_fail);
		for (unsigned int k = 0; k < e->npending; k++) {
			stats_inc(&w->stats, STAT_drop_no_neigh);
			rte_pktmbuf_free(e->pending[k]);
		}
		e->npending = 0;
		e->state = NEIGH_NONE;
		t->incomplete[i] = t->incomplete[--t->nb_incomplete];
		if (ip == wp->nh_ip)
			wp->nh_ip = 0;
		rte_hash_del_key(t->h, &ip);
		t->count--;
		for (unsigned int a = 0; a < w->nb_apps; a++)
			if (w->apps[a].cls->neigh_event != NULL)
				w->apps[a].cls->neigh_event(w, wp, ip, false, w->apps[a].obj);
	}
}
