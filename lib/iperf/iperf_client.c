/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include "iperf.h"

struct iperf_client *
iperf_client_create(struct worker *w, struct worker_port *wp, struct tcp_ctx *tcp,
		    struct udp_ctx *udp, const struct iperf_client_conf *conf)
{
	(void)w; (void)wp; (void)tcp; (void)udp; (void)conf;
	errno = ENOTSUP;
	return NULL;
}
void iperf_client_start(struct iperf_client *c) { (void)c; }
int iperf_client_finish(struct iperf_client *c, FILE *out, char *why, size_t whylen)
{ (void)c; (void)out; (void)why; (void)whylen; return -1; }
void iperf_client_free(struct iperf_client *c) { (void)c; }
