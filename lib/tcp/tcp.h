/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP (RFC 9293) on a worker: flow table, TCBs, state machine, timers.
 *
 * One struct tcp_ctx per worker, attached to it with tcp_attach(). The
 * application sits on a callback API (struct tcp_app), like lwIP's raw API:
 * the stack knows nothing of HTTP. Data given to tcp_send() is referenced,
 * not copied: it is read when a segment is built and again for every
 * retransmission, so it must stay valid and unchanged until it has left the
 * send queue (the app's released() callback, or sent() reporting it
 * acknowledged); prebuilt templates live for the whole run.
 */
#ifndef SYNACK_TCP_H
#define SYNACK_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/stack/stack.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Runtime knobs ([tcp] section); tcp_conf_defaults() fills them. */
struct tcp_conf {
	uint32_t max_conns;    /**< flow table / TCB pool size per worker */
	uint16_t mss;	       /**< our MSS; 0 = from the port MTU */
	uint32_t rcv_wnd;      /**< receive window we advertise, bytes */
	bool wscale;	       /**< offer window scaling (RFC 7323) */
	bool sack;	       /**< offer SACK-permitted (RFC 2018) */
	bool timestamps;       /**< offer timestamps (RFC 7323) */
	bool syncookies;       /**< answer SYNs with cookies when full (RFC 4987) */
	uint32_t syn_backlog;  /**< SYN-RECEIVED connections at most */
	uint32_t time_wait_ms; /**< TIME-WAIT length (short default for benchmarks) */
	uint32_t delack_ms;    /**< delayed ACK timeout */
	uint32_t rto_init_ms;  /**< initial RTO (RFC 6298: 1 s) */
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t syn_retries;	/**< SYN / SYN-ACK retransmissions before giving up */
	uint32_t max_retries;	/**< data retransmissions before abort with RST */
	uint32_t sndq_segs;	/**< send-queue entries per worker (shared pool) */
	uint32_t ooo_max;	/**< out-of-order segments kept per connection */
	uint32_t init_cwnd;	/**< initial window in segments (RFC 6928: 10) */
	uint32_t zero_copy_min; /**< payload bytes from which a segment of registered
					     memory (tcp_zc_register) is attached, not copied,
					     on ports with PORT_OFF_MULTI_SEGS; 0 = never */
	uint8_t cc;		/**< TCP_CC_CUBIC (default) or TCP_CC_NEWRENO */
};

#define TCP_CC_CUBIC   0 /**< RFC 9438 */
#define TCP_CC_NEWRENO 1 /**< RFC 5681 / 6582 */

void tcp_conf_defaults(struct tcp_conf *c);

struct tcp_ctx;
struct tcb;

enum tcp_state {
	TCP_CLOSED = 0,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
};

/** Why a connection went away (closed() callback). */
enum tcp_close_reason {
	TCP_CLOSE_NORMAL = 0, /**< FIN exchange completed */
	TCP_CLOSE_RESET,      /**< the peer sent RST */
	TCP_CLOSE_TIMEOUT,    /**< retransmissions ran out */
	TCP_CLOSE_ABORT,      /**< the application aborted (RST sent) */
	TCP_CLOSE_REFUSED,    /**< active open answered with RST */
};

/** Application callbacks; run on the worker, inside tcp input or timers. */
struct tcp_app {
	/** Passive open completed (ESTABLISHED). */
	void (*accepted)(struct tcp_ctx *c, struct tcb *t, void *arg);
	/** Active open completed (ESTABLISHED). */
	void (*connected)(struct tcp_ctx *c, struct tcb *t, void *arg);
	/** In-order bytes; valid only during the call. */
	void (*recv)(struct tcp_ctx *c, struct tcb *t, const uint8_t *data, uint32_t len,
		     void *arg);
	/** acked bytes of queued data were acknowledged (their memory may be reused). */
	void (*sent)(struct tcp_ctx *c, struct tcb *t, uint32_t acked, void *arg);
	/**
	 * One chunk queued by tcp_send() (base and len as given there) left the
	 * send queue: every byte of it acknowledged, or the connection dropped
	 * what was still queued (reset, abort, timeout, TIME-WAIT). TCP reads
	 * the bytes no more, except registered memory (tcp_zc_register) that
	 * attached mbufs may still reference. Called once per queued chunk, in
	 * queue order, not at tcp_detach(); t may be closing: do not call into
	 * TCP for it. NULL = not wanted.
	 */
	void (*released)(struct tcp_ctx *c, struct tcb *t, const void *base, uint32_t len,
			 void *arg);
	/** The peer sent FIN: no more data will come. */
	void (*peer_closed)(struct tcp_ctx *c, struct tcb *t, void *arg);
	/** The connection is gone; t is invalid after the call. */
	void (*closed)(struct tcp_ctx *c, struct tcb *t, enum tcp_close_reason why, void *arg);
	/** The application timer (tcp_app_timer) expired. */
	void (*timeout)(struct tcp_ctx *c, struct tcb *t, void *arg);
	void *arg;
};

