#!/usr/bin/env python3
# check-packaging.py — what can be checked of the release packaging without a
# Flatpak runtime or a Windows machine
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   check-packaging.py SOURCE_ROOT
#
# - flatpak-builder --show-manifest parses the manifest;
# - every remote source is pinned: archives/files by sha256, git by commit;
# - the finish-args are the documented least-privilege set and each one is
#   explained in the README's packaging section;
# - one application ID everywhere: manifest, meson.build, desktop file,
#   metainfo and the D-Bus name the app owns;
# - the CI workflows parse and point at files that exist.
# Prints TAP.

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

APP_ID = "com.helixphone.HelixPhone"
MANIFEST = os.path.join("flatpak", APP_ID + ".json")

# Least privilege: anything beyond these needs a reason in the README first.
EXPECTED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--socket=pulseaudio",
    "--talk-name=org.kde.StatusNotifierWatcher",
}
FORBIDDEN_FINISH_ARGS = [
    (r"--filesystem=", "no host file access: settings and recordings stay in the app's own dirs"),
    (r"--socket=(session-bus|system-bus|x11)$", "no blanket bus or plain X11 access"),
    (r"--device=all", "no raw device access"),
    (r"--own-name=org\.kde\.", "flathub rejects owning org.kde.*; ayatana registers by object path"),
    (r"--talk-name=org\.freedesktop\.(Notifications|portal)", "portals need no talk-name"),
]


def load_yaml(path):
    try:
        import yaml
    except ImportError:
        return None, "python3-yaml is not installed"
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f), None


def all_modules(modules):
    for module in modules:
        if isinstance(module, str):
            continue   # an included file: none in this manifest
        yield module
        yield from all_modules(module.get("modules", []))


