#define _GNU_SOURCE
#include "CUDPBatch.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

enum { CUDP_MAX = 64 };

/* One message per slot: its buffer and its IPv4 peer address. */
static unsigned int cudp_fill(struct mmsghdr *msgs, struct iovec *iov, cudp_slot *slots, unsigned int count) {
    if (count > CUDP_MAX) count = CUDP_MAX;
    memset(msgs, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        iov[i].iov_base = slots[i].base;
        iov[i].iov_len = slots[i].length;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_name = &slots[i].peer;
        msgs[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
    }
    return count;
}

int cudp_receive(int fd, cudp_slot *slots, unsigned int count) {
    struct mmsghdr msgs[CUDP_MAX];
    struct iovec iov[CUDP_MAX];
    count = cudp_fill(msgs, iov, slots, count);
    int n = recvmmsg(fd, msgs, count, MSG_DONTWAIT, NULL);
    if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
    for (int i = 0; i < n; i++) {
        slots[i].length = msgs[i].msg_len;
        slots[i].truncated = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
        if (msgs[i].msg_hdr.msg_namelen != sizeof(struct sockaddr_in)) slots[i].peer.sin_family = 0;
    }
    return n;
}

int cudp_send(int fd, cudp_slot *slots, unsigned int count) {
    struct mmsghdr msgs[CUDP_MAX];
    struct iovec iov[CUDP_MAX];
    count = cudp_fill(msgs, iov, slots, count);
    return sendmmsg(fd, msgs, count, MSG_DONTWAIT);
}
