#!/usr/bin/env bash
# Writes the format fixtures of tests/formats/ with a real office suite
# (LibreOffice headless, Debian package libreoffice-writer-nogui): the tender
# of tender.html is imported once into tender.odt, which is then exported to
# tender.docx and tender.pdf, as a buyer writing in LibreOffice would. Also
# writes the hostile files of tests/hostile/. The outputs are
# committed, so the tests do not need LibreOffice.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
convert() { # FILTER INPUT
  soffice --headless --norestore -env:UserInstallation=file://"$work"/profile \
    --convert-to "$1" --outdir "$work" "$2" >/dev/null 2>&1
}
convert odt tender.html
cp "$work/tender.odt" tender.odt
convert 'docx:MS Word 2007 XML' tender.odt
convert pdf tender.odt
cp "$work/tender.docx" "$work/tender.pdf" .
python3 ../make-hostile.py
# An encrypted PDF (Debian package qpdf).
qpdf --encrypt secret owner 256 -- tender.pdf ../hostile/encrypted.pdf
