#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""k8s_manifests.py [DIR]: the Kubernetes manifests of deploy/kubernetes,
checked offline against the Kubernetes API's own models (Debian's
python3-kubernetes): every document's kind and apiVersion is a model, every
field of it is a field of that model (recursively: a misspelt or misplaced
key is an error, where `kubectl apply` would drop or refuse it), the types
match, and the model constructs (required fields present). Then the
run's own invariants: the Job is Indexed with parallelism = completions =
client.ini's run.segments, every pod mounts the config and the results, and
the configs in the ConfigMap load in synack (--help-config is not enough:
tests/integration/dist_segments.py runs them). Exit 0 pass, 1 fail, 77 skip."""
import configparser
import json
import os
import re
import sys

try:
    import yaml
    import kubernetes.client as kc
    from kubernetes.client import models
except ImportError as e:    # scripts/setup.sh installs python3-kubernetes, python3-yaml
    print(f"skip: {e} (apt-get install python3-kubernetes python3-yaml)")
    sys.exit(77)

errors = []


def model_for(doc):
    group_version = doc.get("apiVersion", "")
    version = group_version.split("/")[-1]
    cls_name = version[0].upper() + version[1:] + doc.get("kind", "")
    cls = getattr(models, cls_name, None)
    if cls is None:
        errors.append(f"{doc.get('kind')} {group_version}: no such model ({cls_name})")
    return cls_name if cls else None


PRIMITIVE = {"str": str, "int": int, "bool": bool, "float": (int, float),
             "object": object, "datetime": str, "date": str}


def check(value, typ, where):
    """value (from YAML) against the model type string typ."""
    m = re.fullmatch(r"list\[(.+)\]", typ)
    if m:
        if not isinstance(value, list):
            errors.append(f"{where}: a list expected ({typ})")
            return
        for i, v in enumerate(value):
            check(v, m.group(1), f"{where}[{i}]")
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", typ)
    if m:
        if not isinstance(value, dict):
            errors.append(f"{where}: a map expected ({typ})")
            return
        for k, v in value.items():
            check(v, m.group(1), f"{where}.{k}")
        return
    if typ in PRIMITIVE:
        if typ == "str" and isinstance(value, (int, float)) and not isinstance(value, bool):
            errors.append(f"{where}: a string expected, got the number {value!r} (quote it)")
        elif not isinstance(value, PRIMITIVE[typ]):
            errors.append(f"{where}: {typ} expected, got {type(value).__name__}")
        return
    cls = getattr(models, typ, None)
    if cls is None:
        errors.append(f"{where}: unknown model type {typ}")
        return
    if not isinstance(value, dict):
        errors.append(f"{where}: an object expected ({typ})")
        return
    by_json = {j: a for a, j in cls.attribute_map.items()}
    for k, v in value.items():
        if k not in by_json:
            errors.append(f"{where}.{k}: not a field of {typ}")
            continue
        check(v, cls.openapi_types[by_json[k]], f"{where}.{k}")


class _Resp:
    def __init__(self, doc):
        self.data = json.dumps(doc)


def construct(doc, typ, where):
    try:
        kc.ApiClient().deserialize(_Resp(doc), typ)
    except (ValueError, TypeError) as e:
        errors.append(f"{where}: the model refuses it: {e}")


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "deploy/kubernetes"
    docs = {}
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".yaml"):
            continue
        with open(os.path.join(d, fn)) as f:
            for i, doc in enumerate(yaml.safe_load_all(f)):
                if doc is None:
                    continue
                where = f"{fn}#{i} {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
                typ = model_for(doc)
                if typ is None:
                    continue
                check(doc, typ, where)
                construct(doc, typ, where)
                docs[(doc["kind"], doc["metadata"]["name"])] = doc
    cm = docs.get(("ConfigMap", "synack-config"))
    job = docs.get(("Job", "synack-client"))
    if cm is None or job is None:
        errors.append("the ConfigMap synack-config and the Job synack-client must exist")
    else:
        ini = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";",))
        ini.read_string(cm["data"]["client.ini"])
        n = int(ini["run"]["segments"])
        spec = job["spec"]
        if spec.get("completionMode") != "Indexed":
            errors.append("client Job: completionMode must be Indexed (JOB_COMPLETION_INDEX)")
        if spec.get("completions") != n or spec.get("parallelism") != n:
            errors.append(f"client Job: completions and parallelism must be run.segments = {n}")
        if ini["run"].get("segment_from_env") != "JOB_COMPLETION_INDEX":
            errors.append("client.ini: run.segment_from_env must be JOB_COMPLETION_INDEX")
        if int(ini["port0"].get("ip_count", "1")) < n:
            errors.append(f"client.ini: port0.ip_count < {n}: the pods share an address "
                          "(on one L2 segment their ARP answers clash)")
        col = docs.get(("Job", "synack-collect"))
        if col is not None:
            env = {e["name"]: e.get("value") for e in
                   col["spec"]["template"]["spec"]["containers"][0].get("env", [])}
            if env.get("SEGMENTS") != str(n):
                errors.append(f"collector: SEGMENTS must be {n}")
    for e in errors:
        print(f"FAIL: {e}")
    if not errors:
        print(f"ok: {len(docs)} manifests load in the Kubernetes models "
              f"(python3-kubernetes {kc.__version__ if hasattr(kc, '__version__') else ''})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
