/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * synack configuration: an INI file (parsed with rte_cfgfile) turned into a
 * validated struct cfg before anything touches a port.
 *
 * One key table {section, key, parser, default, help} (config.c) drives the
 * parser, `synack --help-config` and docs/config.md. Every error names the
 * place: "FILE:SECTION:KEY: what is wrong".
 */
#ifndef SYNACK_CONFIG_H
#define SYNACK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CFG_MAX_PORTS	8   /**< [port0] .. [port7] */
#define CFG_MAX_LISTEN	16  /**< [server] listen list */
#define CFG_MAX_TARGETS 16  /**< [client] target list */
#define CFG_MAX_LCORES	64  /**< workers per process */
#define CFG_DEV_LEN	256 /**< dev string, as EAL takes it */
#define CFG_PATH_LEN	256
#define CFG_ERR_LEN	512 /**< room for "FILE:SECTION:KEY: message" */
#define CFG_SET_WORDS	4   /**< 64-bit words of --set bookkeeping: keys in the table at most x64 */

enum cfg_mode {
	CFG_MODE_SERVER = 0, /**< answer: ARP, ICMP, (later) TCP/UDP servers */
	CFG_MODE_CLIENT,     /**< generate load towards [client] target */
	CFG_MODE_BOTH,	     /**< client on port0, server on port1, one process */
};

enum cfg_model {
	CFG_MODEL_PING = 0, /**< ICMP echo at full rate (the foundation model) */
	CFG_MODEL_CPS,
	CFG_MODEL_CC,
	CFG_MODEL_RPS,
	CFG_MODEL_THROUGHPUT,
	CFG_MODEL_UDP,
	CFG_MODEL_IPERF, /**< one iperf3 test against an iperf3 server */
};

/** Model throughput: which way the bulk data flows, seen from the client. */
enum cfg_direction {
	CFG_DIR_SEND = 0, /**< the client uploads, the server sinks */
	CFG_DIR_RECEIVE,  /**< the server sources, the client sinks (iperf3 -R) */
	CFG_DIR_BOTH,	  /**< both at once on every connection */
};

/** An IPv4 endpoint; addresses and ports in host byte order. */
struct cfg_target {
	uint32_t ip;
	uint16_t port;
};

/** [portN] dispatch: how packets reach the workers sharing a port. */
enum cfg_dispatch {
	CFG_DISPATCH_AUTO = 0, /**< rss when the port can, else software */
	CFG_DISPATCH_RSS,      /**< one queue per worker (hardware RSS / queue pairing) */
	CFG_DISPATCH_SOFTWARE, /**< one queue, worker 0 spreads by a symmetric hash */
};

#define CFG_MAX_IP_COUNT 65536 /**< [portN] ip_count at most */

/** One direction of a port's impairment ([portN] impair_rx / impair_tx); probabilities
 *  in ppm, times in us. Mirrors drivers' struct impair_conf (the app copies it). */
struct cfg_impair {
	bool on;
	uint32_t loss, ge_p, ge_r, ge_loss;
	uint32_t delay_us, jitter_us, reorder, reorder_us;
	uint32_t dup, corrupt;
	uint64_t rate_bps;
	uint32_t burst_bytes, rate_queue_us, limit;
	uint64_t seed;
};

/** Parse "loss=2% delay=1ms ..." into out (defaults first); -1 with msg on error. */
int cfg_impair_parse(const char *val, struct cfg_impair *out, char *msg, size_t msglen);

struct cfg_port {
	bool present;	       /**< section [portN] exists */
	char dev[CFG_DEV_LEN]; /**< PCI address, vdev string or net_ring:LINK */
	uint32_t ip;	       /**< host order; 0 = none */
	uint8_t prefix;	       /**< 0..32 */
	uint32_t ip_count;     /**< consecutive addresses from ip, 1..CFG_MAX_IP_COUNT */
	uint32_t gateway;      /**< host order; 0 = none */
	uint16_t queues;       /**< 0 = one per worker */
	uint8_t dispatch;      /**< enum cfg_dispatch */
	uint16_t mtu;	       /**< L3 MTU; 0 = driver default (1500) */
	uint16_t rxd, txd;     /**< descriptor ring sizes */
	uint8_t ip6[16];       /**< IPv6 address, network order; all zero = none */
	uint8_t prefix6;       /**< 1..128 */
	uint32_t ip6_count;    /**< consecutive IPv6 addresses from ip6, 1..CFG_MAX_IP_COUNT */
	struct cfg_impair impair_rx, impair_tx; /**< link impairment per direction */
};

