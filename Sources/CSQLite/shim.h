#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro Swift cannot import: it tells SQLite to copy the bound bytes.
static inline void (*csqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
#endif
