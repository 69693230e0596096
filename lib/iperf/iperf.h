/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * iperf3 on the wire: the protocol of iperf3 3.12 (learned from its
 * documentation and from captures of stock iperf3 client <-> server), as an
 * application on synack's TCP and UDP APIs.
 *
 * The conversation, one test at a time, on a control TCP connection to the
 * server port (5201):
 *
 *   C: cookie, 37 bytes (36 characters of [a-z2-7] + NUL)
 *   S: PARAM_EXCHANGE (9)          one signed byte per state
 *   C: 4-byte big-endian length + JSON parameters {"tcp":true,"time":5,...}
 *   S: CREATE_STREAMS (10)
 *   C: TCP: one connection per stream to the same port, each sending the
 *      cookie first; UDP: from each stream's socket, a 4-byte datagram
 *      "9876" to the same port, answered by "6789"
 *   S: TEST_START (1), TEST_RUNNING (2)
 *      data flows: client -> server, or server -> client with "reverse"
 *   C: TEST_END (4) when its time (or byte count) is over
 *   S: EXCHANGE_RESULTS (13)
 *   C: length + JSON results;  S: length + JSON results
 *   S: DISPLAY_RESULTS (14)
 *   C: IPERF_DONE (16); both close
 *
 * A control connection that arrives while a test runs gets ACCESS_DENIED
 * (-1) and is closed. Stream ids are 1 for the first stream and n + 1 for
 * the n-th (1, 3, 4, 5, ...), on both sides. UDP payloads start with the
 * send time (seconds, microseconds) and a packet counter from 1, 32 bits or
 * 64 with "udp_counters_64bit", all big-endian.
 *
 * This header has the wire pieces (control reader, JSON parameters and
 * results through cJSON, the UDP header, the receiver's loss and jitter
 * accounting, the control-state machine) and the two applications: the
 * server ([iperf] listen) and the client (client.model = iperf).
 */
#ifndef SYNACK_IPERF_H
#define SYNACK_IPERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPERF_PORT	      5201
#define IPERF_COOKIE_LEN      37	    /**< 36 characters + NUL */
#define IPERF_MAX_STREAMS     128	    /**< iperf3's limit on -P */
#define IPERF_JSON_MAX	      (64 * 1024)   /**< largest JSON message accepted */
#define IPERF_UDP_CONNECT_LEN 4		    /**< "9876" / "6789" */
#define IPERF_MAX_BLOCK	      (1024 * 1024) /**< largest "len" (TCP) */
#define IPERF_MAX_UDP_BLOCK   65507	    /**< largest "len" (UDP) */

/** The one-byte states of the control connection. */
enum iperf_state {
	IPERF_TEST_START = 1,
	IPERF_TEST_RUNNING = 2,
	IPERF_TEST_END = 4,
	IPERF_PARAM_EXCHANGE = 9,
	IPERF_CREATE_STREAMS = 10,
	IPERF_SERVER_TERMINATE = 11,
	IPERF_CLIENT_TERMINATE = 12,
	IPERF_EXCHANGE_RESULTS = 13,
	IPERF_DISPLAY_RESULTS = 14,
	IPERF_IPERF_START = 15,
	IPERF_IPERF_DONE = 16,
	IPERF_ACCESS_DENIED = -1,
	IPERF_SERVER_ERROR = -2,
};

/** iperf3's error numbers sent after SERVER_ERROR (two 32-bit big-endian ints). */
#define IPERF_IE_RECVPARAMS 114 /**< "unable to receive parameters from client" */

const char *iperf_state_name(int s);

/* ---- the control-state machine ---- */

/** Where a control conversation is (server or client side). */
enum iperf_phase {
	IPERF_PH_COOKIE = 0, /**< S: reading the cookie; C: sent it, waiting PARAM_EXCHANGE */
	IPERF_PH_PARAMS,     /**< S: reading the parameters; C: sent them, waiting CREATE_STREAMS */
	IPERF_PH_CREATE,     /**< streams being created; C: waiting TEST_START */
	IPERF_PH_START,	     /**< C: TEST_START seen, waiting TEST_RUNNING */
	IPERF_PH_RUNNING,    /**< data flowing; S: waiting TEST_END */
	IPERF_PH_END,	     /**< C: TEST_END sent, waiting EXCHANGE_RESULTS */
	IPERF_PH_RESULTS,    /**< S: reading the client's results; C: reading the server's */
	IPERF_PH_DISPLAY,    /**< S: waiting IPERF_DONE; C: waiting DISPLAY_RESULTS */
	IPERF_PH_DONE,	     /**< finished */
	IPERF_PH_ABORTED,    /**< the peer ended it (CLIENT/SERVER_TERMINATE, error) */
};

const char *iperf_phase_name(enum iperf_phase p);

