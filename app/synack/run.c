/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The run: launch the workers, report once per interval, stop on duration,
 * on the bounded work being done, on a stop condition or on SIGINT/SIGTERM;
 * then end what is in flight, give the verdict, and linger if asked.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "app/synack/synack.h"
#include "lib/http/http.h"
#include "lib/stack/capture.h"
#include "lib/tcp/tcp.h"

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
launch(struct synack *s)
{
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		int r = rte_eal_remote_launch(worker_main, s->slot[w].w, s->slot[w].lcore);

		if (r != 0) {
			fprintf(stderr, "synack: cannot launch worker %u on lcore %u: %s\n", w,
				s->slot[w].lcore, rte_strerror(-r));
			*setup_stop_flag() = true;
			rte_eal_mp_wait_lcore();
			return EXIT_USAGE;
		}
	}
	s->ran = true;
	return 0;
}

/* Whether a bounded application (a load model) still works. */
static bool
busy(const struct synack *s)
{
	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		if (worker_busy(s->slot[w].w))
			return true;
	return false;
}

/* The connections in the tables now, for the memory report's peak. */
static void
track_peak(struct synack *s, uint64_t t)
{
	uint64_t open = 0;

	for (unsigned int w = 0; w < s->pl.nb_workers; w++)
		if (s->slot[w].tcp != NULL)
			open += tcp_nb_conns(s->slot[w].tcp); /* a gauge: one word read */
	if (open > s->peak_conns) {
		s->peak_conns = open;
		s->t_peak = t;
	}
}

/* Once a millisecond until a stop; returns the exit code so far. */
static int
loop(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	uint64_t t0 = now_ms(), t, next_report = cfg->run.report_ms;

	s->status = "done";
	for (;;) {
		usleep(1000);
		t = now_ms() - t0;
		s->t_ms = t;
		if (got_signal) {
			s->status = "interrupted";
			return EXIT_DONE;
		}
		if (s->srv != NULL)
			http_server_tick(s->srv, time(NULL));
		metrics_poll(s);
		if (s->cap != NULL)
			capture_drain(s->cap);
		http_log_flush(s->access);
		track_peak(s, t);
		if (t >= next_report) {
			stats_report_interval(s->rep, t);
			next_report += cfg->run.report_ms;
			if (report_check_stop(s, t))
				return EXIT_FAILED;
		}
		/* past the duration, the models get their grace to finish
		 * (the last echoes, the closes, the iperf3 results exchange) */
		if (cfg->run.duration_ms != 0 && t >= cfg->run.duration_ms + s->pl.grace_ms)
			return EXIT_DONE;
		if (s->pl.nb_clients > 0 && !busy(s)) {
			/* the bounded work is done: let the server side (mode both)
			 * take the last segments in flight */
			if (s->pl.nb_servers > 0)
				usleep(100 * 1000);
			return EXIT_DONE;
		}
	}
}

/*
 * The workers are stopped, so their queues are free to use from here: leave
 * no peer holding a connection (RST what is still open), then every
 * application's stop.
 */
static void
stop(struct synack *s)
{
	*setup_stop_flag() = true;
	rte_eal_mp_wait_lcore();
	s->peak_rss = rss_bytes();
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		struct worker *wk = s->slot[w].w;

		if (s->slot[w].tcp == NULL)
			continue;
		wk->now = rte_rdtsc();
		tcp_abort_all(s->slot[w].tcp);
		for (unsigned int p = 0; p < wk->nb_ports; p++)
			if (wk->port[p].tx_n != 0)
				worker_flush(wk, &wk->port[p]);
	}
	for (unsigned int w = 0; w < s->pl.nb_workers; w++) {
		struct worker *wk = s->slot[w].w;

		for (unsigned int i = 0; i < wk->nb_apps; i++)
			if (wk->apps[i].cls->stop != NULL)
				wk->apps[i].cls->stop(wk->apps[i].obj);
	}
}

/*
 * run.linger: the workers are stopped; keep the ports up until the peer
 * leaves, so that on a shared-memory link (memif) the peer's teardown finds
 * nobody polling here (the 22.11 PMD unmaps the rings under a polling
 * lcore) and the peer is the side that closes first.
 */