def check_manifest(root):
    problems = []
    path = os.path.join(root, MANIFEST)
    builder = shutil.which("flatpak-builder")
    if builder is None:
        return ["flatpak-builder is not installed (./build-aux/install-deps test installs it)"], None

    run = subprocess.run([builder, "--show-manifest", path], capture_output=True, text=True)
    if run.returncode != 0:
        return ["flatpak-builder --show-manifest failed: " + run.stderr.strip()], None
    try:
        manifest = json.loads(run.stdout)
    except ValueError as e:
        return ["flatpak-builder printed no JSON: %s" % e], None

    if manifest.get("id", manifest.get("app-id")) != APP_ID:
        problems.append("manifest id is %r, not %s" % (manifest.get("id"), APP_ID))
    if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
        problems.append("runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
    if manifest.get("command") != "helixphone":
        problems.append("command is %r, not helixphone" % manifest.get("command"))
    return problems, manifest


def check_sources(manifest):
    problems = []
    names = []
    for module in all_modules(manifest.get("modules", [])):
        names.append(module.get("name"))
        for source in module.get("sources", []):
            if isinstance(source, str):
                problems.append("%s: external source file %s" % (module.get("name"), source))
                continue
            kind = source.get("type")
            where = "%s: %s" % (module.get("name"), source.get("url", source.get("path", kind)))
            if kind in ("archive", "file") and "url" in source:
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    problems.append(where + ": no sha256")
                if not source["url"].startswith("https://"):
                    problems.append(where + ": not https")
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    problems.append(where + ": git source without a pinned commit")
            elif kind in ("dir", "patch", "shell", "script") or (kind == "file" and "path" in source):
                pass
            else:
                problems.append(where + ": source type %r is not checked here" % kind)
    for required in ("sofia-sip", "libdbusmenu-gtk3", "ayatana-ido", "libayatana-indicator",
                     "libayatana-appindicator", "helixphone"):
        if required not in names:
            problems.append("module %s is missing" % required)
    app = [m for m in all_modules(manifest.get("modules", [])) if m.get("name") == "helixphone"]
    if app:
        if not any(s.get("type") == "dir" for s in app[0].get("sources", []) if isinstance(s, dict)):
            problems.append("helixphone must be built from the local checkout (type: dir)")
        if "-Dtests=false" not in app[0].get("config-opts", []):
            problems.append("helixphone must be built with -Dtests=false")
    sofia = [m for m in all_modules(manifest.get("modules", [])) if m.get("name") == "sofia-sip"]
    if sofia and not any(o.startswith("--with-glib") and o != "--with-glib=no"
                         for o in sofia[0].get("config-opts", [])):
        problems.append("sofia-sip must be built with its GLib support (--with-glib)")
    return problems


def packaging_section(root):
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    m = re.search(r"^## Packaging\b(.*?)(?=^## |\Z)", readme, re.S | re.M)
    return m.group(1) if m else None


def check_finish_args(root, manifest):
    problems = []
    args = manifest.get("finish-args", [])
    for arg in args:
        for pattern, why in FORBIDDEN_FINISH_ARGS:
            if re.match(pattern, arg):
                problems.append("%s: %s" % (arg, why))
    if set(args) != EXPECTED_FINISH_ARGS:
        problems.append("finish-args differ from the documented set: extra %s, missing %s" % (
            sorted(set(args) - EXPECTED_FINISH_ARGS), sorted(EXPECTED_FINISH_ARGS - set(args))))
    section = packaging_section(root)
    if section is None:
        problems.append("README.md has no '## Packaging' section")
    else:
        for arg in args:
            if "`%s`" % arg not in section:
                problems.append("README's packaging section does not explain `%s`" % arg)
    return problems


def check_app_id(root):
    problems = []
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        meson = f.read()
    m = re.search(r"^app_id\s*=\s*'([^']+)'", meson, re.M)
    if not m or m.group(1) != APP_ID:
        problems.append("meson.build app_id is %r" % (m.group(1) if m else None))
    # The D-Bus name is the GApplication ID, which is HELIX_APP_ID = app_id.
    if not re.search(r"config\.set_quoted\('HELIX_APP_ID',\s*app_id\)", meson):
        problems.append("meson.build does not define HELIX_APP_ID from app_id (the D-Bus name)")
    if not re.search(r"config\.set_quoted\('HELIX_APP_PATH',\s*app_path\)", meson) or \
            not re.search(r"^app_path\s*=\s*'/%s'" % APP_ID.replace(".", "/"), meson, re.M):
        problems.append("meson.build's app_path is not the object path of %s" % APP_ID)

    desktop = os.path.join(root, "data", APP_ID + ".desktop.in")
    if not os.path.exists(desktop):
        problems.append("data/%s.desktop.in is missing" % APP_ID)
    else:
        with open(desktop, encoding="utf-8") as f:
            text = f.read()
        if not re.search(r"^Exec=helixphone\b", text, re.M):
            problems.append("the desktop file does not run helixphone")
        if not re.search(r"^Icon=%s$" % re.escape(APP_ID), text, re.M):
            problems.append("the desktop file's Icon is not %s" % APP_ID)
        for scheme in ("sip", "tel"):
            if "x-scheme-handler/%s;" % scheme not in text:
                problems.append("the desktop file does not handle %s: links" % scheme)

    return problems


def check_workflows(root):
    problems = []
    expectations = {
        "flatpak.yml": [MANIFEST, "HelixPhone.flatpak"],
        "windows.yml": ["build-aux/windows/build.sh"],
    }
    for name, needles in expectations.items():
        path = os.path.join(root, ".github", "workflows", name)
        if not os.path.exists(path):
            problems.append(".github/workflows/%s is missing" % name)
            continue
        data, error = load_yaml(path)
        if error:
            problems.append(error)
            continue
        if not isinstance(data, dict) or "jobs" not in data or not data["jobs"]:
            problems.append("%s has no jobs" % name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for needle in needles:
            if needle not in text:
                problems.append("%s does not mention %s" % (name, needle))
            elif "/" in needle and not os.path.exists(os.path.join(root, needle)):
                problems.append("%s refers to %s, which does not exist" % (name, needle))
    for script in ("build-aux/windows/build.sh", "build-aux/windows/helixphone.iss"):
        if not os.path.exists(os.path.join(root, script)):
            problems.append(script + " is missing")
    return problems


def check_metainfo(root):
    """Problems, or None when the metainfo file is not written yet (a skip)."""
    problems = []
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        meson = f.read()
    metainfo = os.path.join(root, "data", APP_ID + ".metainfo.xml.in")
    if not os.path.exists(metainfo):
        return None
    component = ET.parse(metainfo).getroot()
    if component.findtext("id") != APP_ID:
        problems.append("metainfo <id> is %r" % component.findtext("id"))
    launchable = component.find("launchable")
    if launchable is None or launchable.text != APP_ID + ".desktop":
        problems.append("metainfo <launchable> is not %s.desktop" % APP_ID)
    version = re.search(r"version:\s*'([^']+)'", meson)
    releases = [r.get("version") for r in component.iter("release")]
    if version and version.group(1) not in releases:
        problems.append("metainfo <releases> has no release %s (meson.build's version)"
                        % version.group(1))
    return problems


def check_windows_pins(root, manifest):
    """build-aux/windows/build.sh builds the same Sofia-SIP tarball as the manifest."""
    with open(os.path.join(root, "build-aux", "windows", "build.sh"), encoding="utf-8") as f:
        script = f.read()
    pins = dict(re.findall(r"^SOFIA_SIP_(URL|SHA256)=(\S+)$", script, re.M))
    sofia = [m for m in all_modules(manifest.get("modules", [])) if m.get("name") == "sofia-sip"]
    sources = [s for s in sofia[0].get("sources", []) if isinstance(s, dict)] if sofia else []
    if not sources:
        return ["the manifest has no sofia-sip source"]
    problems = []
    if pins.get("URL") != sources[0].get("url"):
        problems.append("build.sh SOFIA_SIP_URL %r differs from the manifest's %r"
                        % (pins.get("URL"), sources[0].get("url")))
    if pins.get("SHA256") != sources[0].get("sha256"):
        problems.append("build.sh SOFIA_SIP_SHA256 differs from the manifest's")
    return problems


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      os.pardir)
    results = []
    manifest_problems, manifest = check_manifest(root)
    results.append(("flatpak-builder --show-manifest parses the manifest", manifest_problems))
    if manifest is not None:
        results.append(("every remote source is pinned by sha256 (git: commit)", check_sources(manifest)))
        results.append(("finish-args are least privilege and documented", check_finish_args(root, manifest)))
        results.append(("the Windows build pins the same Sofia-SIP tarball", check_windows_pins(root, manifest)))
    results.append(("one app ID in manifest, meson.build, desktop file and D-Bus name",
                    check_app_id(root)))
    results.append(("metainfo: same app ID, launchable, a release for meson.build's version",
                    check_metainfo(root)))
    results.append(("CI workflows parse and point at existing files", check_workflows(root)))

    print("1..%d" % len(results))
    failed = 0
    for i, (name, problems) in enumerate(results, 1):
        if problems is None:
            print("ok %d - %s # SKIP data/%s.metainfo.xml.in is not written yet" % (i, name, APP_ID))
            continue
        print("%s %d - %s" % ("not ok" if problems else "ok", i, name))
        for p in problems:
            print("# " + p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["--no-reexec"]:
        # The workflow check needs PyYAML; Debian's python3-yaml serves the
        # system interpreter, which another python3 on PATH may not see.
        try:
            import yaml  # noqa: F401
        except ImportError:
            if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
                    os.path.realpath("/usr/bin/python3"):
                os.execv("/usr/bin/python3", ["/usr/bin/python3", __file__, "--no-reexec"] + sys.argv[1:])
    else:
        sys.argv.pop(1)
    sys.exit(main(sys.argv))
