"""Schemathesis against /api/v1/openapi.json on the app (WSGI, inside the test's rolled-back transaction,
so on SQLite and on PostgreSQL alike): for every operation, generated requests get no server error,
only documented status codes, content types and headers, and bodies that match the schemas — which
are closed (`additionalProperties: false`), so a field the document does not list (a phone, a note)
fails too.

Each operation is tried with data that fits the document (positive) and data that does not (negative:
it must get a documented 400 or 404, never a 500), and the detail endpoints once more with the id or
slug of a real public row, so their 200 bodies are checked too. Hypothesis: a bounded number of
examples, no deadline (a slow shared machine), no example database (nothing written to the tree).

(Schemathesis's pytest loader, `schemathesis.pytest.from_fixture`, does not run on pytest 9 yet; the
strategies are driven with Hypothesis directly, as its documentation shows for non-Schemathesis tests.)"""

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.api.openapi import PATHS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 30
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
)


def real_path_parameters(path: str, market) -> dict | None:
    """The id or slug of a public row for a detail endpoint (None for the others)."""
    return {
        "/products/{id}": {"id": market.bag},
        "/shops/{slug}": {"slug": market.maryam.slug},
        "/fairs/{slug}": {"slug": market.fair.slug},
    }.get(path)


def run(strategy) -> None:
    @SETTINGS
    @hypothesis.given(case=strategy)
    def check(case):
        # the WSGI transport hands the body over as sent: ask for it uncompressed, as HTTP clients read it
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)

    check()


@pytest.mark.parametrize("path", list(PATHS))
def test_operation_keeps_to_the_document(app, market, path):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path]["GET"]
    run(operation.as_strategy(GenerationMode.POSITIVE))
    real = real_path_parameters(path, market)
    if real is not None:
        run(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real))
    if operation.path_parameters or operation.query:
        run(operation.as_strategy(GenerationMode.NEGATIVE))


def test_every_endpoint_is_tried():
    assert set(PATHS) == {
        "/search",
        "/autocomplete",
        "/products",
        "/products/{id}",
        "/shops",
        "/shops/{slug}",
        "/categories",
        "/fairs",
        "/fairs/{slug}",
        "/openapi.json",
    }
