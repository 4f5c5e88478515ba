#!/usr/bin/env python3
"""Writes one benchmark pipeline in both forms: pipelines/NAME.md (nasbook)
and dvc.yaml (DVC), from the same stage list, so both tools run identical
commands. Usage: runner_gen.py KIND DIR   (KIND: diamond, wide, cpu)."""
import json
import sys

kind, root = sys.argv[1], sys.argv[2]
# Byte rotations up and down: each branch writes different bytes, so nothing dedups.
ROT = {"l": r"tr '\000-\377' '\001-\377\000'", "r": r"tr '\000-\377' '\377\000-\376'"}
CPU = "awk 'BEGIN{s=0; for(i=0;i<15000000;i++) s+=i%7; print s}'"

# (name, [deps], command template, output file); {in:DEP} is DEP's output file.
stages = []
if kind == "diamond":
    # A realistic stage output: a seeded CSV training log (~10 MB). Random bytes would
    # make the store-size comparison meaningless, since nothing can compress them.
    log = ("awk 'BEGIN{srand(1); for(i=0;i<375000;i++) printf \"%d,%.6f,%.6f,%d\\n\", "
           "i, rand(), exp(-i/90000)+rand()*0.01, int(rand()*10)}' > {out}")
    stages.append(("src", [], log, "out.bin"))
    for side in ("l", "r"):
        prev = "src"
        for i in range(1, 5):
            n = f"{side}{i}"
            stages.append((n, [prev], f"head -c 5000000 {{in:{prev}}} | {ROT[side]} > {{out}}", "out.bin"))
            prev = n
    stages.append(("join", ["l4", "r4"], "cat {in:l4} {in:r4} | " + ROT["l"] + " | tail -c 5000000 > {out}", "out.bin"))
elif kind == "wide":
    for i in range(200):
        stages.append((f"s{i:03d}", [], f"echo {i} > {{out}}", "out.txt"))
elif kind == "cpu":
    stages.append(("src", [], "echo seed > {out}", "out.txt"))
    for side in ("l", "r"):
        prev = "src"
        for i in range(1, 3):
            n = f"{side}{i}"
            stages.append((n, [prev], f"cat {{in:{prev}}} > {{out}}; {CPU} >> {{out}}; echo {n} >> {{out}}", "out.txt"))
            prev = n
    stages.append(("join", ["l2", "r2"], "cat {in:l2} {in:r2} > {out}", "out.txt"))
else:
    sys.exit(f"unknown kind {kind}")

outputs = {name: out for name, _, _, out in stages}


def render(template, name, for_dvc):
    text = template
    for dep in outputs:
        target = f"{dep}/{outputs[dep]}" if for_dvc else f"inputs/{dep}/{outputs[dep]}"
        text = text.replace(f"{{in:{dep}}}", target)
    return text.replace("{out}", f"{name}/{outputs[name]}" if for_dvc else outputs[name])


md = [f"---\ntitle: Runner benchmark ({kind})\n---\n"]
dvc = ["stages:"]
for name, deps, template, out in stages:
    block = [f"```stage {name}", f"run: {json.dumps(render(template, name, False))}"]
    if deps:
        block.append(f"needs: [{', '.join(deps)}]")
    block += [f"outputs: [{out}]", "```", ""]
    md += block
    dvc += [f"  {name}:", f"    cmd: {json.dumps('mkdir -p ' + name + ' && ' + render(template, name, True))}"]
    if deps:
        dvc.append("    deps:")
        dvc += [f"      - {dep}" for dep in deps]
    dvc += ["    outs:", f"      - {name}"]

import os
os.makedirs(f"{root}/pipelines", exist_ok=True)
with open(f"{root}/pipelines/{kind}.md", "w") as f:
    f.write("\n".join(md))
with open(f"{root}/dvc.yaml", "w") as f:
    f.write("\n".join(dvc) + "\n")