/**
 * [run] segment: the part [from, to) of the whole load this process runs
 * (k6's execution segments); reduced fractions, 0/1:1/1 = the whole.
 */
struct cfg_segment {
	uint64_t from_num, from_den, to_num, to_den;
};

#define CFG_SEGMENT_MAX_DEN 65536 /**< segment denominators at most */

struct cfg_run {
	enum cfg_mode mode;
	bool iperf_client;	    /**< mode was written iperf-client (= client, model iperf) */
	uint64_t duration_ms;	    /**< 0 = until SIGINT */
	uint16_t lcores;	    /**< worker lcores */
	char json[CFG_PATH_LEN];    /**< JSON lines output; "" = none */
	uint32_t report_ms;	    /**< per-second report interval */
	bool quiet;		    /**< no per-interval lines, summary only */
	uint32_t linger_ms;	    /**< after the run: keep the ports up this long, workers
					     stopped, until the peer leaves (0 = close at once) */
	bool telemetry;		    /**< DPDK telemetry socket and the /synack/ commands */
	char file_prefix[64];	    /**< EAL --file-prefix; "" = synack-PID */
	char metrics[64];	    /**< Prometheus endpoint "A.B.C.D:PORT"; "" = off */
	char run_name[64];	    /**< the metrics' run label; "" = none */
	char report[CFG_PATH_LEN];  /**< HTML report written at the end; "" = none */
	uint8_t json_hist;	    /**< enum cfg_json_hist */
	struct cfg_segment segment; /**< this process's segment (run.segment) */
	char segment_env[64];	    /**< run.segment_from_env: variable holding the index */
	uint32_t segments;	    /**< run.segments: N with segment_from_env */
	uint64_t start_at_ns;	    /**< run.start_at: unix time in ns; 0 = at once */
	uint32_t min_rate_ratio;    /**< percent of client.rate the run must reach, 0 = off */
};

/** [run] json_hist: where the JSON lines carry the latency histograms. */
enum cfg_json_hist { CFG_JSON_HIST_INTERVAL, CFG_JSON_HIST_SUMMARY, CFG_JSON_HIST_OFF };

struct cfg_pool {
	uint32_t mbufs;		 /**< mbufs per worker pool */
	uint32_t mbuf_cache;	 /**< per-lcore mempool cache */
	uint32_t neigh_max;	 /**< neighbour (ARP) entries per worker */
	uint32_t arp_retries;	 /**< ARP requests before giving up on a neighbour */
	uint32_t arp_timeout_ms; /**< wait between ARP retries */
};

#define CFG_MAX_ROUTES	    8  /**< [server] route entries */
#define CFG_MAX_ROUTE_SIZES 16 /**< sizes in one route's mix (a range is cut into this many) */
#define CFG_ROUTE_PATH_LEN  64

/** One [server] route: PATH STATUS SIZES [CONTENT-TYPE]. */
struct cfg_route {
	char path[CFG_ROUTE_PATH_LEN];	      /**< exact path (the query is ignored) */
	char ctype[CFG_ROUTE_PATH_LEN];	      /**< Content-Type, "" = the server's */
	uint16_t status;		      /**< 200..599 */
	uint8_t nb_sizes;		      /**< 1..CFG_MAX_ROUTE_SIZES */
	uint32_t size[CFG_MAX_ROUTE_SIZES];   /**< body sizes of the mix */
	uint32_t weight[CFG_MAX_ROUTE_SIZES]; /**< their weights (>= 1) */
};

