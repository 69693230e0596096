/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP/1.1 on byte buffers: the server's request parser and prebuilt
 * responses, the client's response parser and request template.
 *
 * The module knows nothing of TCP. Both parsers are resumable state machines
 * whose whole state is their struct (kept inside a connection): they walk each
 * byte once, keep no pointer into earlier buffers, and return HTTP_AGAIN when
 * the data runs out mid-message, so a message may arrive split at any byte.
 * Nothing here allocates per request; http_server_create() allocates once.
 */
#ifndef SYNACK_HTTP_H
#define SYNACK_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest request line + header block the server accepts (431 beyond; 414
 * when the request line alone is longer). Trailers of a chunked body get the
 * same budget again. */
#ifndef HTTP_MAX_HEADER_BYTES
#define HTTP_MAX_HEADER_BYTES 8192
#endif
#if HTTP_MAX_HEADER_BYTES < 64 || HTTP_MAX_HEADER_BYTES > 65000
#error "HTTP_MAX_HEADER_BYTES must be in [64, 65000] (struct http_req counts it in 16 bits)"
#endif

/** Largest status line + header block (or trailer block) the client accepts. */
#ifndef HTTP_MAX_RESP_HEADER_BYTES
#define HTTP_MAX_RESP_HEADER_BYTES 65536
#endif

/** Parser results. */
enum http_rc {
	HTTP_OK = 0,	/**< message complete, *used bytes consumed */
	HTTP_AGAIN = 1, /**< every byte consumed, more needed */
	HTTP_ERROR = -1 /**< malformed; struct http_req.status says which error to send */
};

/** Request methods (struct http_req.method). */
enum http_method {
	HTTP_M_NONE = 0, /**< not parsed yet */
	HTTP_M_GET,	 /**< GET */
	HTTP_M_HEAD,	 /**< HEAD */
	HTTP_M_OTHER,	 /**< any other token: answered 405 */
	HTTP_M_POST,	 /**< POST */
	HTTP_M_PUT,	 /**< PUT */
	HTTP_M_DELETE,	 /**< DELETE */
	HTTP_M_OPTIONS,	 /**< OPTIONS */
	HTTP_M_N
};

/** The method's name ("GET" ...), "-" for none or another token. */
const char *http_method_name(unsigned int m);

/* Flags learned from the headers (struct http_req.flags, struct http_resp.flags). */
#define HTTP_F_KEEPALIVE   0x01	  /**< Connection: keep-alive */
#define HTTP_F_CLOSE	   0x02	  /**< Connection: close */
#define HTTP_F_GZIP	   0x04	  /**< request: Accept-Encoding allows gzip */
#define HTTP_F_HAS_LENGTH  0x08	  /**< Content-Length seen */
#define HTTP_F_CHUNKED	   0x10	  /**< response: chunked is the final coding */
#define HTTP_F_UNTIL_CLOSE 0x20	  /**< response: body ends when the server closes */
#define HTTP_F_HOST	   0x40	  /**< request: Host seen */
#define HTTP_F_TE	   0x80	  /**< Transfer-Encoding seen */
#define HTTP_F_EXPECT	   0x100  /**< request: Expect: 100-continue */
#define HTTP_F_TE_OTHER	   0x200  /**< a transfer coding other than chunked seen */
#define HTTP_F_TE_BAD	   0x400  /**< a coding came after chunked (chunked not final, or twice) */
#define HTTP_F_LINE	   0x800  /**< request: the request line was read whole */
#define HTTP_F_QUERY	   0x1000 /**< request: the target has a '?' (path_hash stopped there) */

/** FNV-1a, 32 bits: the request parser hashes the path as it reads it. */
#define HTTP_PATH_HASH_INIT	  2166136261u
#define HTTP_PATH_HASH_STEP(h, c) (((h) ^ (uint32_t)(c)) * 16777619u)

