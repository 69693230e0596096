/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP internals shared by tcp_flow.c (table, pools, timers), tcp_in.c
 * (input, state machine) and tcp_out.c (segments out).
 */
#ifndef SYNACK_TCP_PRIV_H
#define SYNACK_TCP_PRIV_H

#include <rte_hash.h>
#include <rte_tcp.h>

#include "tcp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sequence space arithmetic (RFC 9293 3.4) on signed 32-bit differences. */
#define SEQ_LT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)
#define SEQ_MAX(a, b) (SEQ_GT(a, b) ? (a) : (b))
#define SEQ_MIN(a, b) (SEQ_LT(a, b) ? (a) : (b))

#define TCP_NONE	UINT32_MAX    /**< null index */
#define TCP_CWND_MAX	(1u << 30)    /**< cwnd ceiling, bytes: far above any window, never wraps */
#define TCP_TSO_MAX	(63u * 1024u) /**< payload of one TSO frame at most (IPv4 length <= 64 KiB) */
#define TCP_MIN_SND_MSS 48u	      /**< floor of the peer's MSS (Linux's tcp_min_snd_mss) */

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

/* TCB flags */
#define TF_ACKNOW     (1u << 0)	 /**< send an ACK at the end of input */
#define TF_DELACK     (1u << 1)	 /**< an ACK is owed (delayed) */
#define TF_SACK	      (1u << 2)	 /**< SACK permitted both ways */
#define TF_TS	      (1u << 3)	 /**< timestamps on */
#define TF_WS	      (1u << 4)	 /**< window scaling on */
#define TF_FIN_QUEUED (1u << 5)	 /**< app closed: FIN after the queued data */
#define TF_FIN_SENT   (1u << 6)	 /**< our FIN has a sequence number (snd_max covers it) */
#define TF_RECOVERY   (1u << 7)	 /**< NewReno fast recovery */
#define TF_PASSIVE    (1u << 8)	 /**< opened by a SYN we received */
#define TF_RTT	      (1u << 9)	 /**< timing rtt_seq (Karn: not on retransmits) */
#define TF_IN_INPUT   (1u << 10) /**< inside input: output deferred to its end */
#define TF_OUTPUT     (1u << 11) /**< output wanted at the end of input */
#define TF_CLOSED     (1u << 12) /**< freed during input: do not touch */
#define TF_APP_SHIFT  13	 /**< bits 13-15: the owning application's slot */
#define TF_APP_MASK   (7u << TF_APP_SHIFT)
#define TCP_MAX_APPS  8 /**< applications per context (3 bits of flags) */

/** Flow key: the 4-tuple in network order. */
struct tcp_key {
	rte_be32_t rip;
	rte_be32_t lip;
	rte_be16_t rport;
	rte_be16_t lport;
} __rte_packed;

/**
 * The TCB. Its index in ctx->tcbs is its flow-table position. Kept small:
 * sizeof(struct tcb) is printed at start and checked by a test.
 */
struct tcb {
	struct tcp_key key; /* 12 */
	uint8_t state;
	uint8_t port;	/**< index of the worker_port */
	uint16_t flags; /**< TF_* */

	uint8_t snd_ws;	 /**< peer's window shift */
	uint8_t rcv_ws;	 /**< our window shift */
	uint8_t retries; /**< consecutive RTOs */
	uint8_t dupacks;
	uint16_t mss;	/**< effective send MSS (payload per segment) */
	uint16_t ooo_n; /**< segments in the out-of-order queue */

	/* send sequence space (RFC 9293 3.3.1); ISS is SND.UNA until our SYN
	 * is acknowledged, so it is not kept */
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max; /**< highest sequence sent + 1 */
	uint32_t snd_wnd; /**< peer's window, bytes (scaled) */
	uint32_t snd_wl1;
	uint32_t snd_wl2;
	uint32_t max_snd_wnd; /**< largest window seen (RFC 5961 5.2) */
	uint32_t cwnd;
	uint32_t ssthresh;
	uint32_t recover;  /**< NewReno (RFC 6582) */
	uint32_t high_rxt; /**< highest sequence retransmitted in recovery (RFC 6675) */

	/* receive sequence space; IRS is RCV.NXT - 1 while it matters (SYN-RECEIVED) */
	uint32_t rcv_nxt;
	uint32_t rcv_adv; /**< right edge last advertised */
	union {
		uint32_t ts_recent; /**< RFC 7323, with timestamps (TF_TS) */
		uint32_t rtt_start; /**< tick rtt_seq was sent, without them */
	};
	uint32_t last_ack_sent;

	/* RTT (RFC 6298), in ms ticks; srtt x8, rttvar x4 as in BSD */
	uint32_t rtt_seq;
	uint32_t srtt8;
	uint32_t rttvar4;
	uint32_t rto; /**< ms */

