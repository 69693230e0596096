/* SPDX-License-Identifier: BSD-3-Clause */
/* What the load models share beyond gen.h's inline helpers. */
#include <stdio.h>

#include "lib/gen/gen.h"
#include "lib/net/net.h"

void
gen_fail_why(const struct worker *w, rte_be32_t target, char *why, size_t whylen)
{
	char ip[16];

	net_ip_str(rte_be_to_cpu_32(target), ip);
	snprintf(why, whylen,
		 w->stats.c[STAT_drop_no_route] != 0
			 ? "failed: target %s is off-link and the port has no gateway"
			 : "failed: target %s did not answer ARP",
		 ip);
}
