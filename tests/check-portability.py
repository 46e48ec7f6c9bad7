#!/usr/bin/env python3
# check-portability.py — keep src/ buildable on Windows (MSYS2) as well as Linux
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Scans every .c/.h file under src/ for Unix-only headers and APIs (and for
# Windows-only ones).  They may appear only in the small platform files named
# in PLATFORM_FILES below, each with the reason it needs them, and there:
#   - every Unix-only use sits inside a Unix branch (#ifdef G_OS_UNIX, or the
#     #else of an #ifdef G_OS_WIN32), and
#   - the file has a Windows branch (#ifdef G_OS_WIN32 / _WIN32, or the #else
#     of an #ifdef G_OS_UNIX).
# Files compiled only for one system (meson decides) are listed in
# SYSTEM_FILES and may use that system's API freely, never the other's.
#
#   check-portability.py [SRCDIR]      check SRCDIR (default: ../src)
#   check-portability.py --self-test   prove the checker catches violations
#
# Prints TAP.  Exit status 0 when everything is portable, 1 otherwise.

import os
import re
import sys
import tempfile

# path relative to src/ -> why it needs platform code
PLATFORM_FILES = {
    "helix-signals.c":
        "quit on SIGTERM/SIGINT/SIGHUP (g_unix_signal_add) on Unix, on console "
        "control events (SetConsoleCtrlHandler) on Windows",
}

# path relative to src/ -> (system, why)
SYSTEM_FILES = {
    "ui/helix-tray-win32.c":
        ("windows", "the Windows tray (Shell_NotifyIconW); src/meson.build compiles it "
                    "only when host_machine.system() == 'windows'"),
    "tray/helixphone-tray.c":
        ("unix", "the Linux tray helper (GTK 3 + libayatana-appindicator over D-Bus); "
                 "src/meson.build builds it only with ayatana, which Windows has not"),
}

UNIX_HEADERS = [
    "unistd.h", "signal.h", "glib-unix.h", "pwd.h", "grp.h", "dlfcn.h", "termios.h",
    "poll.h", "netdb.h", "syslog.h", "spawn.h",
    r"sys/(socket|wait|un|ioctl|mman|select|resource|utsname|prctl|epoll|inotify|signalfd)\.h",
    r"netinet/[\w/]+\.h", r"arpa/[\w/]+\.h",
    r"gio/gunix[\w]*\.h", "gio/gdesktopappinfo.h", "gio/gfiledescriptorbased.h",
]

UNIX_APIS = [
    (r"\bg_unix_\w+", "GLib's Unix-only API"),
    (r"\bGUnix\w+", "GLib's Unix-only types"),
    (r"\bg_subprocess_send_signal\b", "Unix-only GSubprocess call"),
    (r"\bg_subprocess_launcher_(take_fd|take_stdin_fd|take_stdout_fd|take_stderr_fd|set_child_setup)\b",
     "Unix-only GSubprocessLauncher call"),
    (r"(?<![\w.>])v?fork\s*\(", "fork()"),
    (r"(?<![\w.>])exec(l|lp|le|v|vp|vpe|ve)\s*\(", "exec*()"),
    (r"(?<![\w.>])waitpid\s*\(", "waitpid()"),
    (r"\bsigaction\b", "sigaction"),
    (r"(?<![\w.>])signal\s*\(", "signal()"),
    (r"(?<![\w.>])kill\s*\(", "kill()"),
    (r"(?<![\w.>])(getuid|geteuid|getgid|getpwuid|getpwnam|setsid|setuid)\s*\(", "Unix process identity"),
    (r"(?<![\w.>])(pipe|pipe2|socketpair|dup2|mkfifo|fchmod|fchown)\s*\(", "Unix file descriptors"),
    (r"\bSIG(HUP|KILL|USR1|USR2|CHLD|PIPE|ALRM|TERM|INT|QUIT|STOP|CONT)\b", "POSIX signals"),
]

WINDOWS_HEADERS = [
    "windows.h", "winsock2.h", "ws2tcpip.h", "shellapi.h", "shlobj.h", "io.h", "direct.h",
    "process.h",
]

WINDOWS_APIS = [
    (r"\b(Shell_NotifyIcon|CreateWindowEx|SetConsoleCtrlHandler|RegisterClassEx)\w*\b",
     "Win32 API"),
    (r"\bg_win32_\w+", "GLib's Windows-only API"),
]

UNIX_TOKENS = r"(G_OS_UNIX|__unix__|__linux__|__APPLE__)"
WIN_TOKENS = r"(G_OS_WIN32|_WIN32|_WIN64|__MINGW32__|__MINGW64__)"


def strip_comments_and_strings(text):
    """Blank out comments, string and char literals; keep line structure."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n else ""))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def branch_kind(condition):
    """'unix', 'win' or None for the condition of an #if/#ifdef/#elif."""
    cond = condition.replace(" ", "")
    for tokens, kind, other in ((UNIX_TOKENS, "unix", "win"), (WIN_TOKENS, "win", "unix")):
        for m in re.finditer(tokens, cond):
            before = cond[:m.start()]
            negated = before.endswith("!") or before.endswith("!defined(") or before.endswith("!defined")
            return other if negated else kind
    return None


def opposite(kind):
    return {"unix": "win", "win": "unix"}.get(kind)


def scan(text):
    """Yield (line number, kind of enclosing platform branch, code line)."""
    frames = []   # each: [kind of the first branch, kind of the active branch]
    for number, line in enumerate(text.split("\n"), 1):
        m = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)", line)
        if m:
            directive, rest = m.group(1), m.group(2).strip()
            if directive == "ifdef":
                kind = branch_kind("defined(" + rest + ")")
                frames.append([kind, kind])
            elif directive == "ifndef":
                kind = branch_kind("!defined(" + rest + ")")
                frames.append([kind, kind])
            elif directive == "if":
                kind = branch_kind(rest)
                frames.append([kind, kind])
            elif directive == "elif" and frames:
                frames[-1][1] = branch_kind(rest)
            elif directive == "else" and frames:
                frames[-1][1] = opposite(frames[-1][0])
            elif directive == "endif" and frames:
                frames.pop()
            yield number, None, line, directive
            continue
        active = [f[1] for f in frames if f[1] is not None]
        yield number, (active[-1] if active else None), line, None


