#!/usr/bin/env bash
# build-aux/windows/build.sh — HelixPhone for Windows, from an MSYS2 UCRT64 shell
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   ./build-aux/windows/build.sh [--no-deps]
#
# 1. installs the MSYS2 packages (GTK 4, GStreamer with good/bad plugins,
#    libsoup 3, json-glib, glib-networking, meson, gettext, ...);
# 2. builds Sofia-SIP from its pinned release tarball (MSYS2 has no package);
# 3. builds HelixPhone with meson (tests off: they need Linux peers);
# 4. bundles a self-contained folder: executables, every DLL they need
#    (found by walking dependencies with ntldd), GStreamer plugins, GIO TLS
#    module, GDK-Pixbuf loaders, GSettings schemas, icons and translations;
# 5. zips it.
#
# Output (under _build-windows/):
#   dist/HelixPhone/                      the folder (run bin\helixphone.exe)
#   HelixPhone-<version>-windows-x86_64.zip
#   version.txt                           for the installer (helixphone.iss)
#
# --no-deps skips pacman (packages already installed).
set -euo pipefail

if [ "${MSYSTEM:-}" != UCRT64 ]; then
  echo "Run this from an MSYS2 UCRT64 shell (MSYSTEM=UCRT64, now '${MSYSTEM:-unset}')." >&2
  exit 1
fi

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# The same pinned tarball as the Flatpak manifest (tests/check-packaging.py
# checks that the two agree).
SOFIA_SIP_VERSION=1.13.17
SOFIA_SIP_URL=https://github.com/freeswitch/sofia-sip/archive/refs/tags/v1.13.17.tar.gz
SOFIA_SIP_SHA256=daca3d961b6aa2974ad5d3be69ed011726c3e4d511b2a0d4cb6d878821a2de7a

work=$top/_build-windows
deps=$work/deps            # Sofia-SIP's install prefix
build=$work/build          # HelixPhone's meson build directory
dist=$work/dist/HelixPhone # the self-contained folder
mingw=$MINGW_PREFIX        # /ucrt64
p=$MINGW_PACKAGE_PREFIX    # mingw-w64-ucrt-x86_64

# ── 1. packages ─────────────────────────────────────────────────────────────
if [ "${1:-}" != --no-deps ]; then
  pacman -S --needed --noconfirm \
    autoconf automake libtool make patch curl zip unzip \
    "$p-gcc" "$p-pkgconf" "$p-meson" "$p-ninja" "$p-ntldd" \
    "$p-glib2" "$p-glib-networking" "$p-gtk4" "$p-librsvg" "$p-adwaita-icon-theme" \
    "$p-libsoup3" "$p-json-glib" "$p-openssl" \
    "$p-gstreamer" "$p-gst-plugins-base" "$p-gst-plugins-good" "$p-gst-plugins-bad" \
    "$p-gst-libav"
  # gettext was split into -runtime and -tools in 2024; older mirrors have one package.
  pacman -S --needed --noconfirm "$p-gettext-tools" || pacman -S --needed --noconfirm "$p-gettext"
fi

# ── 2. Sofia-SIP ────────────────────────────────────────────────────────────
if [ ! -f "$deps/lib/pkgconfig/sofia-sip-ua-glib.pc" ]; then
  mkdir -p "$work/src"
  tarball=$work/src/sofia-sip-$SOFIA_SIP_VERSION.tar.gz
  [ -f "$tarball" ] || curl -fL --retry 3 -o "$tarball" "$SOFIA_SIP_URL"
  echo "$SOFIA_SIP_SHA256  $tarball" | sha256sum -c -
  rm -rf "$work/src/sofia-sip-$SOFIA_SIP_VERSION"
  tar -xzf "$tarball" -C "$work/src"
  (
    cd "$work/src/sofia-sip-$SOFIA_SIP_VERSION"
    ./autogen.sh
    ./configure --prefix="$deps" --with-glib=2.0 --disable-static --enable-shared
    make -j"$(nproc)"
    make install
  )
fi
export PKG_CONFIG_PATH="$deps/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export PATH="$deps/bin:$PATH"

# ── 3. HelixPhone ───────────────────────────────────────────────────────────
rm -rf "$dist"
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --prefix="$dist" --buildtype=release -Dtests=false -Dtray=auto
fi
meson compile -C "$build"
meson install -C "$build"

version=$("$dist/bin/helixphone.exe" --version | sed -n 's/^HelixPhone //p' | tr -d '\r')
if [ -z "$version" ]; then
  echo "helixphone.exe --version printed no version" >&2
  exit 1
fi
echo "$version" > "$work/version.txt"

# ── 4. bundle ───────────────────────────────────────────────────────────────
mkdir -p "$dist/bin" "$dist/lib" "$dist/share/glib-2.0/schemas" "$dist/share/locale"

# GLib's helpers live next to its DLL.  gdbus.exe matters: with no session
# bus on Windows, GLib starts its own ("gdbus.exe _win32_run_session_bus")
# and GApplication's single instance and command-line hand-off go through
# it; without it a second start would be a second phone.
for helper in gdbus.exe gspawn-win64-helper.exe gspawn-win64-helper-console.exe; do
  cp "$mingw/bin/$helper" "$dist/bin/"
