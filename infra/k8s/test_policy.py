"""Unit tests of policy.py: python3 -m unittest discover -s infra/k8s -p 'test_*.py'"""

import copy
import unittest

from policy import image_problem, violations

GOOD_CONTAINER = {
    "name": "api",
    "image": "registry.example.com/runway/api:1.4.0",
    "resources": {
        "requests": {"cpu": "250m", "memory": "256Mi"},
        "limits": {"cpu": "1", "memory": "512Mi"},
    },
    "readinessProbe": {"httpGet": {"path": "/readyz", "port": 3000}},
    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 3000}},
    "securityContext": {
        "runAsNonRoot": True,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    },
}


def deployment(container=None, kind="Deployment", **pod):
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": "runway-api"},
        "spec": {"template": {"spec": {"containers": [container or copy.deepcopy(GOOD_CONTAINER)], **pod}}},
    }


def with_change(mutate, kind="Deployment"):
    container = copy.deepcopy(GOOD_CONTAINER)
    mutate(container)
    return violations([deployment(container, kind=kind)])


class PolicyTest(unittest.TestCase):
    def test_a_compliant_deployment_passes(self):
        self.assertEqual(violations([deployment()]), [])

    def test_missing_limits_fail(self):
        problems = with_change(lambda c: c["resources"].pop("limits"))
        self.assertIn("Deployment/runway-api container api: no cpu limit", problems)
        self.assertIn("Deployment/runway-api container api: no memory limit", problems)

    def test_missing_probes_fail_for_deployments_but_not_jobs(self):
        def drop(c):
            c.pop("readinessProbe")
            c.pop("livenessProbe")

        self.assertEqual(
            with_change(drop),
            [
                "Deployment/runway-api container api: no readinessProbe",
                "Deployment/runway-api container api: no livenessProbe",
            ],
        )
        self.assertEqual(with_change(drop, kind="Job"), [])

    def test_root_or_escalation_fail(self):
        self.assertIn(
            "Deployment/runway-api container api: runAsNonRoot is not true",
            with_change(lambda c: c["securityContext"].pop("runAsNonRoot")),
        )
        self.assertIn(
            "Deployment/runway-api container api: runs as uid 0",
            with_change(lambda c: c["securityContext"].update(runAsUser=0)),
        )
        self.assertIn(
            "Deployment/runway-api container api: allowPrivilegeEscalation is not false",
            with_change(lambda c: c["securityContext"].pop("allowPrivilegeEscalation")),
        )
        self.assertIn(
            "Deployment/runway-api container api: readOnlyRootFilesystem is not true",
            with_change(lambda c: c["securityContext"].update(readOnlyRootFilesystem=False)),
        )

    def test_pod_level_non_root_counts(self):
        container = copy.deepcopy(GOOD_CONTAINER)
        container["securityContext"].pop("runAsNonRoot")
        self.assertEqual(violations([deployment(container, securityContext={"runAsNonRoot": True})]), [])

    def test_mutable_image_tags_fail(self):
        for image in ("runway-api", "runway-api:latest", "registry.example.com:5000/runway/api:main", "api:1.4"):
            self.assertIsNotNone(image_problem(image), image)
        for image in (
            "registry.example.com:5000/runway/api:1.4.0",
            "api:v2.0.1-rc.1",
            "api@sha256:" + "a" * 64,
            "api:latest@sha256:" + "b" * 64,
        ):
            self.assertIsNone(image_problem(image), image)
        self.assertIn(
            "Deployment/runway-api container api: image runway-api:latest uses the mutable tag 'latest'"
            " (pin a digest or an x.y.z version)",
            with_change(lambda c: c.update(image="runway-api:latest")),
        )

    def test_grace_period_must_exceed_shutdown_grace(self):
        container = copy.deepcopy(GOOD_CONTAINER)
        container["env"] = [{"name": "SHUTDOWN_GRACE_MS", "value": "20000"}]
        self.assertEqual(
            violations([deployment(container, terminationGracePeriodSeconds=20)]),
            [
                "Deployment/runway-api container api: terminationGracePeriodSeconds 20 s is not"
                " above SHUTDOWN_GRACE_MS 20000 ms"
            ],
        )
        self.assertEqual(violations([deployment(container, terminationGracePeriodSeconds=45)]), [])

    def test_secret_refs_need_a_source(self):
        container = copy.deepcopy(GOOD_CONTAINER)
        container["env"] = [
            {"name": "JWT_SECRET", "valueFrom": {"secretKeyRef": {"name": "runway-secrets", "key": "JWT_SECRET"}}}
        ]
        self.assertEqual(
            violations([deployment(container)]),
            ["Deployment/runway-api: Secret runway-secrets is neither defined nor synced by an ExternalSecret"],
        )
        external = {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": {"name": "runway-secrets"},
            "spec": {"secretStoreRef": {"name": "store"}, "target": {"name": "runway-secrets"}, "dataFrom": [{}]},
        }
        self.assertEqual(violations([deployment(container), external]), [])

    def test_secret_volumes_need_a_source(self):
        volume = {"name": "secrets", "secret": {"secretName": "runway-secrets"}}
        self.assertEqual(
            violations([deployment(volumes=[volume])]),
            ["Deployment/runway-api: Secret runway-secrets is neither defined nor synced by an ExternalSecret"],
        )
        optional = {"name": "secrets", "secret": {"secretName": "runway-secrets", "optional": True}}
        self.assertEqual(violations([deployment(volumes=[optional])]), [])


if __name__ == "__main__":
    unittest.main()
