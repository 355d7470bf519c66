#!/usr/bin/env bash
# Keep the translations in step with the code (Babel): extract every message into
# locales/messages.pot, then merge it into each language's catalogue (new messages arrive empty,
# changed ones fuzzy: both show in English until translated). Nothing is compiled here: the app
# compiles the .po files in memory when it first speaks a language (gancore/base/i18n.py).
# Run after changing any message; tests/test_i18n.py fails while a message is untranslated.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=.venv/bin/pybabel
"$pybabel" extract -F babel.cfg -k phrase --no-location --sort-output --omit-header \
  --project "GAN Explorer" -o locales/messages.pot . >/dev/null
for lang in ko; do
  po="locales/$lang/LC_MESSAGES/messages.po"
  if [ -f "$po" ]; then
    "$pybabel" update -i locales/messages.pot -o "$po" -l "$lang" --no-wrap --ignore-obsolete
  else
    "$pybabel" init -i locales/messages.pot -o "$po" -l "$lang" --no-wrap
  fi
done
