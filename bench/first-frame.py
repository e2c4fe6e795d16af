#!/usr/bin/env python3
"""Starts a command in a real pseudo-terminal and prints the milliseconds from fork to the first
screen text matching a pattern (ANSI codes stripped). Usage: first-frame.py PATTERN COMMAND [ARGS...]"""
import fcntl, os, pty, re, select, signal, struct, sys, termios, time

pattern = re.compile(sys.argv[1])
ansi = re.compile(rb'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07')
start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 120, 0, 0))
seen = b''
elapsed = None
deadline = start + 20
while time.perf_counter() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.5)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if pattern.search(ansi.sub(b'', seen).decode('utf8', 'replace')):
        elapsed = (time.perf_counter() - start) * 1000
        break
try:
    os.kill(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
if elapsed is None:
    sys.stderr.write('pattern never appeared; output was:\n' + ansi.sub(b'', seen).decode('utf8', 'replace') + '\n')
    sys.exit(1)
print(f'{elapsed:.1f}')
