/* Small /proc text files (see procfs.h). */
#include <fcntl.h>
#include <unistd.h>
#include "inject/procfs.h"

ssize_t inj_read_text(const char *path, char *buf, size_t cap)
{
	ssize_t n;
	int fd;

	if (cap < 2)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return n;
}