/** The hash a route is found by: FNV-1a of p[0..n) up to the first '?'. */
uint32_t http_path_hash(const char *p, size_t n);

/**
 * Request parser state and what it learned. 32 bytes, no pointers: it lives
 * in the TCP connection. Initialise with http_req_init() before each request.
 */
struct http_req {
	uint32_t body_left;  /**< Content-Length or current chunk bytes still to read */
	uint32_t body_bytes; /**< body bytes read (chunk framing not counted) */
	uint32_t max_body;   /**< larger bodies are answered 413 (http_req_limit) */
	uint16_t status;     /**< after HTTP_ERROR: 400, 405, 413, 414, 431, 501 or 505 */
	uint16_t hdr_bytes;  /**< request line + header bytes so far, then trailer bytes */
	uint16_t aux;	     /**< parser: path length copied, header value sub-state, chunk line */
	uint32_t path_hash;  /**< http_path_hash() of the target (the bytes before any '?') */
	uint16_t flags;	     /**< HTTP_F_* */
	uint8_t state;	     /**< parser: state */
	uint8_t hdr;	     /**< parser: method or header name candidates, then the header */
	uint8_t pos;	     /**< parser: position in the token being matched */
	uint8_t method;	     /**< enum http_method */
	uint8_t minor;	     /**< HTTP/1.minor (0 or 1) */
};

/** Largest max_body (and the default): bodies are counted in 32 bits. */
#define HTTP_MAX_BODY_LIMIT (UINT32_MAX - 1)

/** Reset r for a new request (max_body HTTP_MAX_BODY_LIMIT). */
void http_req_init(struct http_req *r);

/** Reset r for a new request whose body may have at most max_body bytes. */
void http_req_init_limit(struct http_req *r, uint32_t max_body);

/**
 * Whether the parser is inside a request body whose sender waits for a
 * 100 (Continue): Expect: 100-continue in an HTTP/1.1 request (RFC 9110
 * 10.1.1; an HTTP/1.0 one is ignored) and not all of the body read yet.
 */
bool http_req_wants_continue(const struct http_req *r);

/**
 * Consume bytes of one request.
 *
 * Returns HTTP_OK when the request (headers and any body, framed by
 * Content-Length or chunked (RFC 9112 6, 7.1), read and discarded, counted in
 * body_bytes) is complete, with *used the bytes consumed (the rest of
 * buf belongs to the next pipelined request: call http_req_init() first);
 * HTTP_AGAIN when all len bytes were used and more are needed; HTTP_ERROR
 * with r->status set (*used is then the offset of the offending byte).
 * If path is not NULL and path_len > 0, up to path_len - 1 bytes of the
 * request target are copied there, always NUL-terminated; pass the same
 * buffer on every call for one request. Work is O(len).
 */
int http_req_parse(struct http_req *r, const uint8_t *buf, uint32_t len, uint32_t *used, char *path,
		   uint32_t path_len);

/**
 * Whether the connection stays open after the response: HTTP/1.1 unless
 * Connection: close; HTTP/1.0 only with Connection: keep-alive.
 */
bool http_req_keepalive(const struct http_req *r);

/** Response parser state and what it learned. Initialise with http_resp_init(). */
struct http_resp {
	uint64_t body_left;  /**< Content-Length or current chunk bytes still to come */
	uint64_t body_bytes; /**< body bytes received (chunk framing not counted) */
	uint32_t hdr_bytes;  /**< parser: status line + header (or trailer) bytes */
	uint16_t status;     /**< status code (of the final, non-1xx response) */
	uint16_t aux;	     /**< parser: header value sub-state */
	uint8_t state;	     /**< parser: state */
	uint8_t hdr;	     /**< parser: header name candidates, then the header */
	uint8_t pos;	     /**< parser: position in the token being matched */
	uint8_t minor;	     /**< HTTP/1.minor */
	uint16_t flags;	     /**< HTTP_F_* */
	bool head;	     /**< the request was HEAD: no body whatever the headers say */
};