struct cfg_server {
	uint16_t listen[CFG_MAX_LISTEN];
	uint16_t nb_listen;
	uint32_t body_size;
	bool gzip;
	char body_file[CFG_PATH_LEN];  /**< body = this file's contents ("" = body_size bytes) */
	char header[CFG_PATH_LEN];     /**< one extra response header "Name: value" ("" = none) */
	char access_log[CFG_PATH_LEN]; /**< access log file ("" = off) */
	uint32_t access_log_sample;    /**< log one request in N */
	uint8_t access_log_format;     /**< enum http_log_format (synack, seeds, combined, json) */
	struct cfg_route routes[CFG_MAX_ROUTES]; /**< [server] route, in order */
	uint8_t nb_routes;
	uint32_t max_body; /**< request bodies over this: 413 */
	uint16_t bulk;	   /**< bulk sink/source TCP port (model throughput's peer); 0 = off */
	uint32_t header_timeout_ms;    /**< a whole request within this, 0 = no bound */
	uint32_t keepalive_timeout_ms; /**< idle keep-alive connections closed after this */
};

/** [tcp]: the transport, per worker. */
enum cfg_cc { CFG_CC_CUBIC = 0, CFG_CC_NEWRENO };

struct cfg_tcp {
	uint32_t max_conns; /**< connections per worker (flow table size) */
	uint32_t rcv_wnd;   /**< receive window advertised, bytes */
	uint32_t time_wait_ms;
	uint32_t delack_ms;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t syn_retries;
	uint32_t max_retries;
	uint32_t syn_backlog;
	uint32_t init_cwnd;	/**< segments */
	uint32_t ooo_max;	/**< out-of-order segments kept per connection */
	uint32_t zero_copy_min; /**< payload bytes from which segments reference
					 *   long-lived data instead of copying it; 0 = never */
	bool syncookies;
	bool wscale;
	bool sack;
	bool timestamps;
	uint8_t cc; /**< enum cfg_cc */
};

struct cfg_client {
	enum cfg_model model;
	struct cfg_target target[CFG_MAX_TARGETS];
	uint16_t nb_target;
	uint64_t rate; /**< per second, 0 = as fast as it goes */
	uint32_t concurrency;
	uint16_t payload;	   /**< payload bytes: ICMP echo (ping), UDP (udp) */
	uint32_t burst;		   /**< packets launched per loop at most */
	uint64_t count;		   /**< stop after this many requests; 0 = no limit */
	bool request_none;	   /**< handshake only: connect, then close */
	char method[16];	   /**< request method */
	char path[CFG_PATH_LEN];   /**< request target */
	char host[CFG_PATH_LEN];   /**< Host header ("" = the target's address) */
	char header[CFG_PATH_LEN]; /**< one extra request header ("" = none) */
	bool close_rst;		   /**< close with RST instead of FIN */
	uint32_t interval_ms;	   /**< cc: request interval */
	uint32_t pipeline;	   /**< rps: requests per batch */
	uint64_t ramp_up_ms;	   /**< linear ramp to rate / concurrency */
	uint32_t timeout_ms;	   /**< response timeout */
	uint32_t max_error_rate;   /**< percent; the run fails above it (100 = never) */
	uint64_t max_p99_ms; /**< the run fails when p99 response latency exceeds it; 0 = off */
	uint32_t max_syn_inflight;    /**< open loop: connections in SYN-SENT at most, 0 = no cap */
	uint16_t port_lo, port_hi;    /**< source ports, split between the workers */
	uint32_t flows;		      /**< model udp: source ports (flows) per worker */
	bool echo;		      /**< model udp: expect echoes, measure RTT and loss */
	enum cfg_direction direction; /**< model throughput: send, receive or both */
	uint32_t write_size;	      /**< model throughput: bytes per tcp_send */
	bool iperf_udp;		      /**< model iperf: UDP test (iperf3 -u) */
	bool iperf_reverse;	      /**< model iperf: the server sends (iperf3 -R) */
	uint64_t iperf_bitrate;	      /**< model iperf: bits/s per stream, 0 = iperf3's default */
	uint32_t iperf_parallel;      /**< model iperf: streams (iperf3 -P) */
	uint32_t iperf_len; /**< model iperf: block / datagram bytes, 0 = iperf3's default */
	char iperf_json[CFG_PATH_LEN]; /**< model iperf: iperf3-shaped JSON output, "" = none */
	char headers[CFG_PATH_LEN];    /**< more request headers, '|'-separated ("" = none) */
	uint32_t body_size;	       /**< request body bytes (0 = none) */
};

