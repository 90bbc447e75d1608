"""`flask search rebuild | sync | status`."""

from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import indexed_ids


def test_rebuild_sync_and_status(app, make):
    product_id = make(
        ProductFactory, shop=make(ShopFactory, status="approved"), title="کیف چرمی", status="published"
    ).id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 1 and "state: missing" in result.output
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "indexed 2 documents" in result.output  # the shop and its product
    assert indexed_ids(app) == {product_id}
    second = make(ProductFactory, shop=make(ShopFactory, status="approved"), title="کمربند چرمی", status="published").id
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0 and "applied" in result.output
    assert indexed_ids(app) == {product_id, second}
    result = runner.invoke(args=["search", "status"])
    assert result.exit_code == 0 and "lag: 0" in result.output and "documents: 4" in result.output
