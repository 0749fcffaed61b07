/* Small /proc text files, read whole (status, stat, ...). */
#ifndef INJECT_PROCFS_H
#define INJECT_PROCFS_H
#include <stddef.h>
#include <sys/types.h>

/* Reads at most cap-1 bytes of path into buf and terminates them; the
 * bytes read (> 0), or -1 when the file cannot be opened or is empty. */
ssize_t inj_read_text(const char *path, char *buf, size_t cap);

#endif