/** [capture]: pcapng capture (lib/stack/capture.h). */
struct cfg_capture {
	char file[CFG_PATH_LEN]; /**< "" = off */
	uint32_t snaplen;	 /**< bytes kept of each frame */
	uint64_t limit_packets;	 /**< newest kept, 0 = no limit */
	uint64_t limit_bytes;	 /**< newest kept, 0 = no limit */
	char filter[256];	 /**< pcap expression, "" = all */
	uint32_t pool;		 /**< copies in flight per worker */
};

/** [iperf]: the iperf3 server. */
struct cfg_iperf {
	uint16_t listen;  /**< TCP and UDP port, 0 = off */
	uint32_t idle_ms; /**< a test without progress this long is ended */
};

/** [udp]: the UDP services of the server side, per worker. */
struct cfg_udp {
	uint16_t echo[CFG_MAX_LISTEN]; /**< ports echoed */
	uint16_t nb_echo;
	uint16_t sink[CFG_MAX_LISTEN]; /**< ports sunk */
	uint16_t nb_sink;
	uint32_t unreach_rate; /**< ICMP port unreachables/s per worker, 0 = never */
};

struct cfg {
	char file[CFG_PATH_LEN]; /**< where it came from ("" = built-in) */
	struct cfg_run run;
	struct cfg_port port[CFG_MAX_PORTS];
	uint16_t nb_ports; /**< highest present portN + 1; no gaps allowed */
	struct cfg_pool pool;
	struct cfg_server server;
	struct cfg_client client;
	struct cfg_tcp tcp;
	struct cfg_udp udp;
	struct cfg_iperf iperf;
	struct cfg_capture capture;
	/**
	 * Bookkeeping for error messages, so that a cross-key error names "--set"
	 * when the key came from the command line: bit k of cli_set[0] is key k of
	 * the key table (global sections), cli_set[1 + N] the same for [portN];
	 * cli_port[N]: section [portN] was created by --set.
	 */
	uint64_t cli_set[1 + CFG_MAX_PORTS][CFG_SET_WORDS];
	bool cli_port[CFG_MAX_PORTS];
};

/** Fill every key with its default from the key table. */
void cfg_defaults(struct cfg *cfg);

/**
 * Load FILE over the defaults and validate the whole.
 * @return 0, or -1 with "FILE:SECTION:KEY: what is wrong" in err.
 */
int cfg_load(struct cfg *cfg, const char *file, char *err, size_t errlen);

/**
 * Apply one "section.key=value" override (from --set) and re-validate.
 * @return 0, or -1 with "--set:SECTION:KEY: what is wrong" in err.
 */
int cfg_set(struct cfg *cfg, const char *assignment, char *err, size_t errlen);

/**
 * Like cfg_set, without the final cfg_validate: for applying several --set
 * overrides in a row (mode=both before port1.dev=...), then cfg_validate once.
 * @return 0, or -1 with "--set:SECTION:KEY: what is wrong" in err.
 */
int cfg_set_novalidate(struct cfg *cfg, const char *assignment, char *err, size_t errlen);

/**
 * Cross-key checks (port sections without gaps, mode both needs two ports,
 * ...). cfg_load and cfg_set call it; exported for callers that edit cfg.
 */
int cfg_validate(const struct cfg *cfg, char *err, size_t errlen);

/** Print every key: section, key, default, help. markdown=true writes docs/config.md. */
void cfg_print_help(FILE *out, bool markdown);

/**
 * Parse a segment: "FROM:TO" with FROM, TO fractions (a/b, 0, 1) and
 * FROM < TO, or "i/N" for the i-th of N equal segments, counting from 0
 * (i/N:(i+1)/N). Fills seg with reduced fractions.
 * @return 0, or -1 with the reason in msg.
 */
int cfg_segment_parse(const char *val, struct cfg_segment *seg, char *msg, size_t len);

/** Name of a mode / model, as written in the file. */
const char *cfg_mode_name(enum cfg_mode m);
const char *cfg_model_name(enum cfg_model m);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_CONFIG_H */
