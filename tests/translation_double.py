"""A local stand-in for a self-hosted LibreTranslate server: POST /translate (query or form or JSON
parameters q, source, target, format, api_key) -> {"translatedText": ...}; GET /languages.
Known sentences are translated from a small table; anything else gets a visible "[src->tgt]" prefix.
Set `fail = True` to answer 500."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class LibreTranslateDouble:
    def __init__(self, table: dict[tuple[str, str, str], str] | None = None):
        self.table = table or {}
        self.calls: list[dict] = []
        self.fail = False
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if urlparse(self.path).path == "/languages":
                    codes = ["de", "en", "ar", "fa", "uk", "ru", "tr", "ro", "bg", "pl", "fr", "it", "es", "pt"]
                    self._send(200, [{"code": c, "name": c, "targets": codes} for c in codes])
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                if raw:
                    params.update(json.loads(raw) if raw.lstrip().startswith("{")
                                  else {k: v[0] for k, v in parse_qs(raw).items()})
                double.calls.append(params)
                if url.path != "/translate":
                    return self._send(404, {"error": "not found"})
                if double.fail:
                    return self._send(500, {"error": "translation engine down"})
                q, src, tgt = params.get("q", ""), params.get("source"), params.get("target")
                self._send(200, {"translatedText": double.table.get((src, tgt, q), f"[{src}->{tgt}] {q}")})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LibreTranslateDouble":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
