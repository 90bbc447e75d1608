"""An approved shop's new text through the pages: she saves it, buyers keep the approved text,
staff find it in the «new text» queue and approve it, then it is live."""

from marketplace.branding.palette import CURATED
from marketplace.extensions import db
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.conftest import post_form


def test_new_tagline_waits_for_staff_then_goes_live(app, client, make_user, login):
    producer = make_user(roles={"producer"})
    with app.app_context():
        shop = shops.create_shop(db.session.merge(producer), "گلدوزی مریم", "گلدوزی", "گلشهر")
        shops.update_story(shop, "گلدوزی دست مشهد", "داستان من " * 20, {})
        shops.set_palette(shop, CURATED[0].palette, CURATED[0].code)
        shop.status = "approved"
        db.session.commit()
        shop_id, slug = shop.id, shop.slug

    login(producer)
    path = "/dashboard/shop/setup/story"
    response = post_form(client, path, {"tagline": "بهترین گلدوزی دنیا", "story": "داستان من " * 20}, path)
    assert response.status_code == 302
    storefront = client.get(f"/shop/{slug}").get_data(as_text=True)
    assert "گلدوزی دست مشهد" in storefront and "بهترین گلدوزی دنیا" not in storefront  # still public, old text
    assert "بهترین گلدوزی دنیا" in client.get(path).get_data(as_text=True)  # her form shows what she wrote

    client = app.test_client()  # the centre's staff member, in another browser
    login(make_user(roles={"staff"}), the_client=client)
    assert f"/staff/shops/{shop_id}" in client.get("/staff/shops?status=new_text").get_data(as_text=True)
    page = client.get(f"/staff/shops/{shop_id}").get_data(as_text=True)
    assert 'value="approve_text"' in page and "بهترین گلدوزی دنیا" in page
    response = post_form(client, f"/staff/shops/{shop_id}", {"action": "approve_text"}, f"/staff/shops/{shop_id}")
    assert response.status_code == 302
    assert "بهترین گلدوزی دنیا" in client.get(f"/shop/{slug}").get_data(as_text=True)
    with app.app_context():
        shop = db.session.get(Shop, shop_id)
        assert shop.pending_text is None and shop.decisions[0].action == "approve_text"
