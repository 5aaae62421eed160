"""Who may open which portal URL with GET (see htxnu/core/tests/test_url_matrix.py).

Public pages answer 200 to everyone, signed in or not. The officers' pages follow the
cooperative's scope: everyone in Lào Cai sees the "Công khai" section of a cooperative in
Phường Cam Đường, the sibling ward and Lai Châu get 404; actions that only accept POST
answer 405 to GET; `post_rows` gives who may send them (see test_post_matrix), and
test_officer shows what they change."""

from django.urls import reverse

from htxnu.core.tests.test_post_matrix import OK, WRITE_IN_CAM_DUONG, allowed
from htxnu.core.tests.test_url_matrix import USERS, everyone, only
from htxnu.portal import services

from .helpers import published_coop

OUT = {"sibling": 404, "other_province": 404}


def setup(cls):
    cls.portal_coop, cls.portal_product, cls.portal_pub = published_coop(cls.commune, cls.cam_duong)
    cls.portal_photo = cls.portal_pub.photos.get()
    cls.portal_inquiry = services.inquiry_submit(publication=cls.portal_pub, client="matrix", name="Khách",
                                                 phone="0900000000", message="Cho tôi đặt 10 kg chè.")
    cls.portal_post = services.post_save(actor=cls.province, unit=cls.lao_cai, title="Tin Lào Cai",
                                         body="Nội dung.")
    services.post_publish(actor=cls.province, post=cls.portal_post)


def rows(t):
    c = t.portal_coop.pk
    public = everyone(200, anonymous=200)
    lao_cai = only(OUT, 200)
    # Writing a post needs an officer's right on the active unit (the user's own).
    writers = only({"central": 200, "province": 200, "commune": 200, "sibling": 200, "other_province": 200}, 403)
    return {
        "portal:cooperatives": (reverse("portal:cooperatives") + "?q=che", public),
        "portal:cooperative": (reverse("portal:cooperative", args=[t.portal_pub.slug]), public),
        "portal:inquiry": (reverse("portal:inquiry", args=[t.portal_pub.slug]), public),
        "portal:products": (reverse("portal:products"), public),
        "portal:province": (reverse("portal:province", args=["lao-cai"]), public),
        "portal:news": (reverse("portal:news"), public),
        "portal:post": (reverse("portal:post", args=[t.portal_post.slug]), public),
        "portal:open_data": (reverse("portal:open_data"), public),
        "portal:open_data_file": (reverse("portal:open_data_file", args=["hop-tac-xa", "csv"]), public),
        "portal:photo": (reverse("portal:photo", args=[t.portal_photo.pk]), public),
        "portal:thumbnail": (reverse("portal:thumbnail", args=[t.portal_photo.pk]), public),
        "portal:sitemap": (reverse("portal:sitemap"), public),
        "portal:robots": (reverse("portal:robots"), public),
        "portal:language": (reverse("portal:language", args=["en"]), everyone(302, anonymous=302)),
        "portal:manage": (reverse("portal:manage", args=[c]), lao_cai),
        "portal:publish": (reverse("portal:publish", args=[c]), everyone(405)),
        "portal:product_listing": (reverse("portal:product_listing", args=[c, t.portal_product.pk]),
                                   everyone(405)),
        "portal:photo_upload": (reverse("portal:photo_upload", args=[c]), everyone(405)),
        "portal:photo_remove": (reverse("portal:photo_remove", args=[c, t.portal_photo.pk]), everyone(405)),
        "portal:photo_preview": (reverse("portal:photo_preview", args=[t.portal_photo.pk]), lao_cai),
        "portal:inquiries": (reverse("portal:inquiries"), everyone(200)),
        "portal:inquiry_close": (reverse("portal:inquiry_close", args=[t.portal_inquiry.pk]), everyone(405)),
        "portal:posts": (reverse("portal:posts"), everyone(200)),
        "portal:post_create": (reverse("portal:post_create"), writers),
        "portal:post_edit": (reverse("portal:post_edit", args=[t.portal_post.pk]),
                             only({"central": 200, "province": 200, "viewer": 200, "partner": 200}, 404)),
        "portal:post_action": (reverse("portal:post_action", args=[t.portal_post.pk]), everyone(405)),
    }


def post_rows(t) -> dict:
    signed_in = set(USERS) - {"anonymous"}
    # The Lào Cai post: its own officers (and the centre, above it) edit or review it; the
    # viewer and the read-only partner see it but may not act; the communes do not see it.
    lao_cai_post = {**allowed({"central", "province"}, 404), "viewer": 403, "partner": 403}
    return {
        # A visitor's inquiry: anyone may send one (an empty one answers with its form).
        "portal:inquiry": dict.fromkeys(USERS, OK),
        **dict.fromkeys(["portal:manage", "portal:publish", "portal:product_listing", "portal:photo_upload",
                         "portal:photo_remove", "portal:inquiry_close"], WRITE_IN_CAM_DUONG),
        "portal:post_create": allowed(signed_in - {"viewer", "partner"}, 403),
        "portal:post_edit": lao_cai_post,
        "portal:post_action": lao_cai_post,
    }
