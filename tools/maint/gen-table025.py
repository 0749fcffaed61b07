#!/usr/bin/env python3
"""Generate the description of the *current* upstream event table (libs 0.25).

Usage:  gen-table025.py LIBS_SRC OUTDIR
  LIBS_SRC  an unpacked falcosecurity-libs 0.25.x tree (or the tarball
            ../shared/peers/falcosecurity-libs-0.25.4.tar.xz itself)
  OUTDIR    where to write table025.h and table025.c (plugin/schema/)

udig's own table (the 2022 layout: libcapture/schema/, made by
gen-schema.py from the reference libscap.so) describes what the producers
write.  The Falco source plugin must hand libsinsp 0.25 events in that
version's layout, so it needs the same facts about the newer table: per
event type its name, flags and parameter list (name, type).  They are read
here from the table's source (driver/event_table.c; the numeric values of
PPME_*, PT_*, EF_* from driver/ppm_events_public.h), never typed by hand.

One more fact comes from the savefile converter's table
(userspace/libscap/engine/savefile/converter/table.cpp): the parameters it
fills with the type's *default* value rather than the empty (zero-length)
one, because libsinsp's parsers need a value there (e.g. a syscall result).
They are marked so that the plugin fills them the same way.

Maintenance tool: the outputs are committed; tests/plugin/table025.sh re-runs
it on the tarball and compares.
"""
import os
import re
import sys
import tarfile

src, out = sys.argv[1:3]

DRV = "driver/event_table.c"
PUB = "driver/ppm_events_public.h"
CONV = "userspace/libscap/engine/savefile/converter/table.cpp"
SCHEMA = "driver/SCHEMA_VERSION"


def read_sources(path):
    want = {DRV: None, PUB: None, CONV: None, SCHEMA: None}
    if os.path.isdir(path):
        for k in want:
            with open(os.path.join(path, k)) as f:
                want[k] = f.read()
        return want
    with tarfile.open(path) as t:
        for m in t.getmembers():
            for k in want:
                if m.name.endswith("/" + k) and m.name.count("/") == k.count("/") + 1:
                    want[k] = t.extractfile(m).read().decode()
    for k, v in want.items():
        if v is None:
            raise SystemExit("%s: no %s" % (path, k))
    return want


text = read_sources(src)
pub, drv, conv = text[PUB], text[DRV], text[CONV]
schema = text[SCHEMA].strip()
if not re.fullmatch(r"\d+\.\d+\.\d+", schema):
    raise SystemExit("SCHEMA_VERSION: %r" % schema)

# ---- numeric values from the public header
ppme = {n: int(v) for n, v in re.findall(r"^\s*PPME_([A-Z0-9_]+)\s*=\s*(\d+)\s*,", pub, re.M)}
evmax = int(re.search(r"PPM_EVENT_MAX\s*=\s*(\d+)", pub).group(1))
pt = {n: int(v) for n, v in re.findall(r"^\s*PT_([A-Z0-9_]+)\s*=\s*(\d+)", pub, re.M)}
ef = {}
for n, v in re.findall(r"^\s*EF_([A-Z_]+)\s*=\s*\(?\s*([0-9]+(?:\s*<<\s*[0-9]+)?)\s*\)?", pub, re.M):
    m = re.match(r"(\d+)\s*<<\s*(\d+)", v)
    ef[n] = (int(m.group(1)) << int(m.group(2))) if m else int(v)


def strip_comments(s):
    s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
    return re.sub(r"//[^\n]*", " ", s)


def split_top(s):
    """Split on commas that are not inside braces, parentheses or strings."""
    parts, depth, cur, instr = [], 0, [], False
    for i, ch in enumerate(s):
        if instr:
            cur.append(ch)
            if ch == '"' and s[i - 1] != "\\":
                instr = False
            continue
        if ch == '"':
            instr = True
        elif ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def flags_value(expr, table, prefix):
    v = 0
    for tok in re.split(r"\s*\|\s*", expr.strip()):
        if not tok.startswith(prefix):
            raise SystemExit("unexpected flag %r" % tok)
        v |= table[tok[len(prefix):]]
    return v


