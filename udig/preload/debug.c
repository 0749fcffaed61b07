/*
 * UDIG_DEBUG_COUNT_FD=N: every image writes one line
 *   "udig-count pid=P enter=X exit=Y procexit=Z nested=W"
 * to fd N when it ends (exit_group, a successful execve, death by its own
 * SIGSYS) with the records it built since the last line, whether or not a
 * consumer was attached.  Lines of all processes can be summed: a failed
 * execve leaves two lines for one image, a fork child counts only its own.
 */
#include <sys/syscall.h>
#include "udig/encode/sys.h"
#include "preload.h"

static size_t put(char *p, const char *s, unsigned long v)
{
	char t[24];
	size_t n = 0, i, k = 0;

	while (*s)
		p[k++] = *s++;
	do t[n++] = (char)('0' + v % 10); while ((v /= 10));
	for (i = 0; i < n; i++)
		p[k++] = t[n - 1 - i];
	return k;
}

void up_count_flush(void)
{
	char line[160];
	size_t n = 0;

	if (up_g.count_fd < 0)
		return;
	n += put(line + n, "udig-count pid=", (unsigned long)up_pid());
	n += put(line + n, " enter=", __atomic_exchange_n(&up_g.n_enter, 0, __ATOMIC_RELAXED));
	n += put(line + n, " exit=", __atomic_exchange_n(&up_g.n_exit, 0, __ATOMIC_RELAXED));
	n += put(line + n, " procexit=", __atomic_exchange_n(&up_g.n_procexit, 0, __ATOMIC_RELAXED));
	n += put(line + n, " nested=", __atomic_exchange_n(&up_g.n_nested, 0, __ATOMIC_RELAXED));
	line[n++] = '\n';
	udig_sys3(SYS_write, up_g.count_fd, line, n);
}