/** Reset r for a new response; head_request: the request was HEAD. */
void http_resp_init(struct http_resp *r, bool head_request);

/**
 * Consume bytes of one response: HTTP_OK when the whole response including
 * its body is done (*used bytes consumed), HTTP_AGAIN when all len bytes were
 * used, HTTP_ERROR when malformed. 1xx responses are skipped; 204, 304 and
 * responses to HEAD have no body. A close-delimited body (HTTP_F_UNTIL_CLOSE)
 * returns HTTP_AGAIN until the caller sees FIN and calls http_resp_eof().
 * Body bytes are counted in body_bytes, never stored.
 */
int http_resp_parse(struct http_resp *r, const uint8_t *buf, uint32_t len, uint32_t *used);

/**
 * The server closed the connection: HTTP_OK if a close-delimited body was in
 * progress (the response is now complete), HTTP_ERROR if the response was
 * incomplete.
 */
int http_resp_eof(struct http_resp *r);

/** Whether the client may send another request on this connection. */
bool http_resp_keepalive(const struct http_resp *r);

#define HTTP_MAX_ROUTES	     8
#define HTTP_ROUTE_MAX_SIZES 16

/** A route: requests for exactly path get status and a body from the size mix. */
struct http_route_conf {
	const char *path;	  /**< exact path; a query after '?' is ignored */
	const char *content_type; /**< NULL = the server's */
	uint16_t status;	  /**< status of its responses */
	unsigned int nb_sizes;	  /**< 1..HTTP_ROUTE_MAX_SIZES */
	const uint32_t *size;	  /**< body sizes */
	const uint32_t *weight;	  /**< their weights (0 counts as 1) */
};

/** What the server answers; fixed at start. */
struct http_server_conf {
	uint32_t body_size;	   /**< body bytes of a 200 (when body_file is NULL) */
	const char *body_file;	   /**< NULL, or a file whose contents are the body */
	bool gzip;		   /**< also build gzip bodies for Accept-Encoding: gzip */
	const char *extra_headers; /**< "Name: value\r\n..." or NULL */
	const char *server_name;   /**< Server header; NULL = "synack", "" = none */
	const char *content_type;  /**< Content-Type; NULL = "text/plain" */
	uint32_t max_body;	   /**< request bodies over this get 413; 0 = HTTP_MAX_BODY_LIMIT */
	const struct http_route_conf *routes; /**< nb_routes routes (matched by path hash) */
	unsigned int nb_routes;		      /**< 0..HTTP_MAX_ROUTES */
};

struct http_server;

/** One contiguous buffer to send. */
struct http_iov {
	const uint8_t *base; /**< first byte */
	uint32_t len;	     /**< bytes */
};

/**
 * Build every response once: 200 for HTTP/1.1 keep-alive, HTTP/1.0
 * keep-alive and close, each identity and (with gzip) gzip, plus the errors
 * 400, 405, 431 and 505. NULL with errno set and a message in err on failure.
 */
struct http_server *http_server_create(const struct http_server_conf *c, char *err, size_t errlen);

void http_server_free(struct http_server *s);

/** The request body limit of s (http_server_conf.max_body). */
uint32_t http_server_max_body(const struct http_server *s);

/** "HTTP/1.1 100 Continue\r\n\r\n": static, never changes (safe to retransmit). */
struct http_iov http_server_continue(void);

/** http_server_response() results. */
enum http_server_rc {
	HTTP_SERVER_KEEP = 0, /**< keep the connection open after sending */
	HTTP_SERVER_CLOSE = 1 /**< close the connection after sending */
};

/**
 * The response to req (parsed, or failed with req->status set): headers and
 * body for GET, headers only for HEAD, as two chunks to send in order:
 * out[0] in gen (a generation filled by http_server_gen_fill(): the headers,
 * with the body when it is short), out[1] the rest of the body in the
 * server's own memory (len 0 when there is none), which stays valid and
 * unchanged until http_server_free(). O(1). Returns enum http_server_rc.
 */
