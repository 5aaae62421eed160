"""Demo data of the portal: a realistic share of the demo cooperatives published, with
consent, a story, a published contact, a map point near their commune, and photos drawn
with Pillow (a cover for the cooperative and one per product); a few posts.

Share published: 40% of the hand-written demo set (about what a province's Union would
reach in a first year), 10% at the province and national scales, where photos are drawn
for the first 60 only (a national set of photos would only weigh down the database).
The choice is seeded by the cooperative's id, so running it again picks the same ones,
and a cooperative that already has a publication record is left as it is.
Called by `manage.py demo_data` (core.management.commands.demo_data finds build())."""

import datetime
import io
import random

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from htxnu.core import audit
from htxnu.core.models import AuditEntry
from htxnu.geo.models import AdminUnit, Level
from htxnu.registry.models import Collective, Product, Status

from . import photos
from .models import Photo, Post, Publication
from .services import refresh_search_key, slug_for

SHARE = {"demo": 0.4, "province": 0.1, "national": 0.1}
PHOTO_LIMIT = 60
PALETTE = {
    "crops": ((86, 140, 60), (200, 225, 150)), "agriculture": ((96, 130, 50), (220, 220, 160)),
    "livestock": ((150, 100, 60), (235, 210, 170)), "aquaculture": ((40, 110, 160), (170, 215, 235)),
    "weaving": ((150, 40, 80), (240, 190, 120)), "handicraft": ((120, 80, 40), (230, 200, 150)),
    "garment": ((90, 60, 140), (220, 200, 240)), "processing": ((170, 90, 30), (245, 215, 160)),
    "community_tourism": ((30, 120, 110), (180, 230, 210)),
}
STORIES = [
    "{name} được thành lập với sự hỗ trợ của Hội Liên hiệp Phụ nữ. Chị em cùng nhau làm {products}, "
    "giữ nghề truyền thống và có thu nhập ổn định ngay tại quê nhà.",
    "Từ một nhóm chị em cùng sở thích, {name} nay có sản phẩm {products} được bạn hàng trong và ngoài tỉnh "
    "tin dùng. Hợp tác xã mong muốn kết nối thêm đối tác tiêu thụ.",
    "{name} chú trọng sản xuất sạch, truy xuất nguồn gốc và bán hàng qua sàn thương mại điện tử. "
    "Sản phẩm chính: {products}.",
]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def draw_picture(title: str, sector: str, seed: int) -> bytes:
    """A simple landscape in the sector's colours with the title written on it (JPEG)."""
    rng = random.Random(seed)
    dark, light = PALETTE.get(sector, ((120, 70, 110), (235, 215, 230)))
    img = Image.new("RGB", (960, 720), light)
    draw = ImageDraw.Draw(img)
    for i in range(4):
        y = 360 + i * 80 + rng.randint(-30, 30)
        shade = tuple(max(0, c - 25 * i) for c in dark)
        draw.polygon([(0, 720), (0, y), (rng.randint(200, 400), y - rng.randint(40, 140)),
                      (rng.randint(500, 700), y + rng.randint(-40, 40)), (960, y - rng.randint(0, 90)), (960, 720)],
                     fill=shade)
    draw.ellipse((760, 60, 880, 180), fill=(250, 220, 90))
    draw.rectangle((0, 600, 960, 720), fill=(255, 255, 255))
    draw.text((32, 628), title[:48], fill=dark, font=_font(40))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _photo(publication, product, title: str, sector: str, seed: int) -> Photo:
    processed = photos.process(draw_picture(title, sector, seed))
    return Photo(publication=publication, product=product, alt_text=title, image=processed.image,
                 thumbnail=processed.thumbnail, width=processed.width, height=processed.height,
                 position=0 if product is None else 1)