body = strip_comments(drv)
body = body[body.index("g_event_info[]"):]
events = {}
for m in re.finditer(r"\[PPME_([A-Z0-9_]+)\]\s*=\s*\{", body):
    # the initializer runs to the matching brace
    i, depth = m.end(), 1
    while depth:
        depth += {"{": 1, "}": -1}.get(body[i], 0)
        i += 1
    f = split_top(body[m.end():i - 1])
    name = re.fullmatch(r'"([^"]*)"', f[0]).group(1)
    flags = flags_value(f[2], ef, "EF_")
    nparams = int(f[3])
    params = []
    if nparams:
        for p in split_top(f[4].strip()[1:-1]):
            q = split_top(p.strip()[1:-1])
            params.append((re.fullmatch(r'"([^"]*)"', q[0]).group(1), pt[q[1][3:]]))
    if len(params) != nparams:
        raise SystemExit("PPME_%s: %d parameters listed, %d declared" % (m.group(1), len(params), nparams))
    events[ppme[m.group(1)]] = (m.group(1), name, flags, params)
if sorted(events) != list(range(evmax)):
    raise SystemExit("event table: %d entries, PPM_EVENT_MAX %d" % (len(events), evmax))

# ---- the converter's FROM_DEFAULT parameters: {type: set(param index)}
defaults = {}
cbody = strip_comments(conv)
for m in re.finditer(r"conversion_key\{PPME_([A-Z0-9_]+),\s*(\d+)\}\s*,\s*conversion_info\(\)", cbody):
    # this entry's text, up to the next key
    nxt = cbody.find("conversion_key{", m.end())
    entry = cbody[m.end():nxt if nxt > 0 else len(cbody)]
    if "C_ACTION_ADD_PARAMS" not in entry:
        continue
    instrs = re.findall(r"\{\s*(C_INSTR_[A-Z_]+)\s*,", entry)
    for k, ins in enumerate(instrs):
        if ins == "C_INSTR_FROM_DEFAULT":
            defaults.setdefault(ppme[m.group(1)], set()).add(int(m.group(2)) + k)

PT_NAMES = {v: k for k, v in pt.items()}
BANNER = ("/* Generated by tools/maint/gen-table025.py from falcosecurity-libs 0.25\n"
          " * (driver/event_table.c, driver/ppm_events_public.h, driver/SCHEMA_VERSION, and the savefile\n"
          " * converter's table.cpp for the parameters filled with a default value).\n"
          " * Do not edit by hand: tests/plugin/table025.sh re-generates and compares. */\n")

with open(os.path.join(out, "table025.h"), "w") as o:
    o.write(BANNER)
    o.write("#ifndef UDIG_TABLE025_H\n#define UDIG_TABLE025_H\n#include <stdint.h>\n\n")
    o.write("#define T025_EVENT_MAX %d\n" % evmax)
    o.write("/* The event schema version of this table (driver/SCHEMA_VERSION). */\n")
    o.write('#define T025_SCHEMA_VERSION "%s"\n' % schema)
    for n in ("UNUSED", "OLD_VERSION", "LARGE_PAYLOAD", "CONVERTER_MANAGED"):
        o.write("#define T025_EF_%s 0x%xu\n" % (n, ef[n]))
    o.write("\n/* Parameter types (PT_* of libs 0.25). */\nenum t025_pt {\n")
    for k in sorted(PT_NAMES):
        o.write("\tT025_PT_%s = %d,\n" % (PT_NAMES[k], k))
    o.write("};\n\n")
    o.write("struct t025_param {\n\tconst char *name;\n\tuint8_t type; /* enum t025_pt */\n"
            "\tuint8_t dflt; /* missing: the type's default value, not the empty one */\n};\n\n")
    o.write("struct t025_event {\n\tconst char *ppme; /* the PPME_ name, without the prefix */\n"
            "\tconst char *name;\n\tuint32_t flags;\n\tuint32_t nparams;\n"
            "\tconst struct t025_param *params;\n};\n\n")
    o.write("extern const struct t025_event t025_events[T025_EVENT_MAX];\n\n#endif\n")

with open(os.path.join(out, "table025.c"), "w") as o:
    o.write(BANNER + '#include "table025.h"\n\n')
    o.write("const struct t025_event t025_events[T025_EVENT_MAX] = {\n")
    for t in range(evmax):
        sym, name, flags, params = events[t]
        o.write('\t[%d] = { "%s", "%s", 0x%x, %d, ' % (t, sym, name, flags, len(params)))
        if not params:
            o.write("0 },\n")
            continue
        o.write("(const struct t025_param[]){\n")
        for k, (pn, ty) in enumerate(params):
            o.write('\t\t{ "%s", T025_PT_%s, %d },\n' % (pn, PT_NAMES[ty], 1 if k in defaults.get(t, ()) else 0))
        o.write("\t} },\n")
    o.write("};\n")