/**
 * The server's move on a state byte from the client in phase cur.
 * @return 0 with *next set; -ECONNABORTED (CLIENT_TERMINATE: *next =
 * ABORTED); -EPROTO (a byte that has no place in cur).
 */
int iperf_srv_step(enum iperf_phase cur, int8_t state, enum iperf_phase *next);

/**
 * The client's move on a state byte from the server in phase cur.
 * @return 0 with *next set; -EACCES (ACCESS_DENIED), -ECONNABORTED
 * (SERVER_ERROR, SERVER_TERMINATE), both with *next = ABORTED; -EPROTO.
 */
int iperf_cli_step(enum iperf_phase cur, int8_t state, enum iperf_phase *next);

/* ---- the control reader ---- */

/** What the reader expects next. */
enum iperf_msg {
	IPERF_MSG_COOKIE = 0, /**< 37 bytes, NUL-terminated, printable */
	IPERF_MSG_STATE,      /**< one signed byte */
	IPERF_MSG_JSON,	      /**< 4-byte big-endian length (1..IPERF_JSON_MAX) + bytes */
	IPERF_MSG_ERRNO,      /**< after SERVER_ERROR: two 32-bit big-endian ints */
};

enum iperf_rx_rc {
	IPERF_RX_OK = 0, /**< a message is complete */
	IPERF_RX_AGAIN,	 /**< all input used, message not complete */
	IPERF_RX_ERROR,	 /**< malformed: bad length, bad cookie */
};

/** Incremental reader of control messages; its buffer is given by the caller. */
struct iperf_rx {
	enum iperf_msg want;
	uint32_t need;	  /**< bytes of the body (JSON: 0 until the length is read) */
	uint32_t have;	  /**< body bytes read */
	uint8_t hdr_have; /**< length bytes read (JSON) */
	uint8_t hdr[8];
	char *buf;    /**< body; JSON is NUL-terminated when complete */
	uint32_t cap; /**< >= IPERF_JSON_MAX + 1 */
};

/** Prepare r to read a message of kind want into buf (cap bytes). */
void iperf_rx_init(struct iperf_rx *r, char *buf, uint32_t cap, enum iperf_msg want);

/** Expect a message of kind want next (after an OK). */
void iperf_rx_expect(struct iperf_rx *r, enum iperf_msg want);

/**
 * Feed len bytes; *used gets how many were taken (stops after a complete
 * message so the caller can change what it expects). The message is
 * r->buf / r->have (STATE: buf[0]; ERRNO: hdr[0..7]).
 */
enum iperf_rx_rc iperf_rx_feed(struct iperf_rx *r, const uint8_t *data, uint32_t len,
			       uint32_t *used);

/** A fresh cookie: 36 characters of [a-z2-7] from seed, then NUL. */
void iperf_cookie_make(char out[IPERF_COOKIE_LEN], uint64_t seed);

/* ---- parameters (client -> server) ---- */

struct iperf_params {
	bool udp;     /**< "udp": true (else "tcp": true) */
	bool reverse; /**< "reverse": server sends */
	bool udp_counters_64bit;
	bool get_server_output;
	uint32_t time_s;     /**< "time", seconds (0 with bytes / blockcount) */
	uint32_t omit_s;     /**< "omit" */
	uint64_t bytes;	     /**< "num": -n */
	uint64_t blockcount; /**< "blockcount": -k */
	uint32_t parallel;   /**< "parallel": 1..IPERF_MAX_STREAMS */
	uint32_t len;	     /**< "len": block / datagram size */
	uint64_t bandwidth;  /**< "bandwidth", bits/s per stream, 0 = unlimited */
	char client_version[16];
};

/**
 * Parse the parameters JSON (len bytes, need not be NUL-terminated).
 * Missing optional keys get iperf3's defaults; a missing protocol, a key of
 * the wrong type or out of range, or an unsupported mode (sctp,
 * bidirectional) is an error that names the key.
 * @return 0, or -EINVAL with a message in err.
 */
int iperf_params_parse(const char *json, size_t len, struct iperf_params *p, char *err,
		       size_t errlen);

/** The parameters as the client sends them (malloc'd, caller frees); NULL on ENOMEM. */
char *iperf_params_build(const struct iperf_params *p);

/* ---- results (both ways at EXCHANGE_RESULTS) ---- */

struct iperf_stream_res {
	int32_t id;
	uint64_t bytes;
	int64_t retransmits;	     /**< -1 = not known (receiver) */
	double jitter;		     /**< seconds (UDP receiver) */
	int64_t errors;		     /**< UDP datagrams lost (receiver) */
	int64_t packets;	     /**< UDP datagrams sent / highest counter seen */
	double start_time, end_time; /**< seconds from TEST_START */
};

