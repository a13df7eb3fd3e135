#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for driftwatch's tests and `scripts/faults` (stdlib only).

It listens on a loopback port, forwards every request to an AWS-compatible endpoint (moto), and
injects the faults chosen by flags, so the real SDK code paths (retries, timeouts, parsers) meet
what AWS and networks really do: throttling, 5xx bursts, reset connections, bodies cut short with
a matching Content-Length, calls that never get an answer, and answers that are not AWS at all.

A request's operation is the `X-Amz-Target` suffix after the dot (JSON protocols: ECS, SQS) or
the `Action=` form field (query protocols: IAM, EC2, STS). Each fault can be restricted to one
operation; without a restriction it applies to every request.

    GET /__faults__/stats   counts of requests and injected faults, as JSON

    --fail OP=CODE          answer OP with the AWS error CODE (HTTP 400) in the service's own
                            protocol, e.g. GetCallerIdentity=AccessDenied (repeatable)
    --repeat-token OP       answer OP's next page (JSON protocols) with the token its request sent,
                            as a server stuck on a page does: a client that stops there silently
                            has an incomplete list
    --deny-assume-role ACCOUNT
                            answer sts:AssumeRole whose RoleArn names ACCOUNT with the query
                            protocol's AccessDenied (HTTP 403), as AWS does when the role's trust
                            policy does not allow the caller (moto lets every AssumeRole succeed)

Example: python tests/fault_proxy.py --port 5001 --target http://127.0.0.1:5000 \
             --throttle-rate 0.2 --seed 7
"""

import argparse
import http.client
import json
import random
import re
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Headers that describe one hop, not the message: never forwarded.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "content-length",
}

NOT_AWS_PAGE = b"""<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream
server. Contact your network administrator.</p><hr><address>corp-proxy</address></body></html>
"""


class Faults:
    """The faults to inject and what was injected, shared by every handler thread."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.rng = random.Random(args.seed)
        self.burst_left = args.burst_5xx
        self.reset_left = args.reset
        self.stop = threading.Event()
        self.stats = {
            "requests": 0,
            "forwarded": 0,
            "throttled": 0,
            "burst_5xx": 0,
            "reset": 0,
            "truncated": 0,
            "repeated_token": 0,
            "hung": 0,
            "not_aws": 0,
            "denied": 0,
            "failed": 0,
            "assume_denied": 0,
            "operations": {},
        }

    def count(self, key, op=None):
        with self.lock:
            self.stats[key] += 1
            if op is not None:
                ops = self.stats["operations"]
                ops[op] = ops.get(op, 0) + 1

    def fail_codes(self):
        """`--fail OP=CODE` as {OP: CODE}."""
        return dict(spec.split("=", 1) for spec in self.args.fail or [])

    @staticmethod
    def matches(restriction, op):
        return restriction is None or restriction in ("*", op)

    def decide(self, op, body=b""):
        """The one fault for this request, or None to forward it untouched."""
        a = self.args
        if a.not_aws:
            return "not_aws"
        with self.lock:
            if self.burst_left > 0 and self.matches(a.burst_op, op):
                self.burst_left -= 1
                return "burst_5xx"
            if self.reset_left > 0 and self.matches(a.reset_op, op):
                self.reset_left -= 1
                return "reset"
            if a.throttle_rate > 0 and self.matches(a.throttle_op, op):
                # Draw only for requests that can be throttled, so a seed gives the same
                # sequence whatever other traffic there is.
                if self.rng.random() < a.throttle_rate:
                    return "throttled"
        if a.deny is not None and self.matches(a.deny, op):
            return "denied"
        if op == "AssumeRole" and role_account(body) in (a.deny_assume_role or []):
            return "assume_denied"
        if op in self.fail_codes():
            return "failed"
        if a.hang is not None and self.matches(a.hang, op):
            return "hung"
        if a.truncate is not None and self.matches(a.truncate, op):
            return "truncated"
        if a.repeat_token is not None and self.matches(a.repeat_token, op):
            return "repeated_token"
        return None


