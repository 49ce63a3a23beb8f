#!/usr/bin/env bash
# Checks that the Word files Marginalia writes open in LibreOffice: builds the sample, exports an excerpt
# report and the codebook as .docx, converts both to PDF headless and checks the PDFs are non-empty.
# Not part of `cargo test` (needs LibreOffice: apt-get install libreoffice-writer-nogui). Run from the repo root:
#   bash tests/check_docx_libreoffice.sh
set -euo pipefail
cargo build --quiet --no-default-features
bin=target/debug/marginalia
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" sample "$work/sample" >/dev/null
"$bin" excerpts "$work/sample" --code "Resource shortage" --subcodes --context turn \
  --format docx -o "$work/excerpts.docx"
"$bin" export-codebook "$work/sample" --format docx -o "$work/codebook.docx"
for name in excerpts codebook; do
  soffice --headless --norestore -env:UserInstallation="file://$work/lo-profile" \
    --convert-to pdf --outdir "$work" "$work/$name.docx" >"$work/$name.log" 2>&1 || {
    cat "$work/$name.log"; echo "FAIL: LibreOffice could not convert $name.docx"; exit 1; }
  pdf="$work/$name.pdf"
  if [ ! -s "$pdf" ]; then
    cat "$work/$name.log"; echo "FAIL: no PDF for $name.docx"; exit 1
  fi
  pages=$(grep -ac "/Type */Page[^s]" "$pdf" || true)
  echo "OK: $name.docx -> $name.pdf ($(stat -c %s "$pdf") bytes, $pages pages)"
done
