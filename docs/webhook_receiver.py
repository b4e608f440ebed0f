"""A receiver of trafficctl webhooks that checks X-Trafficctl-Signature.

Python 3 standard library only. Run it with the worker's webhook secret:
    WEBHOOK_SECRET='...' python3 webhook_receiver.py 8080
It prints the port it listens on, then one line per event it accepts.
"""

import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

# How far the signature's time may be from this machine's clock, either way.
# A captured request replayed later than this is refused.
TOLERANCE_SECONDS = 5 * 60

# As the worker uses it: UTF-8 text, surrounding whitespace stripped.
SECRET = os.environ.get("WEBHOOK_SECRET", "").strip().encode("utf-8")


def verified(secret: bytes, body: bytes, header: str, now: float) -> bool:
    """True when header is "t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.' + body>"
    under secret, with t within TOLERANCE_SECONDS of now."""
    t, signatures = None, []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            t = value
        elif name == "v1":
            signatures.append(value)
    if t is None or not (t.isascii() and t.isdigit()) or not signatures:
        return False
    if abs(now - int(t)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret, t.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    # compare_digest takes as long whatever the first differing character.
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        # The raw bytes, exactly as received: verify before parsing any JSON.
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        header = self.headers.get("X-Trafficctl-Signature")
        if not verified(SECRET, body, header, time.time()):
            self.answer(400, b"signature missing, wrong or too old\n")
            return
        event = json.loads(body)
        # A retry sends the same event again: deduplicate on Idempotency-Key here.
        print(event["event"], event["workflow_id"], event["phase"], flush=True)
        self.answer(204, b"")

    def answer(self, status: int, text: bytes):
        self.send_response(status)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


if __name__ == "__main__":
    if not SECRET:
        sys.exit("set WEBHOOK_SECRET to the worker's webhook secret")
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    # Loopback only: put it behind a TLS-terminating proxy to take requests from elsewhere.
    server = HTTPServer(("127.0.0.1", port), Receiver)
    print("listening on", server.server_port, flush=True)
    server.serve_forever()