int http_server_response(const struct http_server *s, const struct http_req *req,
			 const uint8_t *gen, struct http_iov out[2]);

/**
 * Bytes of one generation: every response's header block, each followed by
 * its body when that is short, laid out for one Date value.
 */
uint32_t http_server_gen_size(const struct http_server *s);

/**
 * Fill gen (http_server_gen_size() bytes) with every response of the
 * generation whose Date shows date (UTC seconds). A worker must not refill
 * a generation while TCP still holds a response from it (tcp_send()
 * references bytes until they leave its send queue): a retransmission
 * would carry another Date than the first transmission.
 */
void http_server_gen_fill(const struct http_server *s, uint8_t *gen, time_t date);

/**
 * As http_server_response(), with rnd choosing the size of a route's mix
 * (uniform over the weights: rnd a fresh random 32-bit value).
 */
int http_server_response_r(const struct http_server *s, const struct http_req *req, uint32_t rnd,
			   const uint8_t *gen, struct http_iov out[2]);

/** Which body answers req with rnd: 0 the default, then each route's sizes in order. */
unsigned int http_server_variant(const struct http_server *s, const struct http_req *req,
				 uint32_t rnd);

/** The status http_server_response_r() answers req with. */
uint16_t http_server_status(const struct http_server *s, const struct http_req *req, uint32_t rnd);

/** Body bytes of the response http_server_response_r() picks (0 for HEAD). */
uint32_t http_server_body_len(const struct http_server *s, const struct http_req *req,
			      uint32_t rnd);

/** Body of the 200 response (identity, or gzip); for tests and logs. */
struct http_iov http_server_body(const struct http_server *s, bool gzip);

/**
 * The bodies of every prebuilt 200 response (each variant has its own
 * buffer), at most max into out: memory that never changes until
 * http_server_free() (the second chunk of http_server_response()), for
 * zero-copy sending (tcp_zc_register). @return the number written.
 */
unsigned int http_server_bodies(const struct http_server *s, struct http_iov *out,
				unsigned int max);

/**
 * Publish now (UTC seconds) as the second the responses' Date should show
 * (one word written; call it often from one thread, e.g. the main lcore).
 * The workers read it with http_server_clock() and move to a generation of
 * that second (http_server_gen_fill). http_server_create() publishes the
 * time of its call.
 */
void http_server_tick(struct http_server *s, time_t now);

/** Where http_server_tick() publishes the second: read it once per response. */
const volatile time_t *http_server_clock(const struct http_server *s);

/** Format t as an IMF-fixdate (RFC 9110 5.6.7): exactly 29 bytes, no NUL. */
void http_date_format(time_t t, char out[29]);

/** What the client sends. */
struct http_client_conf {
	const char *method;	   /**< NULL = "GET" */
	const char *path;	   /**< NULL = "/" */
	const char *host;	   /**< Host header value (required) */
	const char *extra_headers; /**< "Name: value\r\n..." or NULL */
	const uint8_t *body;	   /**< NULL or body bytes (sent with Content-Length) */
	uint32_t body_len;	   /**< body bytes */
	bool keepalive;		   /**< false: send Connection: close */
};

/**
 * Write the request into buf: "METHOD PATH HTTP/1.1\r\nHost: HOST\r\n",
 * "Connection: close\r\n" unless keepalive, "Content-Length: N\r\n" when a
 * body is given, the extra headers, "\r\n", the body. Returns the length, or
 * -1 if buflen is too small or a field is invalid.
 */
int http_client_request_build(const struct http_client_conf *c, uint8_t *buf, uint32_t buflen);

/* ---- the access log (http_log.c) ---- */

