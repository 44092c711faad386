"""Base-model load time for the model server: S3 (parallel ranged download) vs the Hugging Face Hub.

    .venv/bin/python benchmarks/model_load.py [--files 4] [--file-mb 128] [--model-gb 16.1]

No AWS or Hub is reachable here, so this measures what it can and computes the rest:
1. measured: boto3's S3 transfer manager (the engine of the AWS CLI's classic transfer client)
   downloading a local file set over HTTP from localhost, one stream vs 16 ranged 8 MiB parts at
   a time, against a small S3-compatible server that caps each connection at STREAM_CAP_MBPS,
   as S3 caps one GET stream (moto's server was tried first: it is CPU-bound in Python, so
   every download ran at its speed whatever the concurrency, which says nothing about S3);
2. computed: the configured model's load time from S3 and from the Hub, from the per-stream
   rates stated below (assumptions, not measurements) and the measured parallel speedup, capped
   by the node's network and disk.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
from boto3.s3.transfer import TransferConfig
from botocore import UNSIGNED
from botocore.config import Config

MIB = 1024 * 1024
# Assumptions for the computed part (AWS and Hugging Face publish no single figure):
S3_STREAM_MBPS = 90.0  # one S3 GET stream inside the Region, MB/s
HUB_MBPS = 60.0  # huggingface_hub's download (vLLM's default path), through the NAT, MB/s
NIC_MBPS = 1250.0  # g6.xlarge/2xlarge, g5.xlarge/2xlarge: "up to 10 Gbit/s"
NVME_WRITE_MBPS = 1000.0  # the GPU node's instance-store NVMe (Karpenter instanceStorePolicy RAID0)
GP3_WRITE_MBPS = 125.0  # a gp3 root volume at its baseline throughput
# Per connection on localhost: low enough that 16 streams stay below what this machine serves.
STREAM_CAP_MBPS = 10.0
CHUNK = 256 * 1024


@contextmanager
def capped_s3(objects: dict[str, bytes]) -> Iterator[str]:
    """HEAD and (ranged) GET of path-style /bucket/key, each connection capped in throughput."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _object(self) -> bytes | None:
            return objects.get(self.path.split("?")[0].lstrip("/"))

        def do_HEAD(self) -> None:
            body = self._object()
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.send_header("ETag", '"bench"')
            self.end_headers()

        def do_GET(self) -> None:
            body = self._object() or b""
            match = re.match(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
            first = int(match[1]) if match else 0
            last = int(match[2]) if match and match[2] else len(body) - 1
            part = body[first : last + 1]
            self.send_response(206 if match else 200)
            self.send_header("Content-Length", str(len(part)))
            self.send_header("ETag", '"bench"')
            if match:
                self.send_header("Content-Range", f"bytes {first}-{last}/{len(body)}")
            self.end_headers()
            start = time.perf_counter()
            for sent in range(0, len(part), CHUNK):
                self.wfile.write(part[sent : sent + CHUNK])
                ahead = (sent + CHUNK) / (STREAM_CAP_MBPS * 1e6) - (time.perf_counter() - start)
                if ahead > 0:
                    time.sleep(ahead)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def timed_download(s3: object, bucket: str, keys: list[str], config: TransferConfig) -> float:
    with tempfile.TemporaryDirectory() as target:
        start = time.perf_counter()
        for key in keys:
            s3.download_file(bucket, key, str(Path(target) / key), Config=config)  # type: ignore[attr-defined]
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--file-mb", type=int, default=64)
    parser.add_argument("--model-gb", type=float, default=16.1, help="Llama 3 8B in bf16")
    options = parser.parse_args()

    keys = [f"model-{i:05d}-of-{options.files:05d}.safetensors" for i in range(options.files)]
    objects = {f"models/{key}": os.urandom(options.file_mb * MIB) for key in keys}
    with capped_s3(objects) as endpoint:
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            # The local stand-in checks no signature.
            config=Config(signature_version=UNSIGNED),
        )
        serial = timed_download(
            s3, "models", keys, TransferConfig(use_threads=False, multipart_threshold=1 << 40)
        )
        parallel = timed_download(
            s3, "models", keys, TransferConfig(max_concurrency=16, multipart_chunksize=8 * MIB)
        )
    total_mb = options.files * options.file_mb * MIB / 1e6

    speedup = serial / parallel
    print(
        f"measured on localhost ({options.files} x {options.file_mb} MiB, "
        f"each connection capped at {STREAM_CAP_MBPS:g} MB/s):"
    )
    print(f"  one stream          {total_mb / serial:8.0f} MB/s")
    print(f"  16 ranged parts     {total_mb / parallel:8.0f} MB/s  (x{speedup:.1f})")
    model_mb = options.model_gb * 1000
    s3_rate = min(S3_STREAM_MBPS * min(speedup, 16), NIC_MBPS)
    print(f"computed for a {options.model_gb:g} GB base model (assumed rates, see the docstring):")
    rows = [
        ("Hub, one download (vLLM's default)", HUB_MBPS),
        ("S3, one stream", min(S3_STREAM_MBPS, GP3_WRITE_MBPS)),
        ("S3, parallel, gp3 root volume", min(s3_rate, GP3_WRITE_MBPS)),
        ("S3, parallel, NVMe instance store", min(s3_rate, NVME_WRITE_MBPS)),
    ]
    for label, rate in rows:
        print(f"  {label:38s} {rate:6.0f} MB/s  {model_mb / rate / 60:5.1f} min")


if __name__ == "__main__":
    sys.exit(main())
