#ifndef CEPOLL_SHIM_H
#define CEPOLL_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/tcp.h>

// glibc declares accept4 only under _GNU_SOURCE, which Swift's Glibc module is built without.
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
#include <sys/syscall.h>
#include <unistd.h>
// The calling thread's id (gettid is declared only under _GNU_SOURCE): for per-thread setpriority.
static inline int cepoll_thread_id(void) { return (int)syscall(SYS_gettid); }
#endif
