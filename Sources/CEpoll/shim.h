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
#include <sys/prctl.h>
// Names the calling thread, as top -H and /proc/PID/task/*/comm show it (at most 15 bytes kept).
static inline int cepoll_name_thread(const char *name) { return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }
#endif
