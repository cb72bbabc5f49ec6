"""The S3-compatible bucket the deployment tests share."""

import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.deploy.support import free_port

PRIVATE_BUCKET = "ddc-private"
MEDIA_BUCKET = "ddc-media"


@pytest.fixture
def bucket():
    """An S3-compatible server on loopback with the media and private buckets."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process, not per server: start each test empty.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="deploy-test",
        aws_secret_access_key="deploy-test-secret",
    )
    for name in (PRIVATE_BUCKET, MEDIA_BUCKET):
        s3.create_bucket(Bucket=name)
    yield endpoint, s3
    server.stop()
