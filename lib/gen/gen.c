/* SPDX-License-Identifier: BSD-3-Clause */
/* What the load models share beyond gen.h's inline helpers. */
#include <stdio.h>

#include "lib/gen/gen.h"
#include "lib/net/net.h"

int
gen_fail_result(const struct worker *w, bool failed, const struct gen_target *targets,
		uint32_t nb_targets, uint32_t resolved, char *why, size_t whylen)
{
	char ip[16];

	if (!failed)
		return 0;
	net_ip_str(rte_be_to_cpu_32(targets[resolved < nb_targets ? resolved : 0].ip), ip);
	snprintf(why, whylen,
		 w->stats.c[STAT_drop_no_route] != 0
			 ? "failed: target %s is off-link and the port has no gateway"
			 : "failed: target %s did not answer ARP",
		 ip);
	return -1;
}
