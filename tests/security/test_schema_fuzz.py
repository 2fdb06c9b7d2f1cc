"""Schemathesis against /api/schema/ on a live server with the seeded demo county: every operation,
as every role (API tokens), with generated valid and invalid input. No 5xx, and every response
matches what the schema documents for its status code.

SCHEMA_FUZZ_EXAMPLES (default 2) bounds the examples per operation and role, so the run stays
well under two minutes in CI; raise it for a longer local hunt:

    SCHEMA_FUZZ_EXAMPLES=50 python -m pytest tests/security/test_schema_fuzz.py

This module's name sorts after the permission matrix on purpose: the fuzzer writes to the
world the matrix reads."""

import os
import time

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts import tokens as api_tokens
from tests.security.world import ROLES

EXAMPLES = int(os.environ.get("SCHEMA_FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, response_schema_conformance]


def fuzz_operation(operation, base_url, headers):
    """Run the generated cases of one operation; return the failures as text (none: [])."""
    failures = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # a FailureGroup of the failed checks
            if not failures:  # the first failing example of an operation says enough
                failures.append(f"{operation.label} → {response.status_code}: {error}"[:1500])

    run()
    return failures


def test_api_answers_every_role_without_5xx_or_schema_violations(world, world_server):
    schema = schemathesis.openapi.from_url(f"{world_server.url}/api/schema/?format=json")
    tokens = {role: api_tokens.issue(world.users[role])[0] for role in ROLES[1:]}
    # Signing the fuzzer's own token out (DELETE /api/v1/auth/token/) would leave every later
    # operation answering 401: tests/security/test_api_tokens.py covers it instead.
    operations = [op for op in (result.ok() for result in schema.get_all_operations())
                  if not (op.method.upper() == "DELETE" and op.path.endswith("/auth/token/"))]
    assert len(operations) > 50
    failures = []
    for role in ROLES:
        started = time.monotonic()
        headers = {"Authorization": f"Token {tokens[role]}"} if role in tokens else {}
        for operation in operations:
            failures += [f"[{role}] {failure}" for failure in fuzz_operation(operation, world_server.url, headers)]
        print(f"{role}: {len(operations)} operations in {time.monotonic() - started:.1f} s")
    assert not failures, f"{len(failures)} failing responses:\n" + "\n\n".join(failures[:20])
