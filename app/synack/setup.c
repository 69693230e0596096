/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL, pools, workers, ports, placement, and the teardown (synack.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "app/synack/synack.h"
#include "lib/bulk/bulk.h"
#include "lib/http/http.h"
#include "lib/net/net.h"
#include "lib/tcp/tcp.h"
#include "lib/udp/udp.h"

static volatile bool stop_workers;

static char runtime_dir[PATH_MAX];

/*
 * At exit, after DPDK's own handlers (registered later, in rte_eal_init,
 * so run earlier) unlinked the telemetry socket: remove the runtime
 * directory of our derived prefix, so that /var/run/dpdk does not fill
 * with one empty directory per run.
 */
static void
remove_runtime_dir(void)
{
	if (runtime_dir[0] != '\0')
		rmdir(runtime_dir);
}

/* The EAL arguments from the config: vdevs, lcores, memory, prefix (port_eal_args). */
static int
derive_eal(struct synack *s, const char *prog, char ***argv)
{
	const struct cfg *cfg = s->cfg;
	const char *devs[CFG_MAX_PORTS];
	char note[256] = "", err[PORT_ERR_LEN];
	struct port_eal_req req = {
		.devs = devs,
		.nb_devs = cfg->nb_ports,
		.nb_workers = cfg->run.lcores,
		.mem_mb = s->pl.eal_mem_mb,
		.prog = prog,
	};
	int argc;

	for (unsigned int p = 0; p < cfg->nb_ports; p++)
		devs[p] = cfg->port[p].dev;
	if (cfg->run.file_prefix[0] != '\0')
		snprintf(s->file_prefix, sizeof(s->file_prefix), "%s", cfg->run.file_prefix);
	else
		snprintf(s->file_prefix, sizeof(s->file_prefix), "synack-%d", (int)getpid());
	req.file_prefix = s->file_prefix;
	req.no_telemetry = !cfg->run.telemetry;
	argc = port_eal_args(&req, argv, note, sizeof(note), err, sizeof(err));
	if (argc < 0) {
		fprintf(stderr, "synack: %s\n", err);
		return -1;
	}
	if (note[0] != '\0')
		printf("synack: %s\n", note);
	printf("synack: EAL args:");
	for (int i = 1; i < argc; i++)
		printf(" %s", (*argv)[i]);
	printf("\n");
	return argc;
}

int
setup_eal(struct synack *s, const struct cli *o)
{
	char **argv = o->eal_argv, **copy;
	int argc = o->eal_argc, r;
	bool derived = argc == 0;
	unsigned int k = 0, lc;

	if (derived && (argc = derive_eal(s, o->prog, &argv)) < 0)
		return EXIT_USAGE;
	if (derived)
		atexit(remove_runtime_dir);
	/* rte_eal_init may permute argv: give it a copy */
	copy = calloc((size_t)argc + 1, sizeof(char *));
	if (copy == NULL)
		return EXIT_USAGE;
	memcpy(copy, argv, sizeof(char *) * (size_t)argc);
	optind = 0; /* EAL parses with getopt too: start it afresh */
	r = rte_eal_init(argc, copy);
	free(copy);
	if (derived)
		port_eal_args_free(argc, argv);
	if (r < 0) {
		fprintf(stderr,
			"synack: EAL init failed: %s (check the EAL arguments; with no hugepages "
			"EAL needs --no-huge)\n",
			rte_strerror(rte_errno));
		return EXIT_USAGE;
	}
	s->eal = true;
	if (derived)
		snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	if (bulk_pattern_dpdk() != 0)
		fprintf(stderr, "synack: no DPDK memory for the bulk payload: it is copied per "
				"segment on DMA ports (virtio, PCI)\n");
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (k < s->pl.nb_workers)
			s->slot[k++].lcore = lc;
	}
	if (k < s->pl.nb_workers) {
		fprintf(stderr,
			"synack: %u worker lcores needed, EAL gave %u: pass more with -l/--lcores "
			"(main lcore + workers) or lower run.lcores\n",
			s->pl.nb_workers, k);
		return EXIT_USAGE;
	}
	return 0;
}

