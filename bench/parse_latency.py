"""`make bench`: latency of the real stack, training time and memory. Prints numbers; asserts nothing.

- NLU parse latency (Rasa /model/parse) and full-turn latency (Conversation: detection + REST channel +
  action server + knowledge base), p50/p95 over the held-out examples.
- Language detection latency in the app process.
- Training time of the Rasa model (fresh, into a temporary directory) — skip with --no-train.
- Resident memory (RSS) of the Rasa server, the action server and this process.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from bot.conversation import Conversation, Incoming
from bot.language_detection import get_detector
from bot.nlu_eval import load_examples
from bot.rasa_client import RasaClient
from bot.stack import running_stack, train


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> float:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return rss_mb(pid) + sum(tree_rss_mb(k) for k in kids)


def report(name: str, millis: list[float]) -> None:
    print(f"{name:<34} n={len(millis):<5} p50={percentile(millis, .5):7.1f} ms  "
          f"p95={percentile(millis, .95):7.1f} ms  mean={statistics.mean(millis):7.1f} ms")


async def full_turns(rasa_url: str, texts: list[str]) -> list[float]:
    rasa = RasaClient(rasa_url, timeout=60)
    conversation = Conversation(rasa, get_detector())
    timings = []
    for text in texts:
        start = time.perf_counter()
        await conversation.handle(Incoming(text, f"bench-{uuid.uuid4().hex}"))
        timings.append((time.perf_counter() - start) * 1000)
    await rasa.aclose()
    return timings


def main() -> int:
    texts = [e.text for e in load_examples()]
    if "--no-train" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            train(Path(tmp), force=True)
            print(f"Training time (spaCy pipeline build + rasa train): {time.perf_counter() - start:.0f} s")
    detector = get_detector()
    start = time.perf_counter()
    for text in texts:
        detector.detect(text)
    print(f"Language detection: {(time.perf_counter() - start) / len(texts) * 1000:.2f} ms per message")
    with running_stack(persistent_trackers=False) as stack:
        with httpx.Client(base_url=stack.rasa_url, timeout=30) as http:
            http.post("/model/parse", json={"text": "warm up"})
            parse = []
            for text in texts:
                t0 = time.perf_counter()
                http.post("/model/parse", json={"text": text}).raise_for_status()
                parse.append((time.perf_counter() - t0) * 1000)
        report("NLU parse (/model/parse)", parse)
        report("Full turn (Conversation.handle)", asyncio.run(full_turns(stack.rasa_url, texts[:200])))
        actions, rasa = (p.pid for p in stack.processes)
        print(f"Memory RSS: Rasa server {tree_rss_mb(rasa):.0f} MB, action server {tree_rss_mb(actions):.0f} MB, "
              f"bot process (detector loaded) {rss_mb(os.getpid()):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
