/*
 * The field table: names, types and descriptions as `sysdig -l` (0.29.3)
 * gives them, and the extractor of each.  One X-macro list makes both the
 * public udig_field_info array and the extractor array, so they cannot
 * disagree.  Field names with an argument (evt.arg.fd, proc.aname[2]) are
 * resolved here, once, when a filter or format is compiled.
 */
#include <stdlib.h>
#include <string.h>
#include "fields-int.h"

#define S UDIG_FT_STRING
#define I UDIG_FT_INT64
#define U UDIG_FT_UINT64
#define B UDIG_FT_BOOL
#define IP UDIG_FT_IPADDR
#define P UDIG_FT_PORT
#define REQ UDIG_FIELD_ARG_REQUIRED
#define IDX (UDIG_FIELD_ARG_INDEX | UDIG_FIELD_FILTER_ONLY)

#define FIELDS(X) \
	X("evt.num", U, 0, FP_DEC, fx_evt_num, "event number.") \
	X("evt.time", S, 0, FP_DEC, fx_evt_time, "event timestamp as a time string that includes the nanosecond part.") \
	/* sysdig's time column: evt.time's text under -t h, the only -t udig read has */ \
	X("evt.outputtime", S, 0, FP_DEC, fx_evt_time, "this depends on -t param, default is %evt.time ('h').") \
	X("evt.latency", U, 0, FP_DEC, fx_evt_latency, "delta between an exit event and the correspondent enter event, in nanoseconds.") \
	X("evt.dir", S, 0, FP_DEC, fx_evt_dir, "event direction can be either '>' for enter events or '<' for exit events.") \
	X("evt.type", S, 0, FP_DEC, fx_evt_type, "The name of the event (e.g. 'open').") \
	X("evt.category", S, 0, FP_DEC, fx_evt_category, "The event category. Example values are 'file' (for file operations like open and close), 'net' (for network operations like socket and bind), memory (for things like brk or mmap), and so on.") \
	X("evt.cpu", I, 0, FP_DEC, fx_evt_cpu, "number of the CPU where this event happened.") \
	X("evt.args", S, 0, FP_DEC, fx_evt_args, "all the event arguments, aggregated into a single string.") \
	X("evt.arg", S, REQ, FP_DEC, fx_evt_arg, "one of the event arguments specified by name or by number. Some events (e.g. return codes or FDs) will be converted into a text representation when possible. E.g. 'evt.arg.fd' or 'evt.arg[0]'.") \
	X("evt.info", S, 0, FP_DEC, fx_evt_args, "for most events, this field returns the same value as evt.args. However, for some events (like writes to /dev/log) it provides higher level information coming from decoding the arguments.") \
	X("evt.buflen", U, 0, FP_DEC, fx_evt_buflen, "the length of the binary data buffer for events that have one, like read(), recvfrom(), etc.") \
	X("evt.res", S, 0, FP_DEC, fx_evt_res, "event return value, as a string. If the event failed, the result is an error code string (e.g. 'ENOENT'), otherwise the result is the string 'SUCCESS'.") \
	X("evt.rawres", I, 0, FP_DEC, fx_evt_rawres, "event return value, as a number (e.g. -2). Useful for range comparisons.") \
	X("evt.failed", B, 0, FP_DEC, fx_evt_failed, "'true' for events that returned an error status.") \
	X("evt.is_io", B, 0, FP_DEC, fx_evt_is_io, "'true' for events that read or write to FDs, like read(), send, recvfrom(), etc.") \
	X("evt.is_io_read", B, 0, FP_DEC, fx_evt_is_io_read, "'true' for events that read from FDs, like read(), recv(), recvfrom(), etc.") \
	X("evt.is_io_write", B, 0, FP_DEC, fx_evt_is_io_write, "'true' for events that write to FDs, like write(), send(), etc.") \
	X("evt.is_wait", B, 0, FP_DEC, fx_evt_is_wait, "'true' for events that make the thread wait, e.g. sleep(), select(), poll().") \
	X("proc.pid", I, 0, FP_DEC, fx_proc_pid, "the id of the process generating the event.") \
	X("proc.exe", S, 0, FP_DEC, fx_proc_exe, "the first command line argument (usually the executable name or a custom one).") \
	X("proc.name", S, 0, FP_DEC, fx_proc_name, "the name (excluding the path) of the executable generating the event.") \
	X("proc.args", S, 0, FP_DEC, fx_proc_args, "the arguments passed on the command line when starting the process generating the event.") \
	X("proc.cmdline", S, 0, FP_DEC, fx_proc_cmdline, "full process command line, i.e. proc.name + proc.args.") \
	X("proc.cwd", S, 0, FP_DEC, fx_proc_cwd, "the current working directory of the event.") \
	X("proc.ppid", I, 0, FP_DEC, fx_proc_ppid, "the pid of the parent of the process generating the event.") \
	X("proc.pname", S, 0, FP_DEC, fx_proc_pname, "the name (excluding the path) of the parent of the process generating the event.") \
	X("proc.apid", I, IDX, FP_DEC, fx_proc_apid, "the pid of one of the process ancestors. E.g. proc.apid[1] returns the parent pid, proc.apid[2] returns the grandparent pid, and so on. proc.apid[0] is the pid of the current process. proc.apid without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.apid=1234.") \
	X("proc.aname", S, IDX, FP_DEC, fx_proc_aname, "the name (excluding the path) of one of the process ancestors. E.g. proc.aname[1] returns the parent name, proc.aname[2] returns the grandparent name, and so on. proc.aname[0] is the name of the current process. proc.aname without arguments can be used in filters only and matches any of the process ancestors, e.g. proc.aname=bash.") \
	X("proc.duration", U, 0, FP_DEC, fx_proc_duration, "number of nanoseconds since the process started.") \
	X("thread.tid", I, 0, FP_DEC, fx_thread_tid, "the id of the thread generating the event.") \
	X("thread.ismain", B, 0, FP_DEC, fx_thread_ismain, "'true' if the thread generating the event is the main one in the process.") \
	X("thread.vtid", I, 0, FP_DEC, fx_thread_vtid, "the id of the thread generating the event as seen from its current PID namespace.") \
	X("proc.vpid", I, 0, FP_DEC, fx_proc_vpid, "the id of the process generating the event as seen from its current PID namespace.") \
	X("proc.sid", I, 0, FP_DEC, fx_proc_sid, "the session id of the process generating the event.") \
	X("proc.tty", I, 0, FP_DEC, fx_proc_tty, "The controlling terminal of the process. 0 for processes without a terminal.") \
	X("proc.exepath", S, 0, FP_DEC, fx_proc_exepath, "The full executable path of the process.") \
	X("user.uid", U, 0, FP_DEC, fx_user_uid, "user ID.") \
	X("user.name", S, 0, FP_DEC, fx_user_name, "user name.") \
	X("group.gid", U, 0, FP_DEC, fx_group_gid, "group ID.") \
	X("group.name", S, 0, FP_DEC, fx_group_name, "group name.") \
	X("fd.num", I, 0, FP_DEC, fx_fd_num, "the unique number identifying the file descriptor.") \
	X("fd.type", S, 0, FP_DEC, fx_fd_type, "type of FD. Can be 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify' or 'signalfd'.") \
	X("fd.typechar", S, 0, FP_DEC, fx_fd_typechar, "type of FD as a single character. Can be 'f' for file, 4 for IPv4 socket, 6 for IPv6 socket, 'u' for unix socket, p for pipe, 'e' for eventfd, 's' for signalfd, 'l' for eventpoll, 'i' for inotify, 'o' for unknown.") \
	X("fd.name", S, 0, FP_DEC, fx_fd_name, "FD full name. If the fd is a file, this field contains the full path. If the FD is a socket, this field contain the connection tuple.") \
	X("fd.directory", S, 0, FP_DEC, fx_fd_directory, "If the fd is a file, the directory that contains it.") \
	X("fd.filename", S, 0, FP_DEC, fx_fd_filename, "If the fd is a file, the filename without the path.") \
	X("fd.cip", IP, 0, FP_DEC, fx_fd_cip, "client IP address.") \
	X("fd.sip", IP, 0, FP_DEC, fx_fd_sip, "server IP address.") \
	X("fd.cport", P, 0, FP_DEC, fx_fd_cport, "for TCP/UDP FDs, the client port.") \
	X("fd.sport", P, 0, FP_DEC, fx_fd_sport, "for TCP/UDP FDs, server port.") \
	X("fd.l4proto", S, 0, FP_DEC, fx_fd_l4proto, "the IP protocol of a socket. Can be 'tcp', 'udp', 'icmp' or 'raw'.") \
	X("fd.sockfamily", S, 0, FP_DEC, fx_fd_sockfamily, "the socket family for socket events. Can be 'ip' or 'unix'.") \
	X("fd.dev", I, 0, FP_HEX, fx_fd_dev, "device number (major/minor) containing the referenced file") \
	/* later libsinsp's (sysdig 0.29.3 has none): */ \
	X("fd.ino", I, 0, FP_DEC, fx_fd_ino, "inode number of the referenced file")