/* A pool and a worker per slot, on the lcore's socket. */
static int
make_workers(struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		struct slot *sl = &s->slot[w];
		int socket = (int)rte_lcore_to_socket_id(sl->lcore);
		char name[RTE_MEMPOOL_NAMESIZE];

		snprintf(name, sizeof(name), "mb_w%u", w);
		sl->pool = rte_pktmbuf_pool_create(name, cfg->pool.mbufs, cfg->pool.mbuf_cache, 0,
						   (uint16_t)s->pl.mbuf_size, socket);
		if (sl->pool == NULL) {
			fprintf(stderr,
				"synack: %s:pool:mbufs: cannot allocate %u mbufs for worker %u (%s): "
				"reserve hugepages or lower pool.mbufs\n",
				cfg->file, cfg->pool.mbufs, w, rte_strerror(rte_errno));
			return EXIT_USAGE;
		}
		sl->w = rte_zmalloc_socket("worker", sizeof(struct worker), RTE_CACHE_LINE_SIZE,
					   socket);
		if (sl->w == NULL) {
			fprintf(stderr, "synack: out of memory for worker %u\n", w);
			return EXIT_USAGE;
		}
		worker_init(sl->w, w, sl->pool, &stop_workers, cfg->pool.arp_retries,
			    cfg->pool.arp_timeout_ms);
	}
	return 0;
}

/*
 * dispatch = auto: a queue per worker when the driver spreads by RSS (or is
 * net_ring, whose queue q feeds the peer's queue q), else one queue and
 * software dispatch.
 */
static void
choose_dispatch(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	char err[PORT_ERR_LEN];

	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		struct rte_eth_dev_info di;
		int id;

		if (s->pl.disp[p] || s->pl.nb_owners[p] <= 1 ||
		    cfg->port[p].dispatch != CFG_DISPATCH_AUTO ||
		    port_dev_kind(cfg->port[p].dev) == PORT_DEV_RING)
			continue;
		id = port_resolve(cfg->port[p].dev, err, sizeof(err));
		if (id < 0 || rte_eth_dev_info_get((uint16_t)id, &di) != 0)
			continue; /* bring_up reports it */
		const struct port_caps *caps = port_caps_lookup(di.driver_name);
		bool rss = caps->rss || (caps->rss_probe && di.flow_type_rss_offloads != 0);
		if (!rss || di.max_rx_queues < s->pl.nb_owners[p] ||
		    di.max_tx_queues < s->pl.nb_owners[p])
			plan_dispatch(&s->pl, p);
	}
}

