"""Who may open which portal URL with GET (see htxnu/core/tests/test_url_matrix.py).

Public pages answer 200 to everyone, signed in or not. The officers' pages follow the
cooperative's scope: everyone in Lào Cai sees the "Công khai" section of a cooperative in
Phường Cam Đường, the sibling ward and Lai Châu get 404; actions that only accept POST
answer 405 (their rights are tested in test_officer)."""

from django.urls import reverse

from htxnu.core.tests.test_url_matrix import everyone, only
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
