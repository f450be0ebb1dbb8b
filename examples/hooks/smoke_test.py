#!/usr/bin/env python3
"""A lifecycle hook for ecs-bluegreen-operator: smoke-tests green through the load balancer.

Deploy it as a Lambda function (runtime python3.12 or later, handler smoke_test.handler) and name it in a
BlueGreenService's hooks; see README.md here. Standard library only.

The operator invokes it synchronously with the payload of docs/hooks.md and reads the answer:

    {"status": "Succeeded", "reason": ...}   every check passed
    {"status": "InProgress", "reason": ...}  a check failed but green may still be warming up: call again
    {"status": "Failed", "reason": ...}      a check still fails at the last attempt: the rollout rolls back

It requests each path of CHECK_PATHS from the endpoint that serves green at the hook's point (the test
endpoint at afterAllowTestTraffic and beforeAllowTraffic, the production endpoint at afterAllowTraffic),
with the Host header a listener rule needs (testHost/productionHost). It only reads, so running it twice
is harmless: hooks must be idempotent.

Settings (environment variables of the function):
    CHECK_PATHS      comma-separated paths to request; default /health
    EXPECT_STATUS    comma-separated status codes that pass; default 200
    EXPECT_BODY      a regular expression every response body must contain a match for; default none
    REQUEST_TIMEOUT  seconds each request may take; default 5
    MAX_ATTEMPTS     the call (the payload's attempt) at which a failing check answers Failed rather
                     than InProgress; default 3, 1 to fail at once

Locally, the payload on standard input (or as the first argument) prints the answer:
    echo '{"hookPoint": "afterAllowTestTraffic", "testEndpoint": "http://127.0.0.1:8080", "attempt": 1}' \\
        | python3 smoke_test.py
"""
import json
import os
import re
import sys
import urllib.error
import urllib.request

# Where green can be reached at each point (docs/hooks.md, "When each point runs").
THROUGH_TEST_LISTENER = ("afterAllowTestTraffic", "beforeAllowTraffic")
THROUGH_PRODUCTION = ("afterAllowTraffic",)

# Bodies are cut to this in reasons; the operator keeps the first 300 characters of an answer.
EXCERPT = 80


def handler(event, context=None):
    """The Lambda entry point: the hook payload in, the hook answer out."""
    point = event.get("hookPoint")
    if point in THROUGH_TEST_LISTENER:
        base, host = event.get("testEndpoint"), event.get("testHost")
        if not base:
            return answer("Failed", f"no test listener, so nothing serves green at {point}; "
                                    "give the service a test listener or run this hook at afterAllowTraffic")
    elif point in THROUGH_PRODUCTION:
        base, host = event.get("productionEndpoint"), event.get("productionHost")
        if not base:
            return answer("Failed", "the production endpoint is unknown (the operator could not read the listener)")
    else:
        return answer("Failed", f"no listener serves green at {point}; run this hook at afterAllowTestTraffic, "
                                "beforeAllowTraffic or afterAllowTraffic")

    settings = Settings(os.environ)
    problems = [p for p in (check(base + path, host, settings) for path in settings.paths) if p]
    if not problems:
        return answer("Succeeded", f"{len(settings.paths)} check(s) passed on {base}"
                                   + (f" (Host {host})" if host else ""))
    attempt = int(event.get("attempt") or 1)
    if attempt < settings.max_attempts:
        return answer("InProgress", f"attempt {attempt} of {settings.max_attempts}: " + "; ".join(problems))
    return answer("Failed", "; ".join(problems))


class Settings:
    def __init__(self, env):
        self.paths = [p.strip() for p in env.get("CHECK_PATHS", "/health").split(",") if p.strip()]
        self.expect_status = {int(s) for s in env.get("EXPECT_STATUS", "200").split(",") if s.strip()}
        pattern = env.get("EXPECT_BODY")
        self.expect_body = re.compile(pattern) if pattern else None
        self.timeout = float(env.get("REQUEST_TIMEOUT", "5"))
        self.max_attempts = max(1, int(env.get("MAX_ATTEMPTS", "3")))


def check(url, host, settings):
    """One GET; None when it passes, otherwise what went wrong."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:  # a status urllib treats as an error (4xx, 5xx): still an answer
        status, body = e.code, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:
        return f"GET {url} failed: {getattr(e, 'reason', e)}"
    if status not in settings.expect_status:
        return f"GET {url} answered {status}: {body[:EXCERPT].strip()}"
    if settings.expect_body and not settings.expect_body.search(body):
        return f"GET {url} body does not match /{settings.expect_body.pattern}/: {body[:EXCERPT].strip()}"
    return None


def answer(status, reason):
    # status and reason first: the operator shows the start of the answer
    return {"status": status, "reason": reason}


if __name__ == "__main__":
    payload = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()
    print(json.dumps(handler(json.loads(payload))))