/* Resolve and start every port, one line each. */
static int
bring_up(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	char err[PORT_ERR_LEN];

	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		s->port_ids[p] = port_resolve_q(cfg->port[p].dev, s->pl.nb_queues[p], err,
						sizeof(err));
		if (s->port_ids[p] < 0) {
			fprintf(stderr, "synack: %s:port%u:dev: %s\n", cfg->file, p, err);
			return EXIT_USAGE;
		}
	}
	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		struct rte_mempool *qpools[PORT_MAX_QUEUES];
		struct port_conf pc = {
			.dev = cfg->port[p].dev,
			.nb_queues = s->pl.nb_queues[p],
			.mtu = cfg->port[p].mtu,
			.nb_rxd = cfg->port[p].rxd,
			.nb_txd = cfg->port[p].txd,
			/* dispatch: slot 0 sends every worker's mbufs (several pools);
			 * zero-copy: chains and external buffers */
			.no_fast_free = s->pl.disp[p] || cfg->tcp.zero_copy_min != 0,
		};

		for (unsigned int q = 0; q < s->pl.nb_queues[p]; q++)
			qpools[q] = s->slot[s->pl.owner[p][q]].pool;
		if (port_setup((uint16_t)s->port_ids[p], &pc, qpools, &s->ports[p], err,
			       sizeof(err)) != 0) {
			fprintf(stderr, "synack: %s:port%u: %s\n", cfg->file, p, err);
			return EXIT_USAGE;
		}
		s->nb_up++;
		port_print(stdout, &s->ports[p]);
		if (s->pl.ss.ip_n[p] > 1 || s->pl.ss.ip_off[p] != 0) {
			char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
			uint32_t ip0 = cfg->port[p].ip + s->pl.ss.ip_off[p];

			printf("port%u: %u addresses %s-%s%s\n", s->ports[p].port_id,
			       s->pl.ss.ip_n[p], net_ip_str(ip0, a),
			       net_ip_str(ip0 + s->pl.ss.ip_n[p] - 1, b),
			       s->pl.ss.ip_n[p] < cfg->port[p].ip_count ? " (this segment's)" : "");
		}
		if (!net6_is_unspec(cfg->port[p].ip6)) {
			char a[46], b[46], l[46];
			uint8_t last[16], ll[16];

			net6_addr_add(cfg->port[p].ip6, cfg->port[p].ip6_count - 1, last);
			net6_linklocal(&s->ports[p].mac, ll);
			printf("port%u: ipv6 %s/%u%s%s (%u), link-local %s\n", s->ports[p].port_id,
			       net6_str(cfg->port[p].ip6, a), cfg->port[p].prefix6,
			       cfg->port[p].ip6_count > 1 ? "-" : "",
			       cfg->port[p].ip6_count > 1 ? net6_str(last, b) : "",
			       cfg->port[p].ip6_count, net6_str(ll, l));
		}
		if (s->pl.nb_owners[p] > 1)
			printf("port%u: dispatch %s (%u workers)\n", s->ports[p].port_id,
			       s->pl.disp[p]	 ? "software"
			       : s->ports[p].rss ? "rss"
						 : "queue pairs",
			       s->pl.nb_owners[p]);
	}
	return 0;
}

/*
 * RSS mode: the port's key and RETA, for the client's source-port choice.
 * The 4-tuple the client's flows are steered by must be one the port
 * hashes: TCP for the HTTP and bulk models, UDP for udp.
 */
static bool
rss_select(struct synack *s, unsigned int p)
{
	const struct port *pt = &s->ports[p];
	uint64_t need = s->cfg->client.model == CFG_MODEL_UDP ? RTE_ETH_RSS_NONFRAG_IPV4_UDP
							      : RTE_ETH_RSS_NONFRAG_IPV4_TCP;
	bool multi = !s->pl.disp[p] && s->pl.nb_owners[p] > 1 && pt->rss;
	bool sel = multi && (pt->rss_hf & need) != 0 &&
		   worker_rss_init(&s->rss[p], pt->rss_key, pt->rss_key_len, pt->reta,
				   pt->reta_size) == 0;

	if (multi && !sel && (s->pl.role[p] & WORKER_ROLE_CLIENT))
		printf("port%u: client flows are not steered to their worker (the port %s): "
		       "replies may reach another worker and be dropped\n",
		       pt->port_id,
		       (pt->rss_hf & need) == 0 ? "does not hash the IPv4 4-tuple"
						: "cannot tell its RSS key or RETA");
	return sel;
}

