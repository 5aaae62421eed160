"""The officers' side: consent, publish and withdraw (audited), photos, inquiries and posts,
with the rights of each named user."""

import datetime
import io

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.portal import services
from htxnu.portal.models import Inquiry, Post, Publication
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType

from .helpers import image_bytes, published_coop


class PublicationTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop = registry.collective_create(actor=cls.commune, type=CollectiveType.THT, name="Tổ hợp tác Thêu",
                                              commune=cls.cam_duong)

    def test_publishing_needs_consent_and_is_audited(self):
        publication = services.publication_save(actor=self.commune, collective=self.coop, story="Thêu tay.")
        with self.assertRaises(ValidationError):
            services.publication_publish(actor=self.commune, publication=publication)
        publication = services.publication_save(actor=self.commune, collective=self.coop,
                                                consent_on=datetime.date(2026, 2, 1), consent_by="Lò Thị Sua",
                                                consent_document="Biên bản 02")
        self.assertEqual(publication.consent_recorded_by, self.commune)
        self.assertFalse(publication.is_published)
        services.publication_publish(actor=self.commune, publication=publication)
        publication.refresh_from_db()
        self.assertTrue(publication.is_published)
        self.assertEqual(publication.slug, "to-hop-tac-theu")
        services.publication_withdraw(actor=self.commune, publication=publication, reason="HTX xin rút")
        notes = list(AuditEntry.objects.for_object(publication).values_list("note", flat=True))
        self.assertEqual(notes[:2], ["HTX xin rút", "Công khai trên cổng thông tin"])

    def test_a_consent_date_in_the_future_is_refused_with_where(self):
        with self.assertRaises(ValidationError) as caught:
            services.publication_save(actor=self.commune, collective=self.coop,
                                      consent_on=datetime.date.today() + datetime.timedelta(days=2), consent_by="X")
        self.assertIn("consent_on", caught.exception.message_dict)
        self.assertFalse(Publication.objects.exists())

    def test_read_only_and_out_of_scope_users_cannot_publish(self):
        for user in (self.viewer, self.sibling, self.partner):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.publication_save(actor=user, collective=self.coop, consent_by="X")

    def test_the_section_answers_404_out_of_scope_and_403_to_read_only_posts(self):
        url = reverse("portal:manage", args=[self.coop.pk])
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(url, {"consent_by": "X"}).status_code, 404)
        self.assertEqual(self.client.post(reverse("portal:publish", args=[self.coop.pk])).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"consent_by": "X"}).status_code, 403)
        self.assertEqual(self.client.post(reverse("portal:publish", args=[self.coop.pk])).status_code, 403)
        self.assertEqual(self.client.post(reverse("portal:photo_upload", args=[self.coop.pk])).status_code, 403)

    def test_the_officer_records_consent_and_publishes_through_the_pages(self):
        self.client.force_login(self.commune)
        registry_page = self.client.get(reverse("registry:detail", args=[self.coop.pk]))
        self.assertContains(registry_page, reverse("portal:manage", args=[self.coop.pk]))
        url = reverse("portal:manage", args=[self.coop.pk])
        response = self.client.post(url, {"consent_on": "01/02/2026", "consent_by": "Lò Thị Sua", "story": "Thêu",
                                          "show_products": "on"})
        self.assertRedirects(response, url)
        response = self.client.post(reverse("portal:publish", args=[self.coop.pk]), {"action": "publish"},
                                    follow=True)
        self.assertContains(response, "Đã công khai")
        self.assertTrue(Publication.objects.get(collective=self.coop).is_published)


class PhotoTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop, cls.product, cls.pub = published_coop(cls.commune, cls.cam_duong, photo=False)

    def test_a_photo_is_resized_with_a_thumbnail_and_loses_its_location(self):
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (22.0, 24.0, 0.0)}  # GPSInfo
        exif[0x010F] = "PhoneMaker"
        data = image_bytes("JPEG", size=(4000, 3000), exif=exif.tobytes())
        photo = services.photo_add(actor=self.commune, publication=self.pub, data=data, alt_text="Đồi chè")
        self.assertEqual((photo.width, photo.height), (1600, 1200))
        stored = Image.open(io.BytesIO(bytes(photo.image)))
        self.assertEqual(dict(stored.getexif()), {})
        self.assertNotIn(b"PhoneMaker", bytes(photo.image))
        self.assertEqual(Image.open(io.BytesIO(bytes(photo.thumbnail))).size, (480, 360))

    def test_png_and_webp_are_accepted_gif_and_other_files_refused(self):
        for fmt in ("PNG", "WEBP"):
            services.photo_add(actor=self.commune, publication=self.pub, data=image_bytes(fmt), alt_text=fmt)
        for data in (image_bytes("GIF"), b"%PDF-1.4 not a photo"):
            with self.assertRaises(ValidationError) as caught:
                services.photo_add(actor=self.commune, publication=self.pub, data=data, alt_text="x")
            self.assertIn("image", caught.exception.message_dict)
        self.assertEqual(self.pub.photos.count(), 2)

    def test_removing_a_photo_answers_404_out_of_scope_403_read_only_and_is_audited(self):
        photo = services.photo_add(actor=self.commune, publication=self.pub, data=image_bytes(), alt_text="Đồi chè")
        url = reverse("portal:photo_remove", args=[self.coop.pk, photo.pk])
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.partner)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.client.force_login(self.commune)
        self.assertRedirects(self.client.post(url), reverse("portal:manage", args=[self.coop.pk]))
        self.assertEqual(self.pub.photos.count(), 0)
        self.assertTrue(AuditEntry.objects.filter(action="delete", object_repr="Đồi chè").exists())

    @override_settings(PORTAL_PHOTO_MAX_BYTES=1000)
    def test_a_photo_over_the_size_limit_is_refused(self):
        self.client.force_login(self.commune)
        upload = io.BytesIO(image_bytes("PNG", size=(600, 600)))
        upload.name = "big.png"
        response = self.client.post(reverse("portal:photo_upload", args=[self.coop.pk]),
                                    {"image": upload, "alt_text": "To quá"})
        self.assertContains(response, "lớn hơn", status_code=400)
        self.assertEqual(self.pub.photos.count(), 0)


class ProductListingTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop, cls.product, cls.pub = published_coop(cls.commune, cls.cam_duong, photo=False)

    def test_the_season_and_where_to_buy_show_on_the_public_pages(self):
        url = reverse("portal:product_listing", args=[self.coop.pk, self.product.pk])
        data = {f"p{self.product.pk}-season": "Tháng 3 – tháng 5", f"p{self.product.pk}-description": "Chè búp",
                f"p{self.product.pk}-where_to_buy": "Chợ Cốc Lếu"}
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(url, data).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.client.force_login(self.commune)
        self.assertRedirects(self.client.post(url, data), reverse("portal:manage", args=[self.coop.pk]))
        self.client.logout()
        cache.clear()
        for page in (reverse("portal:cooperative", args=[self.pub.slug]), reverse("portal:products")):
            response = self.client.get(page)
            self.assertContains(response, "Tháng 3 – tháng 5")
            self.assertContains(response, "Chợ Cốc Lếu")


class InquiryTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop, cls.product, cls.pub = published_coop(cls.commune, cls.cam_duong)
        cls.commune.email = "xa@example.vn"
        cls.commune.save()
        cls.sibling.email = "khac@example.vn"
        cls.sibling.save()

    def setUp(self):
        cache.clear()

    def _send(self, **extra):
        data = {"kind": "order", "name": "Chị Hoa", "phone": "0988777666", "message": "Tôi muốn đặt 20 hộp chè.",
                "product": str(self.product.pk), **extra}
        return self.client.post(reverse("portal:inquiry", args=[self.pub.slug]), data)

    def test_an_inquiry_reaches_the_commune_officer_in_the_app_and_by_mail(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self._send()
        self.assertRedirects(response, reverse("portal:inquiry", args=[self.pub.slug]) + "?sent=1")
        inquiry = Inquiry.objects.get()
        self.assertEqual(inquiry.product, self.product)
        self.assertEqual(sorted(mail.outbox[0].to), ["htx@example.vn", "xa@example.vn"])
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(reverse("portal:inquiries")), "Tôi muốn đặt 20 hộp chè.")
        self.client.force_login(self.sibling)
        self.assertNotContains(self.client.get(reverse("portal:inquiries")), "Tôi muốn đặt")
        self.assertEqual(self.client.post(reverse("portal:inquiry_close", args=[inquiry.pk])).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(reverse("portal:inquiry_close", args=[inquiry.pk])).status_code, 403)
        self.client.force_login(self.commune)
        self.client.post(reverse("portal:inquiry_close", args=[inquiry.pk]), {"outcome": "Đã bán 20 hộp"})
        inquiry.refresh_from_db()
        self.assertEqual((inquiry.state, inquiry.outcome), ("closed", "Đã bán 20 hộp"))
        manage = self.client.get(reverse("portal:manage", args=[self.coop.pk]))
        self.assertContains(manage, "<strong>1</strong>", html=False)

    def test_nothing_a_visitor_types_is_shown_publicly(self):
        self._send(message="Xem https://spam.example <b>ngay</b>")
        for url in (reverse("portal:cooperative", args=[self.pub.slug]), reverse("portal:cooperatives"), "/"):
            self.assertNotContains(self.client.get(url), "spam.example")

    def test_honeypot_rate_limit_and_length_limits(self):
        self._send(website="http://bot.example")
        self.assertEqual(Inquiry.objects.count(), 0)
        response = self._send(phone="", email="")
        self.assertContains(response, "số điện thoại hoặc địa chỉ e-mail", status_code=200)
        response = self._send(message="x" * 2001)
        self.assertEqual(Inquiry.objects.count(), 0)
        with self.settings(PORTAL_INQUIRY_LIMIT=2):
            self._send()
            self._send()
            response = self._send()
        self.assertContains(response, "Quá nhiều tin nhắn")
        self.assertEqual(Inquiry.objects.count(), 2)

    def _send_from(self, address: str, forwarded: str | None = None):
        data = {"kind": "order", "name": "Chị Hoa", "phone": "0988777666", "message": "Tôi muốn đặt chè."}
        headers = {"x_forwarded_for": forwarded} if forwarded else {}
        return self.client.post(reverse("portal:inquiry", args=[self.pub.slug]), data, REMOTE_ADDR=address,
                                headers=headers)

    @override_settings(BEHIND_TLS_PROXY=True, PORTAL_INQUIRY_LIMIT=2)
    def test_behind_the_proxy_each_visitor_has_their_own_limit(self):
        for _ in range(2):  # a visitor at 203.0.113.9 reaches the limit, through the proxy at 127.0.0.1
            self._send_from("127.0.0.1", "203.0.113.9")
        self.assertContains(self._send_from("127.0.0.1", "203.0.113.9"), "Quá nhiều tin nhắn")
        # An address the visitor puts in front of the one the proxy appended changes nothing.
        self.assertContains(self._send_from("127.0.0.1", "1.1.1.1, 203.0.113.9"), "Quá nhiều tin nhắn")
        # Another visitor through the same proxy still writes.
        self.assertRedirects(self._send_from("127.0.0.1", "198.51.100.7"),
                             reverse("portal:inquiry", args=[self.pub.slug]) + "?sent=1")
        self.assertEqual(Inquiry.objects.count(), 3)

    @override_settings(BEHIND_TLS_PROXY=False, PORTAL_INQUIRY_LIMIT=2)
    def test_without_the_proxy_setting_the_forwarded_header_is_ignored(self):
        for n in range(2):  # a header anyone can send does not buy a fresh limit
            self._send_from("203.0.113.9", f"198.51.100.{n}")
        self.assertContains(self._send_from("203.0.113.9", "198.51.100.99"), "Quá nhiều tin nhắn")
        self.assertRedirects(self._send_from("192.0.2.4"), reverse("portal:inquiry", args=[self.pub.slug]) + "?sent=1")
        self.assertEqual(Inquiry.objects.count(), 3)


class PostTests(HtxTestCase):
    def test_a_commune_post_needs_the_province_approval(self):
        post = services.post_save(actor=self.commune, unit=self.cam_duong, title="Hội chợ nông sản Cam Đường",
                                  summary="Mời bà con", body="Nội dung")
        post = services.post_publish(actor=self.commune, post=post)
        self.assertEqual(post.state, Post.State.SUBMITTED)
        self.assertEqual(self.client.get(reverse("portal:post", args=[post.slug])).status_code, 404)
        with self.assertRaises(PermissionDenied):
            services.post_publish(actor=self.commune, post=post)
        with self.assertRaises(PermissionDenied):
            services.post_publish(actor=self.other_province, post=post)
        post = services.post_publish(actor=self.province, post=post)
        self.assertEqual((post.state, post.reviewed_by), (Post.State.PUBLISHED, self.province))
        cache.clear()
        self.assertContains(self.client.get(reverse("portal:post", args=[post.slug])), "Hội chợ nông sản Cam Đường")

    def test_the_preview_and_return_through_the_pages(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("portal:post_create"), {"kind": "news", "title": "Tập huấn",
                                                                    "summary": "", "body": "Lớp học"})
        post = Post.objects.get()
        self.assertRedirects(response, reverse("portal:post_edit", args=[post.pk]))
        self.assertContains(self.client.get(reverse("portal:post_edit", args=[post.pk])), "Xem trước")
        self.client.post(reverse("portal:post_action", args=[post.pk]), {"action": "publish"})
        self.client.force_login(self.province)
        self.client.post(reverse("portal:post_action", args=[post.pk]), {"action": "return", "note": "Thêm ảnh"})
        post.refresh_from_db()
        self.assertEqual((post.state, post.review_note), (Post.State.RETURNED, "Thêm ảnh"))
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(reverse("portal:post_action", args=[post.pk]),
                                          {"action": "publish"}).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(reverse("portal:post_action", args=[post.pk]),
                                          {"action": "publish"}).status_code, 403)
