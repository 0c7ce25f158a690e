"""Client for the Rasa server's REST channel (the same path for Telegram, terminal chat and triage)."""
from __future__ import annotations

import httpx


class RasaUnavailable(Exception):
    """The Rasa server could not be reached or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 10.0):
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout)

    async def send(self, sender_id: str, text: str, metadata: dict) -> list[dict]:
        """Post one user message; returns the bot messages (text/buttons/custom) Rasa produced."""
        try:
            response = await self._http.post(
                "/webhooks/rest/webhook", json={"sender": sender_id, "message": text, "metadata": metadata}
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc

    async def slots(self, sender_id: str) -> dict:
        """The conversation's slots (Rasa's HTTP API, `--enable-api`); empty when unavailable."""
        try:
            response = await self._http.get(f"/conversations/{sender_id}/tracker", params={"include_events": "NONE"})
            response.raise_for_status()
            slots = response.json().get("slots") or {}
            return slots if isinstance(slots, dict) else {}
        except (httpx.HTTPError, ValueError):
            return {}

    async def is_ready(self) -> bool:
        try:
            response = await self._http.get("/status")
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        await self._http.aclose()