/* Software dispatch: slot q > 0 of port p reads and writes its own rings. */
static int
dispatch_rings(struct synack *s, unsigned int p, unsigned int q, struct worker_port *wp)
{
	int sock = (int)rte_lcore_to_socket_id(s->slot[s->pl.owner[p][q]].lcore);
	char rn[RTE_RING_NAMESIZE];

	wp->disp_nb = s->pl.nb_owners[p];
	wp->disp_slot = (uint16_t)q;
	if (q == 0) {
		s->disps[p].nb = s->pl.nb_owners[p];
		wp->disp = &s->disps[p];
		return 0;
	}
	snprintf(rn, sizeof(rn), "disp_rx_p%u_%u", p, q);
	wp->rx_ring = rte_ring_create(rn, 4096, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rn, sizeof(rn), "disp_tx_p%u_%u", p, q);
	wp->tx_ring = rte_ring_create(rn, 4096, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (wp->rx_ring == NULL || wp->tx_ring == NULL) {
		fprintf(stderr, "synack: port%u: cannot create dispatch rings: %s\n", p,
			rte_strerror(rte_errno));
		return EXIT_USAGE;
	}
	wp->arp_quiet = true;
	s->disps[p].rx[q] = wp->rx_ring;
	s->disps[p].tx[q] = wp->tx_ring;
	return 0;
}

/* Each worker gets its (port, queue) pairs with the port's addresses. */
static int
place_workers(struct synack *s)
{
	const struct cfg *cfg = s->cfg;

	for (unsigned int p = 0; p < cfg->nb_ports; p++) {
		const struct cfg_port *cp = &cfg->port[p];
		bool rss_sel = rss_select(s, p);

		for (unsigned int q = 0; q < s->pl.nb_owners[p]; q++) {
			struct worker *w = s->slot[s->pl.owner[p][q]].w;
			struct worker_port *wp = worker_add_port(
				w, (uint16_t)s->port_ids[p], s->pl.disp[p] ? 0 : (uint16_t)q,
				(uint8_t)p, s->pl.role[p], &s->ports[p].mac,
				cp->ip + s->pl.ss.ip_off[p], cp->prefix, cp->gateway,
				s->ports[p].mtu, s->ports[p].offloads, cfg->pool.neigh_max);

			if (wp == NULL) {
				fprintf(stderr, "synack: worker %u: cannot add port%u: %s\n", w->id,
					p, strerror(errno));
				return EXIT_USAGE;
			}
			wp->ip_n = s->pl.ss.ip_n[p]; /* the segment's addresses */
			wp->has_ip6 = !net6_is_unspec(cp->ip6);
			if (wp->has_ip6)
				net6_addrs_init(&wp->a6, cp->ip6, cp->ip6_count ? cp->ip6_count : 1,
						&wp->mac);
			wp->garp = q == 0 && (cp->ip != 0 || wp->has_ip6);
			if (rss_sel)
				wp->rss = &s->rss[p];
			if (s->pl.disp[p] && dispatch_rings(s, p, q, wp) != 0)
				return EXIT_USAGE;
		}
	}
	return 0;
}

int
setup_ports(struct synack *s)
{
	int rc = make_workers(s);

	if (rc != 0)
		return rc;
	choose_dispatch(s);
	if ((rc = bring_up(s)) != 0)
		return rc;
	if ((rc = place_workers(s)) != 0)
		return rc;
	return setup_impair(s);
}

/* Every application's free, then the transports, then the worker. */
static void
free_slot(struct slot *sl)
{
	if (sl->w == NULL)
		return;
	for (unsigned int i = 0; i < sl->w->nb_apps; i++)
		if (sl->w->apps[i].cls->free != NULL)
			sl->w->apps[i].cls->free(sl->w->apps[i].obj);
	sl->w->nb_apps = 0;
	sl->w->nb_polls = 0;
	if (sl->tcp != NULL)
		tcp_detach(sl->tcp);
	if (sl->udp != NULL)
		udp_detach(sl->udp);
	worker_free(sl->w);
}

void
teardown(struct synack *s)
{
	telemetry_stop(s);
	metrics_close();
	stats_report_free(s->rep);
	teardown_impair(s); /* held frames back to the pools first */
	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		free_slot(&s->slot[w]);
	if (s->srv != NULL)
		http_server_free(s->srv);
	if (s->access != NULL)
		http_log_close(s->access);
	free(s->request_big);
	for (unsigned int p = 0; p < s->nb_up; p++)
		port_close(&s->ports[p]);
	if (s->eal)
		rte_eal_cleanup();
}

volatile bool *
setup_stop_flag(void)
{
	return &stop_workers;
}
