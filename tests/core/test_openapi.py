"""The OpenAPI schema as an integrating developer meets it (issue 19, part 2): it passes
openapi-spec-validator, openapi-python-client generates a client for every operation without a
warning, and that generated client works against a live server.

Both tools are pinned in the `test` extra and run offline: the generator runs as a subprocess of
this venv, its ruff post-hook from the same venv."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate
from PIL import Image

from accounts.models import Role
from opinions.models import Opinion
from tests.conftest import PASSWORD
from tests.factories import CategoryFactory, DeputyFactory, StationFactory, UserFactory

PACKAGE = "lianxin_api"
BIN = Path(sys.executable).parent


def operations(schema):
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def generated(schema, tmp_path_factory):
    """openapi-python-client's run on the schema: (its output, the folder holding the package)."""
    folder = tmp_path_factory.mktemp("client")
    schema_file = folder / "schema.json"
    # Through JSON, as a client fetching /api/schema/?format=json would see it.
    schema_file.write_text(json.dumps(schema, default=str, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "openapi-python-client"), "generate", "--path", str(schema_file),
         "--output-path", str(folder / PACKAGE), "--meta", "none", "--fail-on-warning"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    return result, folder


def test_schema_passes_openapi_spec_validator(schema):
    validate(json.loads(json.dumps(schema, default=str)))


def test_request_bodies_are_json_unless_a_file_is_uploaded(schema):
    for operation_id, (method, path) in operations(schema).items():
        content = schema["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
        assert "application/x-www-form-urlencoded" not in content, operation_id
        if "multipart/form-data" in content:
            body = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
            properties = schema["components"]["schemas"][body]["properties"].values()
            assert any("binary" in json.dumps(p) for p in properties), f"{operation_id}: multipart without a file"


def test_operation_ids_and_component_names_read_well(schema):
    ids = operations(schema)
    assert not [i for i in ids if i.endswith("_create") and ids[i][1].rstrip("/").endswith("}")], (
        "an action on one object is named after what it does, not `_create`"
    )
    assert {"auth_token", "suggestions_accept", "public_opinions_create", "votes_ballots"} <= set(ids)
    names = schema["components"]["schemas"]
    assert not [n for n in names if "RequestRequest" in n or n.endswith("ListList")]
    assert not [n for n in names if any(c.isdigit() for c in n)], "an enum named by a hash"


def test_openapi_python_client_generates_every_operation_without_warning(schema, generated):
    result, folder = generated
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    modules = {p.stem for p in (folder / PACKAGE / "api").glob("*/*.py") if p.stem != "__init__"}
    assert modules == set(operations(schema)), set(operations(schema)) ^ modules


def test_every_generated_module_imports(client_package):
    import importlib
    import pkgutil

    names = [m.name for m in pkgutil.walk_packages(client_package.__path__, f"{PACKAGE}.")]
    assert len(names) > 100
    for name in names:
        importlib.import_module(name)


@pytest.fixture
def client_package(generated):
    result, folder = generated
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    yield __import__(PACKAGE)
    sys.path.remove(str(folder))


@pytest.mark.django_db(transaction=True)
def test_generated_client_signs_in_lists_and_submits_and_tracks_an_opinion(client_package, live_server):
    from lianxin_api import AuthenticatedClient, Client
    from lianxin_api.api.auth import auth_token
    from lianxin_api.api.deputies import deputies_list
    from lianxin_api.api.public import public_opinions_create, public_opinions_retrieve
    from lianxin_api.models import PublicOpinionSubmitRequest, TokenRequest
    from lianxin_api.types import File

    UserFactory(username="staff1", role=Role.STAFF)
    DeputyFactory(name="张三丽")
    DeputyFactory(name="李四")
    station = StationFactory(name="城关镇人民路代表联络站")
    CategoryFactory(name="交通出行")
    anonymous = Client(base_url=live_server.url, raise_on_unexpected_status=True)

    # 1. Token auth
    token = auth_token.sync(client=anonymous, body=TokenRequest(username="staff1", password=PASSWORD))
    assert len(token.token) == 64 and token.expiry is not None  # a knox token and its expiry
    refused = auth_token.sync_detailed(client=anonymous, body=TokenRequest(username="staff1", password="wrong"))
    assert refused.status_code == 400

    # 2. A list, signed in with that token
    staff = AuthenticatedClient(base_url=live_server.url, token=token.token, prefix="Token")
    deputies = deputies_list.sync(client=staff)
    assert deputies.count == 2
    assert {d.name for d in deputies.results} == {"张三丽", "李四"}

    # 3. The public opinion: submitted (multipart, as it takes photos), with and without a photo,
    # and tracked
    content = "村口的路灯坏了两个月，晚上很黑，老人孩子出门不安全，希望尽快修好。"
    created = public_opinions_create.sync(client=anonymous, body=PublicOpinionSubmitRequest(
        station=station.code, category="交通出行", content=content,
    ))
    tracked = public_opinions_retrieve.sync(client=anonymous, tracking_code=created.tracking_code)
    assert tracked.content == content
    assert tracked.station == "城关镇人民路代表联络站"

    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(picture, "JPEG")
    with_photo = public_opinions_create.sync(client=anonymous, body=PublicOpinionSubmitRequest(
        station=station.code, category="交通出行", content="小区门口的垃圾桶满了三天没人清运，气味很大。",
        photos=[File(payload=io.BytesIO(picture.getvalue()), file_name="bin.jpg", mime_type="image/jpeg")],
    ))

    assert Opinion.objects.count() == 2
    assert Opinion.objects.get(tracking_code=with_photo.tracking_code).photos.count() == 1