def service_of(headers):
    """The signing name from the SigV4 credential scope (`.../REGION/SERVICE/aws4_request`)."""
    m = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", headers.get("Authorization", ""))
    return m.group(1) if m else ""


def operation_of(headers, body):
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    except ValueError:
        form = {}
    return form.get("Action", [""])[0]


def role_account(body):
    """The account of an `AssumeRole` request's `RoleArn` (`arn:aws:iam::ACCOUNT:role/NAME`)."""
    try:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    except ValueError:
        return ""
    parts = form.get("RoleArn", [""])[0].split(":")
    return parts[4] if len(parts) > 4 else ""


def assume_role_denied(body):
    """STS's answer to an AssumeRole its trust policy refuses (query protocol, HTTP 403)."""
    arn = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("RoleArn", [""])[0]
    message = (
        "User: arn:aws:sts::123456789012:assumed-role/driftwatch/ci is not authorized to "
        "perform: sts:AssumeRole on resource: %s" % arn
    )
    payload = (
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender"
        "</Type><Code>AccessDenied</Code><Message>%s</Message></Error><RequestId>x</RequestId>"
        "</ErrorResponse>" % message
    ).encode()
    return 403, {"Content-Type": "text/xml"}, payload


def error_answer(headers, code, status, message=None):
    """A protocol-correct AWS error: (status, headers, body)."""
    target = headers.get("X-Amz-Target")
    if target:
        content_type = headers.get("Content-Type", "application/x-amz-json-1.1")
        if message is None:
            message = {400: "Rate exceeded", 503: "Service Unavailable"}[status]
        if code.startswith("AccessDenied"):
            message = "User is not authorized to perform this operation"
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, {"Content-Type": content_type, "x-amzn-ErrorType": code}, body
    if service_of(headers) == "ec2":
        if message is None:
            message = (
                "Request limit exceeded."
                if code == "RequestLimitExceeded"
                else "Service Unavailable"
            )
        body = (
            "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors>"
            "<RequestID>x</RequestID></Response>" % (code, message)
        ).encode()
        return status, {"Content-Type": "text/xml"}, body
    if service_of(headers) == "s3":
        # S3 (REST-XML) answers with a bare <Error> document, not the query protocol's
        # <ErrorResponse>.
        if message is None:
            message = "Please reduce your request rate." if code == "SlowDown" else "Service Unavailable"
        body = (
            "<Error><Code>%s</Code><Message>%s</Message><RequestId>x</RequestId></Error>"
            % (code, message)
        ).encode()
        return status, {"Content-Type": "application/xml"}, body
    kind = "Sender" if status < 500 else "Receiver"
    if message is None:
        message = "Rate exceeded" if status == 400 else "Service Unavailable"
    body = (
        "<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
        "<RequestId>x</RequestId></ErrorResponse>" % (kind, code, message)
    ).encode()
    return status, {"Content-Type": "text/xml"}, body


def repeat_token(request, payload):
    """The JSON answer with the request's page token as its next one (`NextToken` or, in ECS
    and CloudWatch Logs, `nextToken`); unchanged for a first page, which sent none."""
    try:
        sent = json.loads(request or b"{}")
        answer = json.loads(payload)
    except ValueError:
        return payload
    for key in ("NextToken", "nextToken"):
        if sent.get(key):
            answer[key] = sent[key]
            return json.dumps(answer).encode()
    return payload