/** Access log line formats ([server] access_log_format). */
enum http_log_format {
	HTTP_LOG_SYNACK = 0, /**< "SEC.MS cip:cport sip:sport METHOD PATH STATUS BYTES wN" */
	HTTP_LOG_SEEDS,	     /**< "[MM/DD/YYYY HH:MM:SS] - cip:cport - METHOD PATH" */
	HTTP_LOG_COMBINED,   /**< nginx/Apache combined */
	HTTP_LOG_JSON	     /**< one JSON object per line */
};

/** One logged request, as a worker hands it to the main lcore (fixed size). */
struct http_log_rec {
	uint64_t tsc;	     /**< TSC when the response was queued */
	uint32_t rip;	     /**< client address, host order */
	uint32_t lip;	     /**< server address, host order */
	uint16_t rport;	     /**< client port */
	uint16_t lport;	     /**< server port */
	uint16_t status;     /**< status sent */
	uint8_t method;	     /**< enum http_method */
	uint8_t minor;	     /**< HTTP/1.minor, 0xff: the request line was not read */
	uint32_t bytes;	     /**< response bytes queued */
	uint32_t body_out;   /**< response body bytes queued */
	uint32_t body_in;    /**< request body bytes read */
	uint16_t worker;     /**< worker id */
	char method_tok[14]; /**< the method token as received (a 405's), or "" */
	char path[128];	     /**< the request target as far as read (cut), or "" */
};

struct http_log;
struct rte_ring;

/** "synack", "seeds", "combined", "json" -> *out; 0 or -EINVAL. */
int http_log_format_parse(const char *s, enum http_log_format *out);

/** Open (append to) path. NULL with errno. Main lcore. */
struct http_log *http_log_open(const char *path, enum http_log_format fmt);

/**
 * A new single-producer/single-consumer ring of records for one worker,
 * owned (and freed) by l. NULL with errno. Before the workers start.
 */
struct rte_ring *http_log_ring_new(struct http_log *l);

/**
 * Drain every ring and write their records as whole lines (main lcore,
 * often: each ring holds 8192 records). Returns the lines written so far.
 */
uint64_t http_log_flush(struct http_log *l);

/** Flush, close, free l and its rings (after the workers stopped). */
void http_log_close(struct http_log *l);

/* ---- the responder as a TCP application (http_app.c) ---- */

struct http_app;
struct worker;
struct tcp_app;
struct tcp_ctx;

/**
 * The HTTP/1.1 responder for worker w, answering from srv (shared, read-only
 * on the workers). Fills ops with the TCP callbacks to pass to tcp_attach().
 * log: access log (NULL = off; the app gets its own ring of it), one
 * request in sample logged.
 * NULL on allocation failure.
 */
struct http_app *http_app_create(struct worker *w, const struct http_server *srv,
				 struct http_log *log, uint32_t sample, struct tcp_app *ops);
void http_app_free(struct http_app *a);

/**
 * Bound what an idle or half-sent connection may hold (issue #11): a
 * request must be whole within header_ms of the accept or of its first
 * byte (else the connection is reset, http_close_header_timeout); a
 * keep-alive connection with no request for keepalive_ms is closed
 * (http_close_keepalive), and reset when the peer has not closed its side
 * keepalive_ms later (http_close_linger). 0 = no bound. Call before
 * http_app_start; both are 0 until then.
 */
void http_app_set_timeouts(struct http_app *a, uint32_t header_ms, uint32_t keepalive_ms);

/** The responder is a worker application (unbounded). */
extern const struct app_class http_app_class;

/**
 * Listen on ports[0..n) of tcp (its worker's TCP context) and register a on
 * its worker.
 * @return 0, -EADDRINUSE (another application listens on one of the ports;
 * none is kept), -ENOSPC (no application slot left).
 */
int http_app_start(struct http_app *a, struct tcp_ctx *tcp, const uint16_t *ports, unsigned int n);

#ifdef __cplusplus
}
#endif

#endif /* SYNACK_HTTP_H */
