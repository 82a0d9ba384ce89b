#!/usr/bin/env python3
"""What a WASM module's code is made of, by the crate each function was compiled from.

Reads a module that still has its name section (the split main module before wasm-bindgen and
wasm-opt: $CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/app_split.wasm after a
release build) and prints the code bytes per crate, largest first, and the data bytes; a second
argument N also prints the N largest functions. Builds nothing.
"""
import collections
import re
import sys


def leb128(buf, pos):
    value, shift = 0, 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def read_name(buf, pos):
    length, pos = leb128(buf, pos)
    return buf[pos:pos + length].decode('utf8', 'replace'), pos + length


def sections(buf):
    assert buf[:4] == b'\0asm', 'not a WASM module'
    pos = 8
    while pos < len(buf):
        kind = buf[pos]
        size, start = leb128(buf, pos + 1)
        yield kind, start, size
        pos = start + size


def imported_functions(buf, pos):
    count, pos = leb128(buf, pos)
    functions = 0
    for _ in range(count):
        _, pos = read_name(buf, pos)
        _, pos = read_name(buf, pos)
        kind = buf[pos]
        pos += 1
        if kind == 0:  # function: a type index
            _, pos = leb128(buf, pos)
            functions += 1
        elif kind == 1:  # table: element type and limits
            pos += 1
            flags, pos = leb128(buf, pos)
            _, pos = leb128(buf, pos)
            if flags & 1:
                _, pos = leb128(buf, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb128(buf, pos)
            _, pos = leb128(buf, pos)
            if flags & 1:
                _, pos = leb128(buf, pos)
        elif kind == 3:  # global: value type and mutability
            pos += 2
    return functions


def function_names(buf, pos, end):
    names = {}
    _, pos = read_name(buf, pos)  # "name"
    while pos < end:
        sub = buf[pos]
        size, pos = leb128(buf, pos + 1)
        if sub == 1:
            p = pos
            count, p = leb128(buf, p)
            for _ in range(count):
                index, p = leb128(buf, p)
                names[index], p = read_name(buf, p)
        pos += size
    return names


MANGLED = [('$LT$', '<'), ('$GT$', '>'), ('$u20$', ' '), ('$RF$', '&'), ('$C$', ','),
           ('$LP$', '('), ('$RP$', ')'), ('$u7b$', '{'), ('$u7d$', '}'), ('..', '::')]


def crate_of(name):
    """The crate a (legacy-mangled or plain) symbol belongs to; a trait impl for a generic
    parameter (`<T as tachys::…>`) counts for the trait's crate."""
    readable = name
    for mangled, plain in MANGLED:
        readable = readable.replace(mangled, plain)
    impl = re.match(r'_ZN\d+_?<(?:&|mut |\s)*([A-Za-z_]\w*)(?:<[^>]*>)?( as ([A-Za-z_]\w*))?', readable)
    if impl:
        crate = impl.group(1)
        return impl.group(3) if len(crate) <= 2 and impl.group(3) else crate
    path = re.match(r'_ZN(\d+)(\w+)', name)
    if path:
        return path.group(2)[:int(path.group(1))]
    plain = re.match(r'^[_<&\s]*(?:mut |dyn |\(|\[)*([A-Za-z_]\w*)', name)
    return plain.group(1) if plain else name[:20]


def main():
    buf = open(sys.argv[1], 'rb').read()
    largest = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    imports, bodies, data, names = 0, [], 0, {}
    for kind, start, size in sections(buf):
        if kind == 2:
            imports = imported_functions(buf, start)
        elif kind == 10:
            count, pos = leb128(buf, start)
            for _ in range(count):
                length, pos = leb128(buf, pos)
                bodies.append(length)
                pos += length
        elif kind == 11:
            data += size
        elif kind == 0 and read_name(buf, start)[0] == 'name':
            names = function_names(buf, start, start + size)
    by_crate = collections.Counter()
    functions = []
    for i, size in enumerate(bodies):
        name = names.get(imports + i, '?')
        by_crate[crate_of(name)] += size
        functions.append((size, name))
    print(f'{len(bodies)} functions, {sum(bodies) / 1024:.1f} KB of code, {data / 1024:.1f} KB of data')
    for crate, size in by_crate.most_common(25):
        print(f'{size / 1024:8.1f} KB  {crate}')
    for size, name in sorted(functions, reverse=True)[:largest]:
        print(size, name[:150])


if __name__ == '__main__':
    main()
