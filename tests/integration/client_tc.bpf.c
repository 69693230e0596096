// SPDX-License-Identifier: BSD-3-Clause
/*
 * tc (clsact, direct-action) programs for client_nginx.sh, for kernels
 * without netem, u32 or gact (this project's VM). Built at test time:
 *   clang -O2 -target bpf -DLOSS_PER_MILLE=50 -c client_tc.bpf.c -o client_tc.o
 * sec "loss":   drops a random LOSS_PER_MILLE of the frames it sees.
 * sec "drop81": drops IPv4 TCP segments to port 81 (SYNs never answered:
 *               the client's connect times out).
 * Both let every other frame go on (TC_ACT_UNSPEC).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef LOSS_PER_MILLE
#define LOSS_PER_MILLE 50
#endif

SEC("loss")
int
tc_loss(struct __sk_buff *skb)
{
	(void)skb;
	if (bpf_get_prandom_u32() % 1000 < LOSS_PER_MILLE)
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;
}

SEC("drop81")
int
tc_drop81(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_TCP || ip->ihl < 5)
		return TC_ACT_UNSPEC;
	struct tcphdr *th = (void *)((unsigned char *)ip + ip->ihl * 4);
	if ((void *)(th + 1) > end)
		return TC_ACT_UNSPEC;
	if (th->dest == bpf_htons(81))
		return TC_ACT_SHOT;
	return TC_ACT_UNSPEC;
}

char _license[] SEC("license") = "Dual BSD/GPL";