#define INFO(name, type, flags, print, fn, desc) { name, type, flags, desc },
#define DEF(name, type, flags, print, fn, desc) { fn, print },

static const struct udig_field_info infos[] = { FIELDS(INFO) };
static const struct field_def defs[] = { FIELDS(DEF) };
#define NFIELDS (sizeof infos / sizeof infos[0])

const struct udig_field_info *udig_field_list(size_t *n)
{
	if (n)
		*n = NFIELDS;
	return infos;
}

const struct udig_field_info *udig_field_find(const char *name)
{
	for (size_t i = 0; name && i < NFIELDS; i++)
		if (!strcmp(infos[i].name, name))
			return &infos[i];
	return NULL;
}

int fields_parse_num(const char *s, enum udig_field_type t, int64_t *i, uint64_t *u)
{
	/* sysdig's number parser: decimal, an optional sign, nothing else */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p || strspn(p, "0123456789") != strlen(p))
		return -1;
	char *end;
	if (t == UDIG_FT_INT64)
		*i = strtoll(s, &end, 10);
	else
		*u = strtoull(s, &end, 10);
	return 0;
}

/* Which parameter names evt.arg.NAME accepts: any event's (sysdig takes
 * the longest one the text starts with, and the whole text must be it). */
static const char *known_param(const char *name)
{
	for (unsigned t = 0; t < UDIG_EVENT_MAX; t++) {
		const struct udig_event_info *info = &udig_event_table[t];
		for (uint32_t k = 0; info->params && k < info->nparams; k++)
			if (info->params[k].name && !strcmp(info->params[k].name, name))
				return info->params[k].name;
	}
	return NULL;
}

