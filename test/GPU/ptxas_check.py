#!/usr/bin/env python3
"""Assembles the PTX that attn-nvvm-pipeline{format=isa} embeds in an MLIR
file with ptxas, and prints each kernel's resource usage (ptxas -v).

usage: ptxas_check.py PTXAS input.mlir [--dump-dir DIR]

For every #gpu.object of every gpu.binary it runs
  PTXAS -arch=<the object's chip> -v <ptx> -o /dev/null
and prints one line per kernel (entry function):
  <kernel> <chip>: registers=R smem=S stack=F spill-stores=X spill-loads=Y
then "assembled N objects". Exits non-zero, with ptxas's output, when one
does not assemble. MLIR prints the PTX as a string with \\XX hex escapes.
"""

import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

BINARY = re.compile(r'gpu\.binary @(?P<name>[\w$.]+)')
OBJECT = re.compile(
    r'#gpu\.object<#nvvm\.target<[^>]*chip = "(?P<chip>[^"]+)"[^>]*>'
    r'.*?assembly = "(?P<asm>(?:[^"\\]|\\.)*)"', re.S)


def unescape(text):
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == '\\':
            if text[i + 1] in '\\"':
                out += text[i + 1].encode()
                i += 2
            else:
                out.append(int(text[i + 1:i + 3], 16))
                i += 3
        else:
            out += text[i].encode()
            i += 1
    return out.decode()


ENTRY = re.compile(r"Compiling entry function '([^']+)'")


def resources(log):
    """(kernel, 'registers=... ') for every entry function in a ptxas -v log."""
    def num(pattern, text):
        m = re.search(pattern, text)
        return int(m.group(1)) if m else 0
    entries = list(ENTRY.finditer(log))
    for i, entry in enumerate(entries):
        text = log[entry.end():entries[i + 1].start() if i + 1 < len(entries)
                   else len(log)]
        yield entry.group(1), (
            'registers=%d smem=%d stack=%d spill-stores=%d spill-loads=%d' %
            (num(r'Used (\d+) registers', text), num(r'(\d+) bytes smem', text),
             num(r'(\d+) bytes stack frame', text),
             num(r'(\d+) bytes spill stores', text),
             num(r'(\d+) bytes spill loads', text)))


def main():
    args = sys.argv[1:]
    dump = None
    if '--dump-dir' in args:
        i = args.index('--dump-dir')
        dump = args[i + 1]
        del args[i:i + 2]
    ptxas, source = args
    text = open(source).read()
    starts = [m for m in BINARY.finditer(text)]
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []  # (binary, chip, ptx file), in file order
        for index, binary in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            for obj in OBJECT.finditer(text, binary.end(), end):
                chip = obj.group('chip')
                name = binary.group('name')
                directory = dump or tmp
                os.makedirs(directory, exist_ok=True)
                ptx = os.path.join(directory,
                                   '%d-%s.%s.ptx' % (len(jobs), name, chip))
                with open(ptx, 'w') as f:
                    f.write(unescape(obj.group('asm')))
                jobs.append((name, chip, ptx))
        if not jobs:
            sys.exit('no PTX (gpu.binary with an assembly) in ' + source)

        def assemble(job):
            return subprocess.run([ptxas, '-arch=' + job[1], '-v', job[2],
                                   '-o', os.devnull],
                                  capture_output=True, text=True)

        with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
            runs = list(pool.map(assemble, jobs))
        for (name, chip, _), run in zip(jobs, runs):
            log = run.stdout + run.stderr
            if run.returncode != 0:
                sys.stdout.write(log)
                sys.exit('ptxas failed on %s (%s)' % (name, chip))
            for kernel, usage in resources(log):
                print('%s %s: %s' % (kernel, chip, usage))
    print('assembled %d objects' % len(jobs))


if __name__ == '__main__':
    main()
