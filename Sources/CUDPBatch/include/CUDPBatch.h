// recvmmsg/sendmmsg for DHTRuntime's UDP socket: Glibc's Swift module leaves them out (they
// need _GNU_SOURCE). Thin wrappers over fixed arrays of one message per datagram; no state.
#ifndef CUDPBATCH_H
#define CUDPBATCH_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/uio.h>

/// One datagram slot: its buffer, its length (capacity before a receive, bytes after; bytes to
/// send before a send), its IPv4 peer, and whether it was truncated on receipt.
typedef struct {
    void *base;
    size_t length;
    struct sockaddr_in peer;
    int truncated;
} cudp_slot;

/// Receives up to `count` datagrams without blocking into `slots` (each `length` set to its
/// buffer's capacity); returns how many arrived (0 when none was waiting), or -1 with errno.
int cudp_receive(int fd, cudp_slot *slots, unsigned int count);

/// Sends `count` datagrams from `slots`; returns how many the kernel took (a refused one stops
/// the batch: the caller drops it and sends the rest), or -1 with errno.
int cudp_send(int fd, cudp_slot *slots, unsigned int count);

#endif