	/* timers: one wheel entry at min(rto_at, delack_at, app_at) */
	uint32_t t_next, t_prev; /**< wheel links (TCB indices) */
	uint32_t t_at;		 /**< tick of the wheel entry, 0 = not linked */
	uint32_t rto_at;	 /**< retransmit / SYN retry / TIME-WAIT end, 0 = off */
	uint32_t delack_at;	 /**< 0 = off */
	uint32_t app_at;	 /**< application timer (tcp_app_timer), 0 = off */

	/* send queue: data from snd_una on, referenced; the tail is found by
	 * walking (queues hold a few entries: one per response in flight) */
	uint32_t sndq_head;  /**< index into ctx->sndq */
	uint32_t sndq_off;   /**< bytes of the head entry already acked */
	uint32_t sndq_bytes; /**< bytes queued from snd_una */
	uint32_t ooo;	     /**< head of the out-of-order list (ctx->ooo index) */
	uint32_t retrans;    /**< segments retransmitted over the connection's life */

	uint64_t app[TCP_APP_DATA / 8]; /**< tcp_app_data() */
};

/**
 * Loss recovery and congestion control state beside the TCB (ctx->rk[i] for
 * tcbs[i]), so the TCB stays at its size: RACK-TLP (RFC 8985) and CUBIC
 * (RFC 9438). Zeroed when the TCB is taken.
 */
struct tcp_rack {
	uint32_t timer_at; /**< tick of the RACK reorder timer or the TLP's PTO, 0 = none */
	uint32_t tlp_high; /**< SND.MAX when the probe went (RFC 8985 TLP.end_seq), 0 = none */
	uint16_t min_rtt;  /**< ms, lowest RTT sample (RACK's reo_wnd = min_rtt / 4) */
	uint8_t timer;	   /**< TCP_RK_NONE / TCP_RK_REO / TCP_RK_PTO: what timer_at is */
	uint8_t reord;	   /**< reordering seen (RACK.reord): rely on time, not dupthresh */
	/* CUBIC (RFC 9438 4), bytes and ms ticks */
	uint32_t w_max;	     /**< window before the last reduction */
	uint32_t w_last_max; /**< the one before (fast convergence, 4.7) */
	uint32_t epoch;	     /**< tick the current congestion avoidance epoch began, 0 = none */
	union {
		struct {		/* in congestion avoidance (epoch != 0) */
			uint32_t k_ms;	/**< K of this epoch */
			uint32_t w_est; /**< Reno-friendly estimate (4.3) */
		};
		struct {			/* in recovery (epoch == 0): PRR, RFC 6937 */
			uint32_t prr_delivered; /**< bytes delivered since recovery began */
			uint32_t prr_out;	/**< bytes sent since recovery began */
		};
	};
	uint32_t recover_fs; /**< PRR RecoverFS: the flight when recovery began */
	uint32_t sacked;     /**< PRR: bytes the last ACK's SACK blocks reported */
};

#define TCP_RK_NONE 0
#define TCP_RK_REO  1 /**< RACK: a hole below SACKed data is lost at timer_at */
#define TCP_RK_PTO  2 /**< TLP: send a probe at timer_at */

/** One referenced chunk of application data. */
struct tcp_sndseg {
	const uint8_t *base;
	uint32_t len;
	uint32_t next;
};

/** One out-of-order segment kept (its mbuf holds the bytes). */
struct tcp_ooo {
	struct rte_mbuf *m;
	const uint8_t *data;
	uint32_t seq;
	uint32_t len;
	uint32_t next;
	uint8_t fin;
	uint8_t recent; /**< the most recently queued (first SACK block) */
};

/** A registered long-lived region (tcp_zc_register). */
struct tcp_zc_region {
	const uint8_t *base;
	const uint8_t *end;
	rte_iova_t iova; /**< of base */
	bool dma;	 /**< DPDK memory, one IOVA range: any port may take it */
	/** shared by every mbuf attached to the region: refcnt 1 + one per
	 *  attached mbuf; the free callback does nothing (the memory is the
	 *  application's) */
	struct rte_mbuf_ext_shared_info shinfo;
};

#define TCP_WHEEL_BITS 12
#define TCP_WHEEL_SIZE (1u << TCP_WHEEL_BITS)
#define TCP_WHEEL_MASK (TCP_WHEEL_SIZE - 1)

struct tcp_ctx {
	struct worker *w;
	struct tcp_conf conf;
	struct tcp_app apps[TCP_MAX_APPS]; /**< applications; [0] from tcp_attach */
	uint8_t nb_apps;
	uint8_t capp; /**< slot of tcp_connect's connections (tcp_set_client_app) */
	struct rte_hash *h;
	struct tcb *tcbs;
	struct tcp_rack *rk; /**< beside tcbs[] (struct tcp_rack) */
	uint32_t nb_slots;   /**< tcbs[] length */
	uint32_t nb_conns;
	uint32_t nb_synrcvd;
	uint8_t listen[65536]; /**< per port (host order): app slot + 1, 0 = closed */