def publish_share(scale: str = "demo", stdout=None) -> int:
    """Publish the scale's share of the active demo cooperatives that have no publication
    record yet; returns how many were published."""
    share = SHARE.get(scale, 0.1)
    candidates = list(Collective.objects.filter(status=Status.ACTIVE, publication__isnull=True)
                      .select_related("commune", "commune__parent", "registered_unit").order_by("pk"))
    chosen = [c for c in candidates if random.Random(f"portal-{c.pk}").random() < share]
    if not chosen:
        return 0
    taken = set(Publication.objects.values_list("slug", flat=True))
    products = {}
    for product in Product.objects.filter(collective__in=chosen).order_by("pk"):
        products.setdefault(product.collective_id, []).append(product)
    now = timezone.now()
    publications = []
    for c in chosen:
        rng = random.Random(f"portal-story-{c.pk}")
        slug = slug_for(c.name, taken.__contains__)
        taken.add(slug)
        lat = c.commune.latitude or (c.commune.parent.latitude if c.commune.parent_id else None)
        lon = c.commune.longitude or (c.commune.parent.longitude if c.commune.parent_id else None)
        p = Publication(
            collective=c, slug=slug, is_published=True, published_at=now,
            consent_on=datetime.date.today() - datetime.timedelta(days=rng.randint(10, 300)),
            consent_by="Giám đốc hợp tác xã" if c.type == "htx" else "Tổ trưởng tổ hợp tác",
            consent_document=f"Biên bản đồng ý công khai số {rng.randint(1, 60):02d}/{datetime.date.today().year}",
            story=rng.choice(STORIES).format(name=c.name, products=(c.main_products or "nông sản").lower()),
            contact_name="Văn phòng " + c.name[:100],
            contact_phone=f"0{rng.choice([203, 204, 212, 214, 222, 236, 255, 290])} {rng.randint(3000000, 3999999)}",
            latitude=round(lat + rng.uniform(-0.02, 0.02), 6) if lat is not None else None,
            longitude=round(lon + rng.uniform(-0.02, 0.02), 6) if lon is not None else None,
        )
        p.collective = c
        p.search_key = ""
        publications.append(p)
    with transaction.atomic():
        for p in publications:
            refresh_search_key(p)
        Publication.objects.bulk_create(publications, batch_size=1000)
        saved = {p.collective_id: p for p in Publication.objects.filter(collective__in=chosen)}
        pictures = []
        for c in chosen[:PHOTO_LIMIT]:
            p = saved[c.pk]
            pictures.append(_photo(p, None, c.name, c.sector, c.pk))
            for product in products.get(c.pk, [])[:3]:
                pictures.append(_photo(p, product, product.name, c.sector, product.pk + 7))
        Photo.objects.bulk_create(pictures, batch_size=200)
        audit.log_many(None, AuditEntry.Action.CREATE, [(p, {"is_published": [None, True]}) for p in saved.values()],
                       note="demo data")
    if stdout is not None:
        stdout.write(f"Portal: {len(saved):,} cooperatives published, {len(pictures)} photos drawn ({scale}).")
    return len(saved)


def demo_posts() -> None:
    province = AdminUnit.objects.current().filter(level=Level.PROVINCE, code="15").first()
    if province is None or Post.objects.filter(unit=province).exists():
        return
    now = timezone.now()
    posts = [
        Post(unit=province, kind=Post.Kind.POLICY, title="Kế hoạch thực hiện Đề án 01 giai đoạn 2026–2030",
             slug=slug_for("Kế hoạch thực hiện Đề án 01 giai đoạn 2026–2030 Lào Cai",
                           lambda s: Post.objects.filter(slug=s).exists()),
             summary="Hội LHPN tỉnh Lào Cai ban hành kế hoạch hỗ trợ hợp tác xã do phụ nữ tham gia quản lý.",
             body="Kế hoạch đặt mục tiêu củng cố, nâng cao hiệu quả hoạt động của các hợp tác xã, tổ hợp tác do "
                  "phụ nữ tham gia quản lý; hỗ trợ thành lập mới; đào tạo, bồi dưỡng cán bộ quản lý.\n"
                  "Các cấp Hội phối hợp với các sở, ngành triển khai đến năm 2030.",
             state=Post.State.PUBLISHED, published_at=now),
        Post(unit=province, kind=Post.Kind.NEWS, title="Hội chợ sản phẩm OCOP của phụ nữ Lào Cai",
             slug=slug_for("Hội chợ sản phẩm OCOP của phụ nữ Lào Cai", lambda s: Post.objects.filter(slug=s).exists()),
             summary="Hơn 30 gian hàng của hợp tác xã, tổ hợp tác do phụ nữ quản lý.",
             body="Hội chợ giới thiệu chè Shan tuyết, mật ong, thổ cẩm và nhiều nông sản đặc trưng vùng cao.",
             state=Post.State.PUBLISHED, published_at=now),
    ]
    with transaction.atomic():
        Post.objects.bulk_create(posts)


def build(scale: str = "demo", stdout=None) -> None:
    publish_share(scale, stdout)
    demo_posts()