def findings(line, headers, apis):
    found = []
    m = re.match(r"\s*#\s*include\s*[<\"]([^>\"]+)[>\"]", line)
    if m:
        for pattern in headers:
            if re.fullmatch(pattern, m.group(1)):
                found.append("#include <%s>" % m.group(1))
    else:
        for pattern, what in apis:
            for hit in re.finditer(pattern, line):
                found.append("%s (%s)" % (hit.group(0).strip(), what))
    return found


def check_file(relpath, text):
    """Return a list of problems for one file."""
    problems = []
    # Include lines keep their header names: strip only what follows #include.
    code = strip_comments_and_strings(text)
    raw_lines = text.split("\n")
    has_win_branch = False
    system = SYSTEM_FILES.get(relpath, (None, None))[0]

    for number, kind, line, directive in scan(code):
        if directive is not None:
            continue
        if kind == "win":
            has_win_branch = True
        raw = raw_lines[number - 1]
        include = re.match(r"\s*#\s*include", raw)
        probe = raw if include else line
        unix = findings(probe, UNIX_HEADERS, UNIX_APIS)
        win = findings(probe, WINDOWS_HEADERS, WINDOWS_APIS)

        for what in unix:
            if system == "unix":
                continue
            if system == "windows":
                problems.append("%s:%d: %s in a Windows-only file" % (relpath, number, what))
            elif relpath not in PLATFORM_FILES:
                problems.append("%s:%d: %s outside a platform file "
                                "(move it into one, see PLATFORM_FILES)" % (relpath, number, what))
            elif kind != "unix":
                problems.append("%s:%d: %s is not inside a G_OS_UNIX branch" % (relpath, number, what))
        for what in win:
            if system == "windows":
                continue
            if system == "unix":
                problems.append("%s:%d: %s in a Unix-only file" % (relpath, number, what))
            elif relpath not in PLATFORM_FILES:
                problems.append("%s:%d: %s outside a platform file "
                                "(move it into one, see PLATFORM_FILES)" % (relpath, number, what))
            elif kind != "win":
                problems.append("%s:%d: %s is not inside a G_OS_WIN32 branch" % (relpath, number, what))

    # #else of a G_OS_UNIX conditional counts as the Windows branch even when empty.
    if not has_win_branch:
        has_win_branch = bool(re.search(r"#\s*(if|ifdef|ifndef|elif)\b[^\n]*" + WIN_TOKENS, code)) or \
            bool(re.search(r"#\s*ifdef\s+G_OS_UNIX\b[\s\S]*?#\s*else\b", code))
    if relpath in PLATFORM_FILES and not has_win_branch:
        problems.append("%s: platform file without a G_OS_WIN32 (Windows) branch" % relpath)
    return problems