struct iperf_results {
	double cpu_total, cpu_user, cpu_system; /**< percent */
	int64_t sender_has_retransmits;		/**< 1, 0, -1 (we are the receiver) */
	char congestion[16];			/**< "" = not sent (UDP) */
	uint32_t nb_streams;
	struct iperf_stream_res streams[IPERF_MAX_STREAMS];
};

/** Parse a results JSON; -EINVAL with a message naming the key. */
int iperf_results_parse(const char *json, size_t len, struct iperf_results *r, char *err,
			size_t errlen);

/** The results JSON (malloc'd, caller frees); NULL on ENOMEM. */
char *iperf_results_build(const struct iperf_results *r);

/* ---- UDP datagrams ---- */

struct iperf_udp_hdr {
	uint32_t sec, usec; /**< send time */
	uint64_t count;	    /**< packet counter, from 1 */
};

/** Header bytes: 12, or 16 with 64-bit counters. */
static inline uint32_t
iperf_udp_hlen(bool c64)
{
	return c64 ? 16u : 12u;
}

/** Write h at buf (len bytes of room). @return bytes written, 0 when len is too small. */
uint32_t iperf_udp_hdr_encode(uint8_t *buf, uint32_t len, const struct iperf_udp_hdr *h, bool c64);

/** Read a header from a datagram of len bytes. @return 0, -EINVAL when too short. */
int iperf_udp_hdr_decode(const uint8_t *buf, uint32_t len, bool c64, struct iperf_udp_hdr *h);

/**
 * The receiver's account of one UDP stream, as iperf3 reports it: packets
 * = highest counter seen; a counter above the next expected one counts the
 * gap as errors (lost); one below it counts out of order and takes one
 * back from errors; jitter is RFC 3550's running estimate (1/16 gain) of
 * the change in transit time.
 */
struct iperf_udp_rx {
	uint64_t bytes;
	uint64_t datagrams; /**< received */
	int64_t packets;    /**< highest counter */
	int64_t errors;
	uint64_t outoforder;
	double jitter; /**< seconds */
	double prev_transit;
	bool any;
};

/** Account a datagram (len payload bytes) sent at h, arriving at now_s (any epoch). */
void iperf_udp_rx_update(struct iperf_udp_rx *r, const struct iperf_udp_hdr *h, double now_s,
			 uint32_t len);

/* ---- the applications ---- */

struct worker;
struct worker_port;
struct tcp_ctx;
struct udp_ctx;

/** Server: one test at a time on port (TCP control + streams, UDP streams). */
struct iperf_server;

struct iperf_server_conf {
	uint16_t port;	  /**< host order */
	uint32_t idle_ms; /**< a test that stops moving this long is torn down */
};

/**
 * The server on worker w: listens on conf->port (tcp_listen_app) and binds
 * the UDP port for UDP tests (udp may be NULL: no UDP tests), and registers
 * on w (iperf_server_class). NULL + errno: EADDRINUSE (another application
 * owns the TCP or UDP port), ENOSPC (no application slot), ENOMEM.
 */
struct iperf_server *iperf_server_create(struct worker *w, struct tcp_ctx *tcp, struct udp_ctx *udp,
					 const struct iperf_server_conf *conf);

/** Tests run to completion so far, and tests that ended in an error. */
uint64_t iperf_server_tests(const struct iperf_server *s, uint64_t *failed);

void iperf_server_free(struct iperf_server *s);

/** Client: one test against an iperf3 server, then w->done. */
struct iperf_client;

struct iperf_client_conf {
	uint32_t ip;	   /**< server, host order */
	uint16_t port;	   /**< host order */
	uint16_t lport_lo; /**< our source ports: lport_lo .. + parallel (host order) */
	struct iperf_params params;
	const char *json_path; /**< where to write the iperf3-shaped JSON, NULL = none */
};

struct iperf_client *iperf_client_create(struct worker *w, struct worker_port *wp,
					 struct tcp_ctx *tcp, struct udp_ctx *udp,
					 const struct iperf_client_conf *conf);

/**
 * Register c on its worker (iperf_client_class, bounded) and its callbacks
 * on its TCP and UDP contexts; it connects the control connection from its
 * poll hook. @return 0, or -ENOSPC (no application slot left).
 */
int iperf_client_start(struct iperf_client *c);

/* The iperf3 server and client are worker applications. */
extern const struct app_class iperf_server_class;
extern const struct app_class iperf_client_class;

/**
 * After the worker stopped: write the JSON and a text summary to out.
 * @return 0 when the test completed, -1 with a reason in why.
 */
int iperf_client_finish(struct iperf_client *c, FILE *out, char *why, size_t whylen);

void iperf_client_free(struct iperf_client *c);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_IPERF_H */
