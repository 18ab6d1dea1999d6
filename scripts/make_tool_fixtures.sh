#!/usr/bin/env bash
# Makes genuine evaluation outputs with the tools themselves, for the fixtures under Tests/Fixtures/tools/.
# Not run by CI: it installs lm-evaluation-harness and OpenCompass from PyPI into a virtualenv. No GPU and
# no network beyond PyPI are needed: lm-eval's `dummy` model answers tasks whose data are local JSON lines,
# and OpenCompass's DefaultSummarizer summarizes results/<abbr>/*.json files written here.
#
#   bash scripts/make_tool_fixtures.sh [VENV]        # default VENV: /tmp/venv-tools
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:-/tmp/venv-tools}
out=Tests/Fixtures/tools
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q "lm_eval==0.4.13"
# OpenCompass without its declared dependencies (they pull CUDA builds of torch, several GB): only what its
# summarizer and its dataset configs import.
"$venv/bin/pip" install -q --no-deps "opencompass==0.5.4" mmengine-lite
"$venv/bin/pip" install -q yapf addict rich termcolor importlib_metadata prettytable tiktoken transformers httpx jieba \
  rouge_chinese rank_bm25 gradio_client tree_sitter tree_sitter_languages timeout_decorator openai jsonlines fuzzywuzzy h5py \
  python-Levenshtein scikit-learn torch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# lm-eval: a group of two multiple-choice tasks over local data, answered by the dummy model.
mkdir -p "$work/tasks" "$work/data"
python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
rng = random.Random(1)
for name in ["arith", "capitals"]:
    with open(f"{work}/data/{name}.jsonl", "w") as f:
        for i in range(20):
            a, b = rng.randint(1, 50), rng.randint(1, 50)
            f.write(json.dumps({"question": f"What is {a} plus {b}?", "choices": [str(a + b), str(a + b + 1), str(a - b), str(a * b)], "label": 0}) + "\n")
    open(f"{work}/tasks/atlas_{name}.yaml", "w").write(f"""task: atlas_{name}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {work}/data/{name}.jsonl
test_split: test
output_type: multiple_choice
doc_to_text: "Question: {{{{question}}}}\\nAnswer:"
doc_to_choice: "{{{{choices}}}}"
doc_to_target: label
metric_list:
  - metric: acc
    aggregation: mean
    higher_is_better: true
metadata:
  version: 1.0
""")
open(f"{work}/tasks/atlas_group.yaml", "w").write("""group: atlas_group
task:
  - atlas_arith
  - atlas_capitals
aggregate_metric_list:
  - metric: acc
    weight_by_size: true
metadata:
  version: 1.0
""")
PY
HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 "$venv/bin/lm_eval" --model dummy --tasks atlas_group --include_path "$work/tasks" \
  --output_path "$work/lm-out" --num_fewshot 0 --seed 1 >/dev/null
mkdir -p "$out/lm-eval"
cp "$(find "$work/lm-out" -name 'results_*.json' | head -1)" "$out/lm-eval/"

# OpenCompass: its DefaultSummarizer over results/<abbr>/<dataset>.json for two models, with its own dataset configs.
"$venv/bin/python" scripts/opencompass_summary.py "$work/oc" "$out/opencompass"
ls -R "$out"