	struct tcp_sndseg *sndq;
	uint32_t sndq_free;  /**< free list of entries used before */
	uint32_t sndq_fresh; /**< entries [sndq_fresh, sndq_cap) never used yet */
	uint32_t sndq_cap;

	struct tcp_ooo *ooo;
	uint32_t ooo_free;

	uint32_t nb_zc;
	struct tcp_zc_region *zc; /**< TCP_ZC_REGIONS, static storage per worker id:
					     mbufs attached to them may outlive the context */

	/* timers */
	uint32_t wheel[TCP_WHEEL_SIZE];
	uint32_t tick; /**< current ms tick (starts at 1) */
	uint64_t tsc_base;
	uint64_t tsc_per_ms;

	/* ISNs and timestamps that keep rising across processes (issue #11):
	 * the key comes from the boot (tcp_boot_key), the clocks from
	 * CLOCK_BOOTTIME read once at attach, plus the TSC since tsc_base */
	uint32_t isn_secret[4];
	uint32_t cookie_secret[2];
	uint32_t ts_offset;    /**< TSval = tick + ts_offset (boot ms + per-boot key) */
	uint64_t isn_us4_base; /**< the RFC 6528 4 us clock at tsc_base */
	uint64_t tsc_per_us4;  /**< TSC cycles per 4 us */
};

static inline struct tcb *
tcb_of(struct tcp_ctx *c, uint32_t i)
{
	return &c->tcbs[i];
}

static inline uint32_t
tcb_index(const struct tcp_ctx *c, const struct tcb *t)
{
	return (uint32_t)(t - c->tcbs);
}

static inline struct worker_port *
tcb_port(struct tcp_ctx *c, const struct tcb *t)
{
	return &c->w->port[t->port];
}

/** The application of t: the listener's (passive), or the one that opened it. */
static inline const struct tcp_app *
tcb_app(const struct tcp_ctx *c, const struct tcb *t)
{
	return &c->apps[(t->flags & TF_APP_MASK) >> TF_APP_SHIFT];
}

/** Count one retransmitted segment of t: the worker's tcp_retrans and the TCB's own. */
static inline void
tcp_count_retrans(struct tcp_ctx *c, struct tcb *t)
{
	stats_inc(&c->w->stats, STAT_tcp_retrans);
	t->retrans++;
}

static inline uint32_t
tcp_flight(const struct tcb *t)
{
	return t->snd_max - t->snd_una;
}

/* tcp_flow.c */
struct tcb *tcp_tcb_new(struct tcp_ctx *c, const struct tcp_key *k, uint8_t port);
void tcp_tcb_free(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, bool notify);
struct tcb *tcp_lookup(struct tcp_ctx *c, const struct tcp_key *k);
void tcp_timer_update(struct tcp_ctx *c, struct tcb *t);
void tcp_timer_advance(struct worker *w, void *ctx);
uint32_t tcp_now(const struct tcp_ctx *c);
uint32_t tcp_isn(struct tcp_ctx *c, const struct tcp_key *k);
/**
 * Four key words stable across the processes of one boot: a hash of
 * /proc/sys/kernel/random/boot_id (read once per process); random when it
 * cannot be read (then ISNs and timestamps do not survive a restart).
 * @return true when the key comes from the boot id.
 */
bool tcp_boot_key(uint32_t key[4]);
void tcp_sndq_drop(struct tcp_ctx *c, struct tcb *t, uint32_t acked);
void tcp_sndq_clear(struct tcp_ctx *c, struct tcb *t);
void tcp_ooo_clear(struct tcp_ctx *c, struct tcb *t);
void tcp_enter_time_wait(struct tcp_ctx *c, struct tcb *t);
uint32_t tcp_cookie_make(struct tcp_ctx *c, const struct tcp_key *k, uint32_t peer_seq,
			 uint16_t mss);
int tcp_cookie_check(struct tcp_ctx *c, const struct tcp_key *k, uint32_t peer_seq, uint32_t cookie,
		     uint16_t *mss);

/* tcp_out.c */
void tcp_output(struct tcp_ctx *c, struct tcb *t);
void tcp_send_ack(struct tcp_ctx *c, struct tcb *t);
void tcp_send_syn(struct tcp_ctx *c, struct tcb *t);
void tcp_send_rst(struct tcp_ctx *c, struct tcb *t);
void tcp_retransmit_una(struct tcp_ctx *c, struct tcb *t);
/** Resend [seq, seq + len) of sent data (SACK-based loss recovery). */
void tcp_retransmit_seg(struct tcp_ctx *c, struct tcb *t, uint32_t seq, uint32_t len);
/** RST for a segment with no connection (RFC 9293 3.10.7.1); th/len from the segment. */
void tcp_send_rst_reply(struct tcp_ctx *c, struct worker_port *wp, const struct rte_mbuf *m,
			const struct net_info *ni, const struct rte_tcp_hdr *th, uint32_t seg_len);
