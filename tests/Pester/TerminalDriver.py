#!/usr/bin/env python3
"""Drives a child pwsh on a pseudo-terminal of 30x100, as a user at a terminal would.

    python3 TerminalDriver.py SCRIPT.ps1 EXPECT KEYS [EXPECT KEYS]...

For each pair: waits until EXPECT is on the screen, then types KEYS (backslash escapes as in
Python: \\r is Enter, \\x03 is Ctrl+C). Then waits for pwsh to exit, prints the whole screen,
and exits with pwsh's exit code; 124 when something expected never came (30 s each)."""
import codecs, fcntl, os, pty, select, struct, sys, termios, time

script, steps = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("pwsh", ["pwsh", "-NoProfile", "-File", script])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
screen = b""


def read(timeout):
    """What comes within timeout; False once the terminal has closed."""
    global screen
    ready, _, _ = select.select([fd], [], [], timeout)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        screen += data
    return True


def fail(why):
    sys.stdout.write(screen.decode(errors="replace") + "\n" + why + "\n")
    os.kill(pid, 9)
    sys.exit(124)


for expect, keys in zip(steps[0::2], steps[1::2]):
    deadline = time.time() + 30
    while expect.encode() not in screen:
        if time.time() > deadline or not read(0.1):
            fail("never came: " + expect)
    os.write(fd, codecs.decode(keys, "unicode_escape").encode())
deadline = time.time() + 30
while read(0.1):
    if time.time() > deadline:
        fail("pwsh did not exit")
_, status = os.waitpid(pid, 0)
sys.stdout.write(screen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