done

# GStreamer: what the call pipeline and the recorder use, and the audio
# devices (WASAPI; DirectSound as a fallback).
required_plugins=(
  coreelements audioconvert audioresample volume autodetect audiomixer
  udp rtp rtpmanager mulaw alaw dtmf wavenc wasapi
)
optional_plugins=(
  wasapi2 directsound audiotestsrc opus libav webrtcdsp level wavparse typefindfunctions
)
mkdir -p "$dist/lib/gstreamer-1.0" "$dist/libexec/gstreamer-1.0"
for plugin in "${required_plugins[@]}"; do
  cp "$mingw/lib/gstreamer-1.0/libgst$plugin.dll" "$dist/lib/gstreamer-1.0/"
done
for plugin in "${optional_plugins[@]}"; do
  if [ -f "$mingw/lib/gstreamer-1.0/libgst$plugin.dll" ]; then
    cp "$mingw/lib/gstreamer-1.0/libgst$plugin.dll" "$dist/lib/gstreamer-1.0/"
  else
    echo "Note: GStreamer plugin $plugin is not installed; the bundle goes without it" >&2
  fi
done
cp "$mingw/libexec/gstreamer-1.0/gst-plugin-scanner.exe" "$dist/libexec/gstreamer-1.0/"

# GIO's TLS backend: HTTPS webhooks and uploads (the system certificate
# store verifies servers).
mkdir -p "$dist/lib/gio/modules"
cp "$mingw"/lib/gio/modules/*.dll "$dist/lib/gio/modules/"

# GDK-Pixbuf loaders (SVG for the tray icons, PNG for GTK) with their cache,
# whose entries are relative to the installation.
mkdir -p "$dist/lib/gdk-pixbuf-2.0"
cp -r "$mingw/lib/gdk-pixbuf-2.0/2.10.0" "$dist/lib/gdk-pixbuf-2.0/"

# GSettings schemas GTK reads (HelixPhone itself has none).
cp "$mingw"/share/glib-2.0/schemas/org.gtk.gtk4.*.gschema.xml "$dist/share/glib-2.0/schemas/"
glib-compile-schemas "$dist/share/glib-2.0/schemas"

# Icons: ours are installed by meson; GTK needs Adwaita and hicolor's index.
mkdir -p "$dist/share/icons"
cp -r "$mingw/share/icons/Adwaita" "$dist/share/icons/"
cp "$mingw/share/icons/hicolor/index.theme" "$dist/share/icons/hicolor/"
gtk4-update-icon-cache -q -t -f "$dist/share/icons/Adwaita" || true
gtk4-update-icon-cache -q -t -f "$dist/share/icons/hicolor" || true

# Translations: ours (installed by meson) and the libraries' own.
for locale_dir in "$dist"/share/locale/*/; do
  lang=$(basename "$locale_dir")
  for domain in gtk40 glib20 gdk-pixbuf gstreamer-1.0 gst-plugins-base-1.0 gst-plugins-good-1.0; do
    mo=$mingw/share/locale/$lang/LC_MESSAGES/$domain.mo
    [ -f "$mo" ] && cp "$mo" "$locale_dir/LC_MESSAGES/"
  done
done

# Every DLL the executables and modules need, found by walking their
# imports until nothing new turns up.  System DLLs (C:\Windows) stay out.
copy_dependencies() {
  local added=1
  while [ $added -ne 0 ]; do
    added=0
    while IFS= read -r dll; do
      [ -n "$dll" ] || continue
      local name
      name=$(basename "$dll")
      if [ ! -f "$dist/bin/$name" ]; then
        cp "$dll" "$dist/bin/"
        added=1
      fi
    done < <(find "$dist" -type f \( -iname '*.exe' -o -iname '*.dll' \) -print0 |
               xargs -0 ntldd -R 2>/dev/null |
               sed -n 's/.*=> \(.*\.dll\) (0x.*/\1/ip' |
               cygpath -u -f - |
               grep -i -E "^($mingw|$deps)/bin/" | sort -u)
  done
}
copy_dependencies

missing=$(find "$dist" -type f \( -iname '*.exe' -o -iname '*.dll' \) -print0 |
            xargs -0 ntldd -R 2>/dev/null | grep -i "not found" | sort -u || true)
if [ -n "$missing" ]; then
  echo "DLLs still missing from the bundle:" >&2
  echo "$missing" >&2
  exit 1
fi

gio-querymodules "$dist/lib/gio/modules"

# Nothing a user runs needs headers or import libraries.
rm -rf "$dist/include" "$dist/lib/pkgconfig"
find "$dist" -name '*.dll.a' -delete

# ── 5. zip ──────────────────────────────────────────────────────────────────
zip_name=HelixPhone-$version-windows-x86_64.zip
rm -f "$work/$zip_name"
(cd "$work/dist" && zip -qr "../$zip_name" HelixPhone)
echo "Built $work/$zip_name (folder: $dist)"
