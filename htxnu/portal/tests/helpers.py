"""Builders shared by the portal's tests: a published cooperative in Phường Cam Đường
(today's Lào Cai) with a product and a photo, and an unpublished one beside it."""

import datetime
import io

from PIL import Image

from htxnu.portal import services
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, OcopGroup, Sector


def image_bytes(fmt: str = "JPEG", size=(800, 600), color=(200, 80, 60), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif else {}
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def published_coop(actor, commune, name="Hợp tác xã Chè Shan tuyết Bản Khoang", product="Chè Shan tuyết cổ thụ",
                   photo: bool = True):
    coop = registry.collective_create(
        actor=actor, type=CollectiveType.HTX, name=name, commune=commune, founded_on=datetime.date(2019, 5, 1),
        sector=Sector.CROPS, main_products="Chè búp, chè xanh", registration_code="",
    )
    item = registry.product_save(
        actor=actor, collective=coop, name=product, ocop_group=OcopGroup.DRINKS, ocop_stars=4,
        ocop_decision_number="123/QĐ-UBND", ocop_decision_date=datetime.date(2024, 3, 1),
        ocop_authority="UBND tỉnh Lào Cai", sales_channels=["shopee", "fair"],
    )
    registry.manager_add(actor=actor, collective=coop, full_name="Thào Thị Mỷ", gender="female",
                         position="director", birth_year=1981, phone="0912000111")
    publication = services.publication_save(
        actor=actor, collective=coop, consent_on=datetime.date(2026, 1, 5), consent_by="Thào Thị Mỷ, Giám đốc",
        consent_document="Biên bản đồng ý số 01/2026", story="Chè hái từ cây cổ thụ trên 300 năm tuổi.",
        contact_name="Văn phòng HTX", contact_phone="0214 3800 999", contact_email="htx@example.vn",
        latitude="22.400000", longitude="103.900000",
    )
    publication = services.publication_publish(actor=actor, publication=publication)
    if photo:
        services.photo_add(actor=actor, publication=publication, data=image_bytes(), alt_text="Đồi chè", product=item)
    return coop, item, publication


def hidden_coop(actor, commune, name="Hợp tác xã Mật ong Bí mật"):
    """Registered, with consent recorded but never published."""
    coop = registry.collective_create(actor=actor, type=CollectiveType.HTX, name=name, commune=commune,
                                      main_products="Mật ong bí mật")
    registry.product_save(actor=actor, collective=coop, name="Mật ong bí mật")
    services.publication_save(actor=actor, collective=coop, consent_on=datetime.date(2026, 1, 5),
                              consent_by="Ai đó", story="Câu chuyện bí mật")
    return coop
