/*
 * I/O family: read/write, pread/pwrite, the vectored calls, sendfile,
 * copy_file_range, splice.  Data parameters are cut at the snaplen; the
 * size/res parameters keep the full values.
 */
#include "fill_int.h"

/* read, write (and recvfrom's enter): fd, then the requested size. */
void fill_rw_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, fa(f, 2));
}

/* read/pread exit: what was read, nothing on failure. */
void fill_read_x(struct fill *f)
{
	p_res(f);
	if (fret(f) > 0)
		p_udata(f, fa(f, 1), (uint64_t)fret(f));
	else
		p_empty(f);
}

/* write/pwrite exit: what was written, nothing on failure. */
void fill_write_x(struct fill *f)
{
	p_res(f);
	if (fret(f) > 0)
		p_udata(f, fa(f, 1), (uint64_t)fret(f));
	else
		p_empty(f);
}

/* pread64/pwrite64 enter: x86_64 passes the 64-bit position in one register. */
void fill_prw_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, fa(f, 2));
	p_u64(f, fa(f, 3));
}

void fill_readv_e(struct fill *f) { p_fdarg(f, 0); }

/* readv/preadv exit: total buffer size and the data actually read. */
void fill_readv_x(struct fill *f)
{
	int ok = 0;
	uint64_t size = 0;

	p_res(f);
	if (fret(f) > 0)
		size = fill_iov_size(f, fa(f, 1), fa(f, 2), &ok);
	if (ok) {
		p_u32(f, size);
		p_iov_data(f, fa(f, 1), fa(f, 2), (uint64_t)fret(f));
	} else {
		p_u32(f, 0);
		p_empty(f);
	}
}

/* writev enter: fd and the total size of the buffers (0 if unreadable). */
void fill_writev_e(struct fill *f)
{
	int ok;

	p_fdarg(f, 0);
	p_u32(f, fill_iov_size(f, fa(f, 1), fa(f, 2), &ok));
}

/* writev/pwritev exit: the buffers as passed (the driver copies them
 * whatever the result), cut at the snaplen. */
void fill_writev_x(struct fill *f)
{
	int ok;
	uint64_t size;

	p_res(f);
	size = fill_iov_size(f, fa(f, 1), fa(f, 2), &ok);
	if (ok)
		p_iov_data(f, fa(f, 1), fa(f, 2), size);
	else
		p_empty(f);
}

void fill_preadv_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u64(f, fa(f, 3));
}

void fill_pwritev_e(struct fill *f)
{
	fill_writev_e(f);
	p_u64(f, fa(f, 3));
}

/* *offset of sendfile: 0 when NULL or unreadable. */
static void p_sendfile_offset(struct fill *f)
{
	uint64_t off = 0;

	if (fa(f, 2) && !fill_read_all(f, &off, fa(f, 2), sizeof off))
		off = 0;
	p_u64(f, off);
}

void fill_sendfile_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_fdarg(f, 1);
	p_sendfile_offset(f);
	p_u64(f, fa(f, 3));
}

void fill_sendfile_x(struct fill *f)
{
	p_res(f);
	p_sendfile_offset(f);
}

/* copy_file_range: the driver sends the offset *pointers* as given. */
void fill_copy_file_range_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u64(f, fa(f, 1));
	p_u64(f, fa(f, 4));
}

void fill_copy_file_range_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 2);
	p_u64(f, fa(f, 3));
}

void fill_splice_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_fdarg(f, 2);
	p_u64(f, fa(f, 4));
	p_u32(f, xl_splice_flags(fa(f, 5)));
}
