"""Builds each overlay with `kubectl kustomize`, validates every resource strictly against the
Kubernetes OpenAPI schemas shipped by kubernetes-validate for KUBERNETES_VERSION, and applies
policy.py. Custom resources without a shipped schema are skipped by name here (SKIPPED_CRDS),
and policy.py checks their structure instead; any other resource without a schema fails.

usage: python3 check.py [overlay ...]   (default: every folder in overlays/)
Prints one "ok"/"FAIL" line per overlay and step; exits 1 on any failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import yaml

from policy import violations

KUBERNETES_VERSION = "1.33.0"
SKIPPED_CRDS = {("external-secrets.io/v1", "ExternalSecret")}
HERE = Path(__file__).resolve().parent


def kustomize_command() -> list[str]:
    """`kubectl kustomize` when it embeds kustomize 5, else a standalone kustomize 5."""
    if shutil.which("kubectl"):
        version = subprocess.run(["kubectl", "version", "--client"], capture_output=True, text=True).stdout
        if "Kustomize Version: v5" in version:
            return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    raise SystemExit("FAIL no kustomize 5: install kubectl 1.27+ or kustomize v5 (see .ci/run)")


def render(overlay: Path) -> list[dict]:
    out = subprocess.run(
        [*kustomize_command(), str(overlay)], check=True, capture_output=True, text=True
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def schema_errors(docs: list[dict]) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    skipped: list[str] = []
    for doc in docs:
        ident = f"{doc['kind']}/{doc['metadata']['name']}"
        if (doc["apiVersion"], doc["kind"]) in SKIPPED_CRDS:
            skipped.append(ident)
            continue
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(part) for part in error.caught_exc.path)
            errors.append(f"{ident}: {path}: {error.caught_exc.message}")
        except kubernetes_validate.SchemaNotFoundError:
            errors.append(f"{ident}: no schema for {doc['apiVersion']} in Kubernetes {KUBERNETES_VERSION}")
    return errors, skipped


def main(names: list[str]) -> int:
    overlays = [HERE / "overlays" / n for n in names] or sorted(p for p in (HERE / "overlays").iterdir() if p.is_dir())
    failed = 0
    for overlay in overlays:
        try:
            docs = render(overlay)
        except subprocess.CalledProcessError as error:
            print(f"FAIL {overlay.name}: {' '.join(kustomize_command())}: {error.stderr.strip()}")
            failed += 1
            continue
        kinds = sorted({d["kind"] for d in docs})
        print(f"ok   {overlay.name}: {' '.join(kustomize_command())}, {len(docs)} resources ({', '.join(kinds)})")
        errors, skipped = schema_errors(docs)
        for line in errors:
            print(f"     {line}")
        status = "FAIL" if errors else "ok  "
        print(f"{status} {overlay.name}: kubernetes-validate --strict, Kubernetes {KUBERNETES_VERSION}"
              f" (skipped CRDs without a shipped schema: {', '.join(skipped) or 'none'})")
        problems = violations(docs)
        for line in problems:
            print(f"     {line}")
        print(f"{'FAIL' if problems else 'ok  '} {overlay.name}: policy ({len(problems)} violations)")
        failed += bool(errors) + bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
