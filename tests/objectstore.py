"""A local S3-compatible server for tests: moto in server mode (`moto[server]`), started as a
process of its own on a free loopback port, speaking the S3 protocol over HTTP as MinIO or a
cloud's object storage does. The portal talks to it through django-storages and boto3 exactly
as in production (MEDIA_STORAGE=s3)."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ObjectStore:
    def __init__(self, log_path):
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def start(self):
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto server did not start:\n{open(self.log_path).read()}") from None
                time.sleep(0.1)

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY,
                            aws_secret_access_key=SECRET_KEY, region_name=REGION)

    def make_bucket(self):
        """A new private bucket (no policy, no public ACL); its name."""
        name = f"lianxin-{uuid.uuid4().hex[:10]}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, bucket):
        """The portal's variables for MEDIA_STORAGE=s3 on this server."""
        return {
            "MEDIA_STORAGE": "s3", "AWS_S3_ENDPOINT_URL": self.endpoint, "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_S3_REGION_NAME": REGION,
        }

    def storage_options(self, bucket, location):
        return {
            "bucket_name": bucket, "endpoint_url": self.endpoint, "region_name": REGION,
            "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "addressing_style": "path",
            "signature_version": "s3v4", "querystring_auth": True, "querystring_expire": 300,
            "default_acl": None, "file_overwrite": False, "location": location,
        }

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None


@pytest.fixture(scope="module")
def object_store(tmp_path_factory):
    pytest.importorskip("moto.server", reason="moto[server] (requirements/test.txt) runs the S3 stand-in")
    store = ObjectStore(tmp_path_factory.mktemp("moto") / "moto.log").start()
    try:
        yield store
    finally:
        store.stop()
