#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing:
# PostgreSQL (tests run on a real server), Chromium (browser tests), Liberation fonts 2.x
# (Vietnamese in Times-compatible PDFs), poppler-utils (PDF checks), LibreOffice Writer (the Word
# versions of the documents are converted to PDF in a test) and gettext (catalogues).
# `system-deps.sh run` checks only what serving the portal needs (gettext, for the catalogue).
set -euo pipefail

missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
if [ "${1:-test}" = "test" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s fonts-liberation2 >/dev/null 2>&1 || missing+=(fonts-liberation2)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