/**
 * Create the TCP context of worker w and attach it (w->tcp). Allocates the
 * flow table and every TCB up front. NULL + errno on failure.
 */
struct tcp_ctx *tcp_attach(struct worker *w, const struct tcp_conf *conf,
			   const struct tcp_app *app);
void tcp_detach(struct tcp_ctx *c);

/**
 * Add an application (its callbacks) to the context: the same callbacks
 * twice give the same slot. Slot 0 is tcp_attach's. Every connection belongs
 * to one slot: the listener's for a passive open, the caller's for
 * tcp_connect_app.
 * @return the slot (0..7), or -ENOSPC.
 */
int tcp_app_add(struct tcp_ctx *c, const struct tcp_app *app);

/**
 * Accept connections to port (host order), on every port of the worker,
 * for tcp_attach's application.
 * @return 0, or -EADDRINUSE when another application listens on port.
 */
int tcp_listen(struct tcp_ctx *c, uint16_t port);

/**
 * Accept connections to port with their own callbacks (another application
 * than tcp_attach's: e.g. iperf3 beside the HTTP responder).
 * @return 0, -ENOSPC (8 applications already), or -EADDRINUSE when another
 * application listens on port.
 */
int tcp_listen_app(struct tcp_ctx *c, uint16_t port, const struct tcp_app *app);

/** Stop accepting connections to port (open connections stay). */
void tcp_unlisten(struct tcp_ctx *c, uint16_t port);

/**
 * Active open from wp's address lip to rip:rport, using lport (all network
 * order; lip one of wp's addresses, the caller owns address and port
 * allocation). *out gets the TCB.
 * @return 0, -EEXIST (tuple in use), -ENOSPC (table full), -EADDRNOTAVAIL
 * (lip is not one of wp's addresses).
 */
int tcp_connect(struct tcp_ctx *c, struct worker_port *wp, rte_be32_t lip, rte_be16_t lport,
		rte_be32_t rip, rte_be16_t rport, struct tcb **out);

/**
 * tcp_connect for the application in slot app (tcp_app_add): the
 * connection's callbacks are that application's.
 * @return as tcp_connect, or -EINVAL for a slot that is not in use.
 */
int tcp_connect_app(struct tcp_ctx *c, int app, struct worker_port *wp, rte_be32_t lip,
		    rte_be16_t lport, rte_be32_t rip, rte_be16_t rport, struct tcb **out);

/**
 * Queue len bytes at data for sending, referenced (not copied) until they
 * leave the send queue (released()): they must not change before, or a
 * retransmission would carry other bytes than the first transmission
 * (RFC 9293 3.4: an octet has one sequence number, so one value). One
 * queued chunk per call with len > 0.
 * @return 0, or -ENOBUFS (send queue pool empty), -ENOTCONN (not open for sending).
 */
int tcp_send(struct tcp_ctx *c, struct tcb *t, const void *data, uint32_t len);

/** Long-lived memory regions per context that segments may reference (tcp_zc_register). */
#define TCP_ZC_REGIONS 16

/**
 * Register [base, base + len) as long-lived application memory: payload
 * queued from it (tcp_send) goes out zero-copy -- each data segment of at
 * least conf.zero_copy_min bytes that lies in one queued chunk is a header
 * mbuf chained to an mbuf attached to the bytes as an external buffer --
 * on ports with PORT_OFF_MULTI_SEGS; retransmissions attach again. The
 * memory must stay valid and unchanged until the workers have stopped:
 * segments referencing it may sit in TX rings, or at the peer of a
 * net_ring link, after the data was acknowledged (freeing such an mbuf
 * later touches only static storage). Ports that DMA (PORT_OFF_TX_DMA) get
 * it zero-copy only when it is DPDK memory in one IOVA range (rte_malloc);
 * other memory is copied for them. Registering the same range again is a
 * no-op.
 * @return 0, -EINVAL (NULL, len 0 or > 4 GiB), -ENOSPC (TCP_ZC_REGIONS full).
 */
int tcp_zc_register(struct tcp_ctx *c, const void *base, size_t len);

/** Send FIN after the queued data (RFC 9293 CLOSE). */
void tcp_close(struct tcp_ctx *c, struct tcb *t);

/** Send RST and drop the connection now (RFC 9293 ABORT); closed() is called. */
void tcp_abort(struct tcp_ctx *c, struct tcb *t);

/**
 * End of run: abort every connection that is not in TIME-WAIT, so the peers
 * are not left holding them (and a later run's reuse of the same ports is
 * not answered with their old sequence numbers). Visits every TCB slot.
 * The caller flushes the worker's TX batches afterwards.
 * @return the connections aborted.
 */