def throttling(headers):
    if headers.get("X-Amz-Target"):
        return error_answer(headers, "ThrottlingException", 400)
    if service_of(headers) == "ec2":
        # EC2 answers throttling with 503 RequestLimitExceeded.
        return error_answer(headers, "RequestLimitExceeded", 503)
    if service_of(headers) == "s3":
        # S3 answers throttling with 503 SlowDown.
        return error_answer(headers, "SlowDown", 503)
    return error_answer(headers, "Throttling", 400)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"

    def log_message(self, fmt, *args):  # quiet: tests read stats, not logs
        if self.server.faults.args.verbose:
            sys.stderr.write("fault-proxy: " + (fmt % args) + "\n")

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def handle_any(self):
        faults = self.server.faults
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__faults__/stats":
            with faults.lock:
                payload = json.dumps(faults.stats, sort_keys=True).encode()
            return self.answer(200, {"Content-Type": "application/json"}, payload)
        op = operation_of(self.headers, body)
        faults.count("requests", op)
        fault = faults.decide(op, body)
        if fault is not None:
            faults.count(fault)
        if fault == "not_aws":
            return self.answer(502, {"Content-Type": "text/html"}, NOT_AWS_PAGE)
        if fault == "burst_5xx":
            return self.answer(*error_answer(self.headers, "ServiceUnavailable", 503))
        if fault == "throttled":
            return self.answer(*throttling(self.headers))
        if fault == "denied":
            return self.answer(*error_answer(self.headers, "AccessDeniedException", 400))
        if fault == "assume_denied":
            return self.answer(*assume_role_denied(body))
        if fault == "failed":
            code = faults.fail_codes()[op]
            message = "%s injected by the fault proxy" % code
            return self.answer(*error_answer(self.headers, code, 400, message))
        if fault == "reset":
            return self.reset()
        if fault == "hung":
            return self.hang()
        status, headers, payload = self.forward(body)
        faults.count("forwarded")
        if fault == "truncated":
            payload = payload[: len(payload) // 2]
        if fault == "repeated_token":
            payload = repeat_token(body, payload)
        self.answer(status, headers, payload)

    def forward(self, body):
        target = self.server.target
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=300)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["Content-Length"] = str(len(body))
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        out = {k: v for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP}
        conn.close()
        return resp.status, out, payload

    def answer(self, status, headers, payload):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        # Every answer has a length, so keep-alive connections stay in step.
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
        self.wfile.flush()

    def reset(self):
        """Closes the connection without an answer (RST, not a polite FIN)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        except OSError:
            pass

    def hang(self):
        """Never answers: waits until the client gives up (closes) or the proxy stops."""
        self.close_connection = True
        self.connection.settimeout(0.2)
        while not self.server.faults.stop.is_set():
            try:
                if self.connection.recv(4096) == b"":
                    return
            except socket.timeout:
                continue
            except OSError:
                return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that gave up (its timeout, its deadline) is part of the game, not an error.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    p.add_argument("--target", required=True, help="endpoint to forward to, e.g. http://127.0.0.1:5000")
    p.add_argument("--seed", type=int, default=1, help="seed of the throttling draws")
    p.add_argument("--throttle-rate", type=float, default=0.0, help="share of requests throttled")
    p.add_argument("--throttle-op", help="throttle only this operation")
    p.add_argument("--burst-5xx", type=int, default=0, help="the next N requests get 503")
    p.add_argument("--burst-op", help="the burst hits only this operation")
    p.add_argument("--reset", type=int, default=0, help="reset the connection of N requests")
    p.add_argument("--reset-op", help="reset only this operation's requests")
    p.add_argument("--truncate", metavar="OP", help="cut this operation's response bodies in half (* = all)")
    p.add_argument("--deny", metavar="OP", help="answer this operation AccessDenied (JSON protocols)")
    p.add_argument(
        "--fail",
        action="append",
        metavar="OP=CODE",
        help="answer OP with the AWS error CODE, HTTP 400 (repeatable)",
    )
    p.add_argument(
        "--deny-assume-role",
        action="append",
        metavar="ACCOUNT",
        help="answer sts:AssumeRole into ACCOUNT with AccessDenied, HTTP 403 (repeatable)",
    )
    p.add_argument("--hang", metavar="OP", help="never answer this operation (* = all)")
    p.add_argument(
        "--repeat-token", metavar="OP", help="answer OP's later pages with the token sent (JSON protocols)"
    )
    p.add_argument("--not-aws", action="store_true", help="answer everything with an HTML 502 page")
    p.add_argument("--verbose", action="store_true", help="log each request on stderr")
    args = p.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.faults = Faults(args)
    server.target = urllib.parse.urlsplit(args.target)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.faults.stop.set()
        time.sleep(0.3)


if __name__ == "__main__":
    main()
