#ifndef CFILES_SHIM_H
#define CFILES_SHIM_H
#include <fcntl.h>
#include <stdio.h>

// glibc (2.28+) declares renameat2 only under _GNU_SOURCE, which Swift's Glibc module is built without.
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);
// Exchange the two paths atomically (linux/fs.h).
static const unsigned int CFILES_RENAME_EXCHANGE = 1u << 1;
#endif
