/*
 * The field table (table.c) and its extractors, one file per field class:
 * evt.c, proc.c (proc, thread, user, group), fd.c.  value.c turns values
 * into sysdig's text; printf.c is the `-p` format engine; filter.c compares.
 */
#ifndef UDIG_FIELDS_INT_H
#define UDIG_FIELDS_INT_H

#include "../capture-int.h"
#include "../tables.h"
#include "../format/format-int.h"

struct field_def;

/* A compiled field reference: the definition and its argument. */
struct udig_field {
	const struct udig_field_info *info;
	const struct field_def *def;
	int64_t index;       /* [N] argument, -1 when none */
	const char *argname; /* evt.arg.NAME: the parameter name (static), or NULL */
	/* How its buffers render: the text line's (zero) in filters, the
	 * format's own (JSON, -A, -s) in a format's tokens. */
	struct param_render render;
	uint8_t json; /* in a JSON format (evt.outputtime is then a number) */
};

typedef int (*field_extractor)(udig_capture *c, const struct udig_evt *ev, const struct udig_field *f,
			       struct udig_field_value *v);

enum field_print { FP_DEC, FP_HEX };

struct field_def {
	field_extractor extract;
	uint8_t print; /* enum field_print, numbers only */
};

/* Extractors by class (table.c names them in its table). */
int fx_evt_num(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_time(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_latency(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_dir(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_type(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_category(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_cpu(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_args(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_arg(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_buflen(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_res(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_rawres(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_failed(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_is_io(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_is_io_read(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_is_io_write(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_evt_is_wait(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);

int fx_proc_pid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_exe(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_name(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_args(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_cmdline(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_cwd(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_ppid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_pname(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_apid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_aname(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_thread_tid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_thread_ismain(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_thread_vtid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_vpid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_sid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_tty(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_duration(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_proc_exepath(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_user_uid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_user_name(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_group_gid(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_group_name(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);

int fx_fd_num(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_type(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_typechar(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_name(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_directory(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_filename(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_cip(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_sip(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_cport(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_sport(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_l4proto(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_sockfamily(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_dev(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);
int fx_fd_ino(udig_capture *, const struct udig_evt *, const struct udig_field *, struct udig_field_value *);

/* Value helpers for extractors. */
static inline int fv_str(struct udig_field_value *v, const char *s)
{
	v->type = UDIG_FT_STRING;
	v->str = s;
	return 1;
}
static inline int fv_i64(struct udig_field_value *v, int64_t i)
{
	v->type = UDIG_FT_INT64;
	v->i = i;
	return 1;
}
static inline int fv_u64(struct udig_field_value *v, uint64_t u)
{
	v->type = UDIG_FT_UINT64;
	v->u = u;
	return 1;
}
static inline int fv_bool(struct udig_field_value *v, int b)
{
	v->type = UDIG_FT_BOOL;
	v->i = b != 0;
	return 1;
}
/* Takes a malloc'ed string (NULL: out of memory, the field is absent). */
int fv_owned(struct udig_field_value *v, char *s);
/* Parameter i as libsinsp shows it alone: its resolved text if it has one
 * (an fd's name, an errno's), else its value; r as format_param takes it. */
int fv_param(udig_capture *c, const struct udig_evt *ev, unsigned i, const struct param_render *r,
	     struct udig_field_value *v);

/* The thread of an event (NULL when the table has none), and its process's
 * ancestor `n` levels up (0: the process itself), bounded and cycle-safe. */
struct thread_entry *fields_thread(udig_capture *c, const struct udig_evt *ev);
struct thread_entry *fields_ancestor(udig_capture *c, struct thread_entry *te, int64_t n);

/* Deepest ancestor a field argument or an "any ancestor" check visits. */
#define FIELDS_MAX_ANCESTORS 64

/* Buffers of a field compiled under UDIG_FORMAT_* flags render as sysdig's
 * buffer format of that output renders them, in a filter as much as in a
 * format: libsinsp has one format per inspector, so `sysdig -j` matches
 * evt.args whole and `sysdig -A` matches its text.  Only a JSON format
 * also turns values into JSON's (values: evt.time a number). */
static inline void fields_render_as(udig_field *f, unsigned flags, int values)
{
	f->render.whole = (flags & UDIG_FORMAT_JSON) != 0;
	f->render.ascii = (flags & UDIG_FORMAT_ASCII) != 0;
	f->json = values && (flags & UDIG_FORMAT_JSON);
}

/* Appends f's value for ev as `sysdig -p` prints it ("<NA>" when absent),
 * or as `sysdig -j` writes it (null when absent: numbers and booleans
 * bare, the rest JSON strings); both return whether the event has it. */
int fields_put(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct fmtbuf *b);
int fields_put_json(udig_capture *c, const struct udig_evt *ev, const udig_field *f, struct fmtbuf *b);

/* A JSON string as jsoncpp (1.9.5, sysdig's) writes it (json.c). */
void json_put_string(struct fmtbuf *b, const char *s);

/* Parses a sysdig number ([+-]digits, decimal) of a field type; 0 or -1. */
int fields_parse_num(const char *s, enum udig_field_type t, int64_t *i, uint64_t *u);

#endif
