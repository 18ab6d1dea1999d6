#!/usr/bin/env python3
"""Writes N generated user runs (half as OpenCompass summary columns, half as lm-eval results files) and a
manifest naming them, for bench/user-runs.sh.

    python3 bench/make-user-runs.py FOLDER [N]
"""
import json, os, random, sys

folder, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
os.makedirs(folder, exist_ok=True)
rng = random.Random(20251201)
bases = ["llama-3-8b", "mistral-7b", "qwen2.5-7b", "yi-1.5-9b", "olmo-7b", "llm-jp-3-7b"]
datasets = ["lima", "alpaca_cleaned", "ultrachat", "my-data-a", "my-data-b"]
half = n // 2
# OpenCompass: summaries of 100 model columns each, the rows the paper's columns need.
rows = [("math_0shot", "a1b2c3", "accuracy"), ("gsm8k_0shot", "1d7fe4", "accuracy"), ("openai_humaneval_0shot", "8e312c", "humaneval_pass@1"),
        ("mbpp_0shot", "975c24", "score"), ("BoolQ_0shot", "314797", "accuracy"), ("nq_open_0shot", "3dcea1", "score"),
        ("truthful_qa_0shot", "df3f8d", "bleu_acc"), ("mmlu_0shot", "-", "naive_average"), ("cmmlu_0shot", "-", "naive_average")]
manifest = ["name,base,dataset,method,epochs,samples,schedule,results"]
for s in range(0, half, 100):
    models = [f"oc-run-{i}" for i in range(s, min(s + 100, half))]
    lines = ["dataset,version,metric,mode," + ",".join(models)]
    for d, v, m in rows:
        scale = 0.2 if d.startswith("truthful") else 100
        lines.append(f"{d},{v},{m},gen," + ",".join(f"{rng.uniform(0.05, 0.8) * scale:.2f}" for _ in models))
    name = f"summary_{s:05d}.csv"
    open(os.path.join(folder, name), "w").write("\n".join(lines) + "\n")
    for m in models:
        manifest.append(f"{m},{rng.choice(bases)},{rng.choice(datasets)},{rng.choice(['full', 'lora'])},{rng.randint(1, 10)},1000,cosine,{name}#{m}")
for i in range(half, n):
    doc = {"results": {t: {"alias": t, k: round(rng.uniform(0.05, 0.8), 4), k.replace(",", "_stderr,", 1): 0.01}
                       for t, k in [("gsm8k", "exact_match,strict-match"), ("mmlu", "acc,none"), ("boolq", "acc,none"), ("truthfulqa_gen", "bleu_acc,none")]},
           "group_subtasks": {"gsm8k": [], "mmlu": [], "boolq": [], "truthfulqa_gen": []},
           "n-shot": {"gsm8k": 5, "mmlu": 0, "boolq": 0, "truthfulqa_gen": 0}, "task_hashes": {"gsm8k": "abc123"},
           "lm_eval_version": "0.4.8", "config": {"model": "hf", "model_args": f"pretrained=/ckpt/{i}"}}
    name = f"results_{i:05d}.json"
    json.dump(doc, open(os.path.join(folder, name), "w"))
    manifest.append(f"lm-run-{i},{rng.choice(bases)},{rng.choice(datasets)},{rng.choice(['full', 'lora'])},{rng.randint(1, 10)},1000,cosine,{name}")
open(os.path.join(folder, "runs.csv"), "w").write("\n".join(manifest) + "\n")
print(f"wrote {n} runs ({half} in {(half + 99) // 100} OpenCompass summaries, {n - half} lm-eval files) and runs.csv to {folder}")
