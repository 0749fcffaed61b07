/*
 * Descriptor family: pipe/pipe2, fcntl, ioctl and the fd-creating calls
 * eventfd, signalfd, timerfd_create, inotify_init, userfaultfd.  dup,
 * dup2 and dup3 share the fd enter (fill_fd_e) and result exit.
 */
#include "fill_int.h"

/* pipe/pipe2 exit: the two fds written by the kernel and the pipe inode. */
void fill_pipe_x(struct fill *f)
{
	int32_t fds[2] = { -1, -1 };
	uint64_t dev, ino = 0;

	p_res(f);
	if (!fill_read_all(f, fds, fa(f, 0), sizeof fds))
		fds[0] = fds[1] = -1;
	if (fret(f) == 0)
		fill_fd_stat(f, fds[0], &dev, &ino);
	p_s64(f, fds[0]);
	p_s64(f, fds[1]);
	p_u64(f, ino);
}

void fill_fcntl_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u8(f, xl_fcntl_cmd(fa(f, 1)));
}

void fill_ioctl_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u64(f, fa(f, 1));
	p_u64(f, fa(f, 2));
}

/* The driver of this version does not decode the eventfd2, signalfd4,
 * timerfd_create and inotify_init1 flags (nor the signalfd mask, nor the
 * clock id): its table fills those parameters with a constant 0. */
void fill_eventfd_e(struct fill *f)
{
	p_u64(f, fa(f, 0));
	p_u32(f, 0);
}

void fill_signalfd_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, 0);
	p_u8(f, 0);
}

void fill_timerfd_create_e(struct fill *f)
{
	p_u8(f, 0);
	p_u8(f, 0);
}

void fill_inotify_init_e(struct fill *f) { p_u8(f, 0); }

/* userfaultfd exit: result and the raw flags argument. */
void fill_userfaultfd_x(struct fill *f)
{
	p_res(f);
	p_u32(f, fa(f, 0));
}
