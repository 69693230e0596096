// SPDX-License-Identifier: BSD-3-Clause
/*
 * tc (clsact, direct-action) program for netns_http.sh: drops a random
 * LOSS_PER_MILLE of the frames it sees and lets the others go on to the
 * next filter. Used on the kernel's veth end when the kernel has no netem
 * (CONFIG_NET_SCH_NETEM off). Built at test time:
 *   clang -O2 -target bpf -DLOSS_PER_MILLE=20 -c tc_loss.bpf.c -o tc_loss.o
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#ifndef LOSS_PER_MILLE
#define LOSS_PER_MILLE 20
#endif

SEC("tc")
int
tc_loss(struct __sk_buff *skb)
{
	(void)skb;
	if (bpf_get_prandom_u32() % 1000 < LOSS_PER_MILLE)
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;
}

char _license[] SEC("license") = "Dual BSD/GPL";