def check_tree(srcdir):
    problems = []
    listed = set(PLATFORM_FILES) | set(SYSTEM_FILES)
    seen = set()
    for root, _dirs, files in os.walk(srcdir):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(root, name)
            relpath = os.path.relpath(path, srcdir).replace(os.sep, "/")
            seen.add(relpath)
            with open(path, encoding="utf-8", errors="replace") as f:
                problems += check_file(relpath, f.read())
    for relpath in sorted(set(PLATFORM_FILES) - seen):
        problems.append("%s: listed in PLATFORM_FILES but missing (update the list)" % relpath)
    return problems, len(seen), len(listed & seen)


def tap(results):
    print("1..%d" % len(results))
    failed = 0
    for i, (name, problems) in enumerate(results, 1):
        if problems:
            failed += 1
            print("not ok %d - %s" % (i, name))
            for p in problems:
                print("# " + p)
        else:
            print("ok %d - %s" % (i, name))
    return 1 if failed else 0


def self_test():
    cases = [
        ("unix header outside a platform file is caught",
         {"core/helix-x.c": "#include <unistd.h>\nint f (void) { return 0; }\n"}, True),
        ("fork() outside a platform file is caught",
         {"core/helix-x.c": "int f (void) { return fork (); }\n"}, True),
        ("g_unix_* outside a platform file is caught",
         {"core/helix-x.c": "void f (void) { g_unix_fd_add (0, 0, 0, 0); }\n"}, True),
        ("windows.h outside a platform file is caught",
         {"core/helix-x.c": "#include <windows.h>\n"}, True),
        ("platform file without a Windows branch is caught",
         {"helix-signals.c": "#include <glib-unix.h>\nvoid f (void) { g_unix_signal_add (1, 0, 0); }\n"},
         True),
        ("unguarded Unix call in a platform file is caught",
         {"helix-signals.c": "#ifdef G_OS_WIN32\nint w;\n#endif\nvoid f (void) { kill (1, 2); }\n"},
         True),
        ("Unix call in a Windows-only file is caught",
         {"ui/helix-tray-win32.c": "#include <unistd.h>\n"}, True),
        ("guarded platform file passes",
         {"helix-signals.c": "#ifdef G_OS_UNIX\n#include <glib-unix.h>\n#include <signal.h>\n"
                             "void f (void) { g_unix_signal_add (SIGTERM, 0, 0); }\n"
                             "#else /* G_OS_WIN32 */\n#include <windows.h>\n"
                             "void f (void) { SetConsoleCtrlHandler (0, 1); }\n#endif\n"}, False),
        ("G_OS_WIN32 first, Unix in #else passes",
         {"helix-signals.c": "#ifdef G_OS_WIN32\n#include <windows.h>\n#else\n#include <unistd.h>\n#endif\n"},
         False),
        ("comments, strings and g_signal_connect are not violations",
         {"core/helix-x.c": "/* fork() kill() <unistd.h> */\n"
                            "void f (void) { g_signal_connect (a, \"signal (x)\", 0, 0); g_print (\"fork()\"); }\n"
                            "// #include <unistd.h>\n"}, False),
    ]
    results = []
    for name, files, expect_failure in cases:
        with tempfile.TemporaryDirectory() as tmp:
            for rel, content in files.items():
                os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
                with open(os.path.join(tmp, rel), "w") as f:
                    f.write(content)
            problems = []
            for rel, content in files.items():
                problems += check_file(rel, content)
            failed = bool(problems)
            outcome = [] if failed == expect_failure else \
                ["expected %s, got: %s" % ("a violation" if expect_failure else "no violation",
                                           problems or "nothing")]
            results.append((name, outcome))
    return tap(results)


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    srcdir = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                        os.pardir, "src")
    problems, files, platform = check_tree(srcdir)
    print("# %d source files, %d platform/system files" % (files, platform))
    for relpath, reason in sorted(PLATFORM_FILES.items()):
        print("# platform file %s: %s" % (relpath, reason))
    for relpath, (system, reason) in sorted(SYSTEM_FILES.items()):
        print("# %s-only file %s: %s" % (system, relpath, reason))
    return tap([("src/ uses Unix-only and Windows-only API only in platform files", problems)])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
