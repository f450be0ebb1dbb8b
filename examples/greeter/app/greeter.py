#!/usr/bin/env python3
"""The greeter: a tiny web app for trying blue/green rollouts on real ECS.

v1 serves "Hello World" on a green page. v2 (GREETING=Bonjour, LANGUAGE=fr, JSON_API=true) greets in
French and adds a JSON API at /api/greeting. Everything comes from the environment, so one image serves
both versions; the image tag only marks the release.
"""
import html
import json
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GREETING = os.environ.get("GREETING", "Hello World")
LANGUAGE = os.environ.get("LANGUAGE", "en")
COLOR = os.environ.get("PAGE_COLOR", "green")
JSON_API = os.environ.get("JSON_API", "false").lower() == "true"
VERSION = os.environ.get("APP_VERSION", "1.0.0")


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body, content_type):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, "ok\n", "text/plain")
        elif self.path == "/api/greeting" and JSON_API:
            body = {"greeting": GREETING, "language": LANGUAGE, "version": VERSION, "host": socket.gethostname()}
            self._send(200, json.dumps(body) + "\n", "application/json")
        elif self.path == "/":
            page = (f'<!doctype html><html lang="{html.escape(LANGUAGE)}"><body style="background:{html.escape(COLOR)}">'
                    f"<h1>{html.escape(GREETING)}</h1><p>version {html.escape(VERSION)} on {socket.gethostname()}</p>"
                    "</body></html>\n")
            self._send(200, page, "text/html; charset=utf-8")
        else:
            self._send(404, "not found\n", "text/plain")

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    # 0.0.0.0 inside a container, where the task ENI is the only interface; HOST=127.0.0.1 to try it locally.
    ThreadingHTTPServer((os.environ.get("HOST", "0.0.0.0"), int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
