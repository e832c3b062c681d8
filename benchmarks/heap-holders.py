#!/usr/bin/env python3
"""Who holds the big byte arrays in a heap dump.

    benchmarks/heap-holders.py java_pidNNN.hprof [depth]

Reads an HPROF file (as written by -XX:+HeapDumpOnOutOfMemoryError or `jcmd PID GC.heap_dump`), takes
every primitive array of 32 KiB or more, follows one referrer per object up to `depth` steps (default 12)
and prints the referrer chains, grouped, largest total first. No heap analyser is installed on these
machines; this answers the one question a node's out-of-memory error asks: which structure holds the
bytes. One referrer per object is enough for that and keeps it to a few seconds for a 300 MB dump.
"""
import collections
import struct
import sys

TYPE_SIZE = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
ROOT_SIZES = {0xFF: 8, 0x01: 16, 0x02: 16, 0x03: 16, 0x04: 12, 0x05: 8, 0x06: 12, 0x07: 8, 0x08: 16}


def main(path, depth):
    data = open(path, 'rb').read()
    pos = data.index(b'\0') + 1
    if struct.unpack_from('>I', data, pos)[0] != 8:
        sys.exit('only dumps with 8-byte ids are supported')
    pos += 12

    def oid(p):
        return struct.unpack_from('>Q', data, p)[0]

    names, class_name, classes, arrays, instances, obj_arrays, roots = {}, {}, {}, {}, [], [], {}
    while pos < len(data):
        tag = data[pos]
        length = struct.unpack_from('>I', data, pos + 5)[0]
        body, pos = pos + 9, pos + 9 + length
        if tag == 0x01:
            names[oid(body)] = data[body + 8:body + length].decode('utf8', 'replace')
        elif tag == 0x02:
            class_name[oid(body + 4)] = names.get(oid(body + 16), '?')
        elif tag in (0x0C, 0x1C):
            p = body
            while p < body + length:
                sub = data[p]
                p += 1
                if sub in ROOT_SIZES:
                    roots[oid(p)] = sub
                    p += ROOT_SIZES[sub]
                elif sub == 0x20:  # class dump
                    cid, sup = oid(p), oid(p + 12)
                    p += 7 * 8 + 8
                    n = struct.unpack_from('>H', data, p)[0]  # constant pool
                    p += 2
                    for _ in range(n):
                        p += 3 + TYPE_SIZE[data[p + 2]]
                    statics = []
                    n = struct.unpack_from('>H', data, p)[0]
                    p += 2
                    for _ in range(n):
                        t = data[p + 8]
                        if t == 2:
                            statics.append(oid(p + 9))
                        p += 9 + TYPE_SIZE[t]
                    fields = []
                    n = struct.unpack_from('>H', data, p)[0]
                    p += 2
                    for _ in range(n):
                        fields.append((names.get(oid(p), '?'), data[p + 8]))
                        p += 9
                    classes[cid] = (sup, fields, statics)
                elif sub == 0x21:  # instance
                    instances.append((oid(p), oid(p + 12), p + 24))
                    p += 24 + struct.unpack_from('>I', data, p + 20)[0]
                elif sub == 0x22:  # object array
                    n = struct.unpack_from('>I', data, p + 12)[0]
                    obj_arrays.append((oid(p), oid(p + 16), p + 24, n))
                    p += 24 + 8 * n
                elif sub == 0x23:  # primitive array
                    n, t = struct.unpack_from('>I', data, p + 12)[0], data[p + 16]
                    arrays[oid(p)] = n * TYPE_SIZE[t]
                    p += 17 + n * TYPE_SIZE[t]
                else:
                    sys.exit('unknown heap dump record 0x%x' % sub)

    layouts = {}

    def layout(cid):
        if cid not in layouts:
            fields, c = [], cid
            while c in classes:
                fields.extend(classes[c][1])
                c = classes[c][0]
            layouts[cid] = fields
        return layouts[cid]

    referrer, type_of = {}, {}
    for o, cid, p in instances:
        type_of[o] = cid
        for name, t in layout(cid):
            if t == 2:
                r = oid(p)
                if r and r not in referrer:
                    referrer[r] = (o, '.' + name)
            p += TYPE_SIZE[t]
    for o, cid, p, n in obj_arrays:
        type_of[o] = cid
        for i in range(n):
            r = oid(p + 8 * i)
            if r and r not in referrer:
                referrer[r] = (o, '[]')
    for cid, (_, _, statics) in classes.items():
        for r in statics:
            if r and r not in referrer:
                referrer[r] = (cid, ' (static)')

    def describe(o):
        if o in classes:
            return 'class ' + class_name.get(o, '?')
        return class_name.get(type_of.get(o), '?')

    count, total = collections.Counter(), collections.Counter()
    big = [(size, o) for o, size in arrays.items() if size >= 32768]
    for size, o in big:
        chain, c = [], o
        for _ in range(depth):
            if c not in referrer:
                chain.append('GC root' if c in roots else '(no referrer found)')
                break
            parent, via = referrer[c]
            chain.append(describe(parent) + via)
            c = parent
        key = ' <- '.join(chain)
        count[key] += 1
        total[key] += size
    print('%d arrays of 32 KiB or more, %.1f MB in all' % (len(big), sum(s for s, _ in big) / 1e6))
    for key, size in total.most_common(15):
        print('%8.1f MB %5d  %s' % (size / 1e6, count[key], key))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 12)
