"""A stand-in API /metrics target for the live canary check (canary-live.sh): counters and
latency histograms of a stable and a canary track that grow with wall-clock time, like the
API's (service="api", route, status, track). usage: canary-target.py PORT good|bad"""

import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, SCENARIO = int(sys.argv[1]), sys.argv[2]
START = time.time()
# Per second: (requests, 5xx share, cumulative share per latency bucket).
TRACKS = {
    "stable": (50, 0.01, {"0.1": 0.9, "0.25": 1.0}),
    "canary": (10, 0.01, {"0.1": 0.88, "0.25": 1.0})
    if SCENARIO == "good"
    else (10, 0.08, {"0.1": 0.5, "0.25": 0.7}),
}


def exposition() -> str:
    elapsed = time.time() - START
    lines = []
    for track, (rate, errors, buckets) in TRACKS.items():
        total = rate * elapsed
        labels = f'service="api",track="{track}",route="/v1/me",method="GET"'
        lines.append(f'http_requests_total{{{labels},status="200"}} {total * (1 - errors)}')
        lines.append(f'http_requests_total{{{labels},status="500"}} {total * errors}')
        for le, share in [*buckets.items(), ("0.5", 1.0), ("+Inf", 1.0)]:
            lines.append(f'http_request_duration_seconds_bucket{{{labels},le="{le}"}} {total * share}')
    return "\n".join(lines) + "\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = exposition().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