udig_field *udig_field_compile(const char *name, char *err)
{
	if (!name) {
		udig_errf(err, "no field name");
		return NULL;
	}
	/* the longest field name the text starts with, as sysdig picks it */
	size_t best = NFIELDS, blen = 0;
	for (size_t i = 0; i < NFIELDS; i++) {
		size_t n = strlen(infos[i].name);
		if (n > blen && !strncmp(name, infos[i].name, n) && (!name[n] || name[n] == '.' || name[n] == '[')) {
			best = i;
			blen = n;
		}
	}
	if (best == NFIELDS) {
		udig_errf(err, "unrecognized field %.100s", name);
		return NULL;
	}
	const struct udig_field_info *info = &infos[best];
	const char *rest = name + blen;
	struct udig_field tmp = { .info = info, .def = &defs[best], .index = -1 };
	if (*rest == '[' && (info->flags & (UDIG_FIELD_ARG_REQUIRED | UDIG_FIELD_ARG_INDEX))) {
		const char *close = strchr(rest, ']');
		if (!close || close[1]) {
			udig_errf(err, "unrecognized field %.100s", name);
			return NULL;
		}
		char num[24];
		size_t n = (size_t)(close - rest - 1);
		int64_t idx = 0;
		uint64_t unused;
		if (n >= sizeof num || (memcpy(num, rest + 1, n), num[n] = 0, fields_parse_num(num, UDIG_FT_INT64, &idx, &unused))) {
			udig_errf(err, "%.60s is not a valid number", n < sizeof num ? num : "index");
			return NULL;
		}
		if (idx < 0 || idx > INT32_MAX) {
			udig_errf(err, "%.60s is not a valid index", num);
			return NULL;
		}
		tmp.index = idx;
	} else if (*rest == '.' && (info->flags & UDIG_FIELD_ARG_REQUIRED)) {
		tmp.argname = known_param(rest + 1);
		if (!tmp.argname) {
			udig_errf(err, "unknown event argument %.100s", rest + 1);
			return NULL;
		}
	} else if (*rest) {
		udig_errf(err, "unrecognized field %.100s", name);
		return NULL;
	} else if (info->flags & UDIG_FIELD_ARG_REQUIRED) {
		udig_errf(err, "filter syntax error: %.100s", name);
		return NULL;
	}
	udig_field *f = malloc(sizeof *f);
	if (!f) {
		udig_errf(err, "out of memory");
		return NULL;
	}
	*f = tmp;
	return f;
}

void udig_field_free(udig_field *f)
{
	free(f);
}