static void
linger(struct synack *s)
{
	uint64_t l0 = now_ms(), waited = 0;
	bool up = true;

	if (!s->ran || s->cfg->run.linger_ms == 0 || got_signal || s->nb_up == 0)
		return;
	printf("synack: linger: ports up, workers stopped, until the peer leaves "
	       "(%.1fs at most)\n",
	       (double)s->cfg->run.linger_ms / 1000.0);
	fflush(stdout);
	while (up && !got_signal && (waited = now_ms() - l0) < s->cfg->run.linger_ms) {
		for (int i = 0; i < 10; i++) {
			usleep(1000);
			metrics_poll(s); /* scrapers see the final counters */
		}
		up = false;
		for (unsigned int p = 0; p < s->nb_up; p++) {
			struct rte_eth_link link;

			memset(&link, 0, sizeof(link));
			if (rte_eth_link_get_nowait(s->ports[p].port_id, &link) == 0 &&
			    link.link_status == RTE_ETH_LINK_UP)
				up = true;
		}
	}
	/* memif marks the link down first, then tears the rings down in its
	 * interrupt thread: let that finish before our own close */
	if (!up)
		usleep(200 * 1000);
	printf("synack: linger: %s after %.1fs\n",
	       !up	    ? "every link is down (the peer left)"
	       : got_signal ? "stopped by a signal"
			    : "time is up",
	       (double)waited / 1000.0);
	fflush(stdout);
}

static uint64_t
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* What this process runs of the whole (run.segment), once at the start. */
static void
print_segment(const struct synack *s)
{
	const struct plan *pl = &s->pl;
	char seg[48];

	if (pl->seg.whole)
		return;
	segment_str(&pl->seg, seg, sizeof(seg));
	if (pl->seg_idle) {
		printf("synack: %s\n", pl->seg_note);
		return;
	}
	printf("synack: segment %s (%u of %u): rate %" PRIu64 ", concurrency %u, count %" PRIu64
	       ", source %s %u-%u\n",
	       seg, pl->seg.index, pl->seg.count, pl->ss.rate, pl->ss.conc, pl->ss.count,
	       pl->ss.by_address ? "addresses split, ports" : "ports", pl->ss.port_lo,
	       pl->ss.port_hi);
}

/*
 * run.start_at: the ports are up; sleep until the instant on the wall clock
 * (TIMER_ABSTIME: a clock step while waiting still ends at the instant),
 * then say how late the start is -- the run's clock starts here.
 */
static void
wait_start(struct synack *s)
{
	uint64_t at = s->cfg->run.start_at_ns, now = wall_ns();
	struct timespec ts = {.tv_sec = (time_t)(at / 1000000000ull),
			      .tv_nsec = (long)(at % 1000000000ull)};
	char js[128];
	double late;

	if (at == 0)
		return;
	if (now < at) {
		printf("synack: start_at %.3f: waiting %.3fs with the ports up\n", (double)at / 1e9,
		       (double)(at - now) / 1e9);
		fflush(stdout);
		while (!got_signal &&
		       clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) != 0)
			;
	}
	now = wall_ns();
	late = ((double)now - (double)at) / 1e6;
	printf("synack: start_at %.3f: started %.3f ms late\n", (double)at / 1e9, late);
	fflush(stdout);
	snprintf(js, sizeof(js), "{\"start_at\":%.3f,\"late_ms\":%.3f}", (double)at / 1e9, late);
	stats_report_add_json(s->rep, "start", js);
}

int
run(struct synack *s)
{
	const struct cfg *cfg = s->cfg;
	int rc;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* before the start line: a script that waits for it finds both */
	if ((rc = telemetry_start(s)) != 0 || (rc = metrics_open(s)) != 0)
		return rc;
	printf("synack: mode %s, %u worker%s, duration %s, model %s\n",
	       cfg_mode_name(cfg->run.mode), s->pl.nb_workers, s->pl.nb_workers > 1 ? "s" : "",
	       cfg->run.duration_ms ? "bounded" : "until SIGINT",
	       s->pl.nb_clients ? cfg_model_name(cfg->client.model)
	       : s->pl.seg_idle ? "none (this segment has no share)"
				: "none (server)");
	print_segment(s);
	fflush(stdout);
	wait_start(s);
	if ((rc = launch(s)) != 0)
		return rc;
	rc = loop(s);
	stop(s);
	if (s->cap != NULL) {
		capture_close(s->cap, stdout);
		s->cap = NULL;
	}
	int v = verdict(s);
	linger(s);
	return rc != EXIT_DONE ? rc : v;
}