/** SYN-ACK carrying a cookie, no state kept. */
void tcp_send_cookie_synack(struct tcp_ctx *c, struct worker_port *wp, const struct tcp_key *k,
			    uint32_t iss, uint32_t rcv_nxt, uint16_t mss);
uint32_t tcp_rcv_window(const struct tcp_ctx *c, const struct tcb *t);

/** What the options of one segment said. */
struct tcp_opts {
	uint16_t mss;
	uint8_t ws;
	bool has_mss, has_ws, sackok, has_ts, has_sack;
	uint32_t tsval, tsecr;
	uint32_t sack_hi; /**< highest right edge of the SACK blocks (has_sack) */
	uint8_t nsack;	  /**< SACK blocks below, as received */
	uint32_t sack_l[4], sack_r[4];
};

static inline struct tcp_rack *
tcb_rk(struct tcp_ctx *c, const struct tcb *t)
{
	return &c->rk[tcb_index(c, t)];
}

/* tcp_cc.c: congestion control (CUBIC, RFC 9438; NewReno, RFC 5681/6582) */
/** New data acked outside recovery: grow cwnd (slow start or the CC's avoidance). */
void tcp_cc_ack(struct tcp_ctx *c, struct tcb *t, uint32_t acked);
/** A congestion event (fast retransmit, RACK): ssthresh for the recovery. */
uint32_t tcp_cc_ssthresh(struct tcp_ctx *c, struct tcb *t);
/** An RTO: ssthresh, and CUBIC's epoch ends. */
void tcp_cc_rto(struct tcp_ctx *c, struct tcb *t);
/** Fast recovery begins (after the first retransmission of len bytes): PRR state. */
void tcp_prr_start(struct tcp_ctx *c, struct tcb *t, uint32_t len);
/** An ACK in recovery on a SACK connection (o: its options, old_una before it):
 *  PRR (RFC 6937) decides how much may go, holes first, then new data. */
void tcp_prr_ack(struct tcp_ctx *c, struct tcb *t, uint32_t old_una, const struct tcp_opts *o);
/** W_cubic(t) (RFC 9438 eq. 1), bytes: t_ms after the epoch began. */
uint32_t tcp_cubic_window(uint32_t w_max, uint32_t k_ms, uint32_t t_ms, uint16_t mss);
/** K (RFC 9438 eq. 2), ms, for a window of cwnd_epoch bytes after a reduction from w_max. */
uint32_t tcp_cubic_k(uint32_t w_max, uint32_t cwnd_epoch, uint16_t mss);

/* tcp_rack.c: RACK-TLP (RFC 8985) */
/** An RTT sample (ms). */
void tcp_rack_rtt(struct tcp_ctx *c, struct tcb *t, uint32_t rtt);
/** A duplicate ACK with SACK blocks above SND.UNA: true when RACK takes the
 *  decision (arms its reorder timer) instead of the DupThresh rule. */
bool tcp_rack_dupack(struct tcp_ctx *c, struct tcb *t, uint32_t dupthresh);
/** SND.UNA advanced from old_una (not in recovery): reordering seen? timers reset. */
void tcp_rack_acked(struct tcp_ctx *c, struct tcb *t, uint32_t old_una);
/** End of output: (re)arm the probe timeout when a probe may help. */
void tcp_rack_arm(struct tcp_ctx *c, struct tcb *t);
/** The retransmission timer fired: true when it was RACK's or TLP's (handled). */
bool tcp_rack_timer(struct tcp_ctx *c, struct tcb *t);

/* tcp_in.c */
/** Resend the next SACK hole (RFC 6675 NextSeg rule 1); its length, 0 = none. */
uint32_t tcp_sack_retransmit(struct tcp_ctx *c, struct tcb *t, const struct tcp_opts *o);
/** Parse len bytes of options; -1 when an option length is malformed. */
int tcp_parse_opts(const uint8_t *o, uint32_t len, struct tcp_opts *out);
void tcp_input(struct worker *w, struct worker_port *wp, struct rte_mbuf *m,
	       const struct net_info *ni, void *ctx);
void tcp_rto_fire(struct tcp_ctx *c, struct tcb *t);
/** Enter fast recovery and resend SND.UNA (RFC 6582 3.2 step 2, with the CC's ssthresh). */
void tcp_fast_retransmit(struct tcp_ctx *c, struct tcb *t);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_TCP_PRIV_H */
