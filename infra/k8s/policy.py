"""Runway's rules for Kubernetes workloads, checked on the rendered overlays.

A container must have CPU and memory requests and limits, run as non-root without privilege
escalation on a read-only root filesystem with every capability dropped, and use an immutable
image (a digest, or a full semantic-version tag; never `latest`, no tag, or a branch-like tag).
Long-running containers (not Jobs) need readiness and liveness probes. A pod whose container
sets SHUTDOWN_GRACE_MS must give it a longer terminationGracePeriodSeconds. Secrets named by
secretKeyRef, envFrom or a secret volume must be produced by a Secret or an ExternalSecret in
the same output.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"}
BATCH_KINDS = {"Job", "CronJob"}
SEMVER_TAG = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    kind = doc.get("kind")
    spec = doc.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
    if kind in WORKLOAD_KINDS:
        return (spec.get("template") or {}).get("spec")
    return None


def image_problem(image: str) -> str | None:
    if DIGEST.search(image):
        return None
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return f"image {image} has no tag or digest (mutable)"
    tag = name.rsplit(":", 1)[1]
    if not SEMVER_TAG.match(tag):
        return f"image {image} uses the mutable tag '{tag}' (pin a digest or an x.y.z version)"
    return None


def container_problems(kind: str, pod: dict[str, Any], container: dict[str, Any], init: bool) -> list[str]:
    problems: list[str] = []
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in (resources.get(section) or {}):
                problems.append(f"no {resource} {section[:-1]}")
    pod_sc = pod.get("securityContext") or {}
    sc = container.get("securityContext") or {}
    if not sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot", False)):
        problems.append("runAsNonRoot is not true")
    if sc.get("runAsUser", pod_sc.get("runAsUser")) == 0:
        problems.append("runs as uid 0")
    if sc.get("allowPrivilegeEscalation") is not False:
        problems.append("allowPrivilegeEscalation is not false")
    if sc.get("privileged"):
        problems.append("privileged")
    if sc.get("readOnlyRootFilesystem") is not True:
        problems.append("readOnlyRootFilesystem is not true")
    if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
        problems.append("capabilities do not drop ALL")
    image_issue = image_problem(str(container.get("image", "")))
    if image_issue:
        problems.append(image_issue)
    if kind not in BATCH_KINDS and not init:
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in container:
                problems.append(f"no {probe}")
    env = {e.get("name"): e.get("value") for e in container.get("env") or []}
    grace_ms = env.get("SHUTDOWN_GRACE_MS")
    if grace_ms is not None:
        period = pod.get("terminationGracePeriodSeconds", 30)
        if period * 1000 <= int(grace_ms):
            problems.append(
                f"terminationGracePeriodSeconds {period} s is not above SHUTDOWN_GRACE_MS {grace_ms} ms"
            )
    return problems


def secret_refs(pod: dict[str, Any]) -> Iterable[str]:
    for container in (pod.get("containers") or []) + (pod.get("initContainers") or []):
        for env in container.get("env") or []:
            ref = (env.get("valueFrom") or {}).get("secretKeyRef")
            if ref and not ref.get("optional"):
                yield ref["name"]
        for source in container.get("envFrom") or []:
            if "secretRef" in source:
                yield source["secretRef"]["name"]
    for volume in pod.get("volumes") or []:
        secret = volume.get("secret")
        if secret and not secret.get("optional"):
            yield secret["secretName"]


def violations(docs: list[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    secrets = {
        (d.get("metadata") or {}).get("name")
        for d in docs
        if d.get("kind") == "Secret"
    } | {
        ((d.get("spec") or {}).get("target") or {}).get("name") or (d.get("metadata") or {}).get("name")
        for d in docs
        if d.get("kind") == "ExternalSecret"
    }
    for doc in docs:
        kind = doc.get("kind", "?")
        name = (doc.get("metadata") or {}).get("name", "?")
        if kind == "ExternalSecret":
            spec = doc.get("spec") or {}
            if not (spec.get("secretStoreRef") or {}).get("name"):
                found.append(f"{kind}/{name}: no secretStoreRef")
            if not (spec.get("data") or spec.get("dataFrom")):
                found.append(f"{kind}/{name}: neither data nor dataFrom")
        pod = pod_spec(doc)
        if pod is None:
            continue
        for init, key in ((False, "containers"), (True, "initContainers")):
            for container in pod.get(key) or []:
                for problem in container_problems(kind, pod, container, init):
                    found.append(f"{kind}/{name} container {container.get('name')}: {problem}")
        for secret in sorted(set(secret_refs(pod))):
            if secret not in secrets:
                found.append(f"{kind}/{name}: Secret {secret} is neither defined nor synced by an ExternalSecret")
    return found