uint32_t tcp_abort_all(struct tcp_ctx *c);

/** Bytes of per-connection application state in the TCB (8-byte aligned). */
#define TCP_APP_DATA 48

/** TCP_APP_DATA bytes for the application, zeroed at open. */
void *tcp_app_data(struct tcb *t);

/**
 * Arm t's application timer to fire timeout() in ms milliseconds (replacing
 * any armed one); 0 disarms it. O(1).
 */
void tcp_app_timer(struct tcp_ctx *c, struct tcb *t, uint32_t ms);

/**
 * Callbacks for the connections tcp_connect opens (added with tcp_app_add);
 * by default they are tcp_attach's.
 * @return the slot, or -ENOSPC.
 */
int tcp_set_client_app(struct tcp_ctx *c, const struct tcp_app *app);

enum tcp_state tcp_get_state(const struct tcb *t);
const char *tcp_state_name(enum tcp_state s);

/** Connections currently in the table (any state but CLOSED). */
uint32_t tcp_nb_conns(const struct tcp_ctx *c);

/** sizeof(struct tcb). */
size_t tcp_tcb_size(void);

/** Bytes per connection: TCB + flow-table share (printed at start). */
size_t tcp_bytes_per_conn(const struct tcp_ctx *c);

/** One connection's transmission state (tcp_get_info), as Linux's struct tcp_info. */
struct tcp_info {
	uint8_t state;	   /**< enum tcp_state */
	uint8_t retries;   /**< consecutive RTOs now */
	uint16_t mss;	   /**< payload bytes per segment */
	uint32_t cwnd;	   /**< congestion window, bytes */
	uint32_t ssthresh; /**< bytes; UINT32_MAX until the first loss */
	uint32_t snd_wnd;  /**< the peer's window, bytes (scaled) */
	uint32_t flight;   /**< bytes sent and not acknowledged (SND.MAX - SND.UNA) */
	uint32_t queued;   /**< bytes in the send queue, unacknowledged ones included */
	uint32_t srtt_us;  /**< smoothed RTT (RFC 6298), 0 = no sample yet; the
					     TCP clock ticks in ms: 1 ms is "1 ms or less" */
	uint32_t rttvar_us;
	uint32_t rto_ms;
	uint32_t total_retrans; /**< segments retransmitted since the open (SYN, data, FIN,
					     probes): Linux's tcpi_total_retrans, what iperf3
					     reports as "retransmits" */
};

/** Fill *info from t. O(1), reads only. */
void tcp_get_info(const struct tcb *t, struct tcp_info *info);

/** Address of t (network order) for logs. */
void tcp_get_tuple(const struct tcb *t, rte_be32_t *lip, rte_be16_t *lport, rte_be32_t *rip,
		   rte_be16_t *rport);

/** Which connections tcp_snapshot copies: every set field must match. */
struct tcp_snap_filter {
	int state;	 /**< enum tcp_state, -1 = any */
	uint16_t port;	 /**< host order, local or remote; 0 = any */
	rte_be32_t addr; /**< local or remote address; 0 = any */
};

/** One connection as tcp_snapshot saw it. */
struct tcp_snap_entry {
	rte_be32_t lip, rip;
	rte_be16_t lport, rport;
	uint8_t port; /**< the worker_port index */
	struct tcp_info info;
};

/**
 * A walk over one worker's table, resumable: the caller fills f, skip, max
 * and buf and zeroes the rest; each tcp_snapshot call visits at most budget
 * table slots from cursor on. Matches are counted in matched; the first
 * skip of them are passed over (pagination), the next max copied into buf.
 */
struct tcp_snap {
	struct tcp_snap_filter f;
	uint32_t skip;
	uint32_t max;
	struct tcp_snap_entry *buf;
	uint32_t cursor;		      /**< next slot to visit */
	uint32_t matched;		      /**< connections matching f so far */
	uint32_t n;			      /**< entries in buf */
	uint32_t by_state[TCP_TIME_WAIT + 1]; /**< matches per state */
};

/**
 * Continue walk s over c's table. Run it on c's own worker (a worker_req):
 * it reads the live table. Visits at most budget slots.
 * @return true when the walk is complete.
 */
bool tcp_snapshot(const struct tcp_ctx *c, struct tcp_snap *s, uint32_t budget);

/**
 * The listening TCP ports of c (host order, ascending), at most max. The
 * listen table is written by the main lcore or c's worker one byte per
 * port, so another thread may read it (byte loads, relaxed).
 * @return how many there are (may exceed max).
 */
uint32_t tcp_listeners(const struct tcp_ctx *c, uint16_t *ports, uint32_t max);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_TCP_H */
