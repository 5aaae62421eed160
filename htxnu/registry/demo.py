"""Demo data of the registry: cooperatives and groups with their managers, workforce
history since 2023, products and events.

- demo: a few dozen records written by hand, in today's Lào Cai (Phường Cam Đường first)
  and some other provinces, with names, sectors and products that fit the place;
- province: today's Lào Cai in depth (~1,500 records spread over its 99 communes);
- national: ~40,000 HTX and ~120,000 THT over all 34 provinces, ~10 people records per
  cooperative, half-yearly workforce since 2023.

Generated records are deterministic (a seeded random generator), so running a scale
again finds them (by name and commune) and changes nothing. Everything is written in
bulk, thousands of rows per query, with the derived columns computed on the way, so
the national set takes minutes, not hours. Demo records get one audit entry each.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from htxnu.accounts.models import Organisation
from htxnu.core import audit
from htxnu.core.models import AuditEntry
from htxnu.geo.models import REORGANISATION_DATE, AdminUnit, Level, Succession
from htxnu.text import name_key

from . import facts
from .models import (
    Collective,
    CollectiveType,
    Gender,
    Governance,
    LifeEvent,
    Manager,
    OcopGroup,
    Position,
    Product,
    SalesChannel,
    Sector,
    Status,
    UnionLevel,
    WorkforceSnapshot,
)

TODAY = datetime.date.today()
HALF_YEARS = [d for y in range(2023, TODAY.year + 1) for d in (datetime.date(y, 6, 30), datetime.date(y, 12, 31))
              if datetime.date(2023, 12, 31) <= d <= TODAY]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Mai",
          "Tạ", "Hà", "Phan", "Trịnh"]
FAMILY_HIGHLAND = ["Lò", "Vàng", "Giàng", "Sùng", "Lý", "Cầm", "Lường", "Hà", "Nông", "Lục", "Triệu", "Hoàng", "Tẩn",
                   "Thào", "Mùa", "Sần"]
WOMEN = ["Mai", "Lan", "Hoa", "Hạnh", "Hương", "Thu", "Nga", "Dung", "Hằng", "Xuân", "Phương", "Thảo", "Linh", "Yến",
         "Huyền", "Nhung", "Vân", "Quỳnh", "Oanh", "Thúy", "Liên", "Chi", "Ngọc", "Trang", "Hiền", "Tâm", "Sinh", "Dợ",
         "Mỷ", "Sua"]
MEN = ["Bình", "Dũng", "Hùng", "Sáng", "Thắng", "Tuấn", "Minh", "Cường", "Long", "Sơn", "Hải", "Quang", "Páo", "Chứ",
       "Lềnh", "Phong", "Toàn", "Vinh"]
ETHNIC_HIGHLAND = ["Tày", "Thái", "Mông", "Dao", "Nùng", "Giáy", "Hà Nhì", "Kinh"]
VILLAGES = ["Đông", "Tân Lập", "Phố Mới", "Bản Phố", "Bản Mường", "Làng Chùa", "Thôn Trung", "Đồng Tâm", "Tiên Phong",
            "Thái Bình", "Hòa Bình", "Tân Tiến", "Quyết Thắng", "Cốc Ly", "Nà Hẩu", "Khe Lếch", "Suối Thầu", "An Lạc"]

# What collectives make, by region of today's provinces: (sector, product words, OCOP group).
NORTH_MOUNTAIN = [
    (Sector.CROPS, "Chè Shan tuyết", OcopGroup.DRINKS), (Sector.PROCESSING, "Quế hồi", OcopGroup.HERBS),
    (Sector.WEAVING, "Dệt thổ cẩm", OcopGroup.HANDICRAFT), (Sector.CROPS, "Thảo quả", OcopGroup.HERBS),
    (Sector.COMMUNITY_TOURISM, "Du lịch cộng đồng", OcopGroup.TOURISM), (Sector.LIVESTOCK, "Lợn đen bản địa", None),
    (Sector.CROPS, "Mận hậu", OcopGroup.FOOD), (Sector.PROCESSING, "Miến dong", OcopGroup.FOOD),
    (Sector.LIVESTOCK, "Mật ong bạc hà", OcopGroup.FOOD), (Sector.AGRICULTURE, "Nông nghiệp", None),
    (Sector.CROPS, "Rau an toàn", None), (Sector.HANDICRAFT, "Mây tre đan", OcopGroup.HANDICRAFT),
]
DELTA = [
    (Sector.AGRICULTURE, "Dịch vụ nông nghiệp", None), (Sector.CROPS, "Rau hữu cơ", OcopGroup.FOOD),
    (Sector.GARMENT, "May mặc", None), (Sector.HANDICRAFT, "Thêu ren", OcopGroup.HANDICRAFT),
    (Sector.PROCESSING, "Chế biến nông sản", OcopGroup.FOOD), (Sector.LIVESTOCK, "Chăn nuôi gà", None),
    (Sector.CROPS, "Vải thiều", OcopGroup.FOOD), (Sector.TRADE_SERVICES, "Dịch vụ tổng hợp", None),
    (Sector.CONSUMER, "Tiêu dùng", None), (Sector.HANDICRAFT, "Gốm", OcopGroup.HANDICRAFT),
]
COAST = [
    (Sector.AQUACULTURE, "Nuôi trồng thủy sản", OcopGroup.FOOD), (Sector.PROCESSING, "Nước mắm", OcopGroup.FOOD),
    (Sector.PROCESSING, "Hải sản khô", OcopGroup.FOOD), (Sector.CROPS, "Rau sạch", None),
    (Sector.COMMUNITY_TOURISM, "Du lịch làng biển", OcopGroup.TOURISM), (Sector.GARMENT, "May mặc", None),
    (Sector.AGRICULTURE, "Nông nghiệp", None), (Sector.HANDICRAFT, "Đan lát", OcopGroup.HANDICRAFT),
]
HIGHLANDS = [
    (Sector.CROPS, "Cà phê", OcopGroup.DRINKS), (Sector.CROPS, "Hồ tiêu", OcopGroup.FOOD),
    (Sector.CROPS, "Sầu riêng", OcopGroup.FOOD), (Sector.WEAVING, "Dệt thổ cẩm", OcopGroup.HANDICRAFT),
    (Sector.CROPS, "Rau hoa", OcopGroup.ORNAMENTAL), (Sector.AGRICULTURE, "Nông nghiệp", None),
    (Sector.COMMUNITY_TOURISM, "Du lịch cộng đồng", OcopGroup.TOURISM),
]
MEKONG = [
    (Sector.CROPS, "Lúa gạo", OcopGroup.FOOD), (Sector.AQUACULTURE, "Nuôi tôm", OcopGroup.FOOD),
    (Sector.CROPS, "Trái cây", OcopGroup.FOOD), (Sector.WEAVING, "Lục bình", OcopGroup.HANDICRAFT),
    (Sector.PROCESSING, "Bánh tráng", OcopGroup.FOOD), (Sector.LIVESTOCK, "Chăn nuôi vịt", None),
    (Sector.AGRICULTURE, "Nông nghiệp", None), (Sector.TRADE_SERVICES, "Dịch vụ tổng hợp", None),
]
REGION = {**dict.fromkeys(["04", "08", "11", "12", "14", "15", "19", "20", "25"], NORTH_MOUNTAIN),
          **dict.fromkeys(["01", "24", "31", "33", "37", "22"], DELTA),
          **dict.fromkeys(["38", "40", "42", "44", "46", "48", "51", "56"], COAST),
          **dict.fromkeys(["52", "66", "68"], HIGHLANDS),
          **dict.fromkeys(["75", "79", "80", "82", "86", "91", "92", "96"], MEKONG)}
HIGHLAND_PROVINCES = {"04", "08", "11", "12", "14", "15", "20", "52", "66", "68"}
WOMEN_SECTORS = {Sector.WEAVING, Sector.GARMENT, Sector.HANDICRAFT, Sector.PROCESSING, Sector.COMMUNITY_TOURISM}

# (province code, commune name, type, name, sector, main products, founded, union level or "", OCOP stars,
#  woman director?, special)
HAND = [
    ("15", "Phường Cam Đường", "htx", "Hợp tác xã Nông nghiệp Hoa Mai", Sector.CROPS, "Rau an toàn, hoa lan",
     "2021-03-15", "commune", 3, True, ""),
    ("15", "Phường Cam Đường", "htx", "Hợp tác xã Thổ cẩm Cam Đường", Sector.WEAVING, "Khăn, túi thổ cẩm Dao đỏ",
     "2023-09-02", "province", 0, True, "consolidated"),
    ("15", "Phường Cam Đường", "tht", "Tổ hợp tác Chăn nuôi lợn đen Pom Hán", Sector.LIVESTOCK, "Lợn đen bản địa",
     "2022-05-10", "commune", 0, True, ""),
    ("15", "Phường Cam Đường", "tht", "Tổ hợp tác Miến dong Thôn Đông", Sector.PROCESSING, "Miến dong",
     "2024-02-20", "commune", 0, True, "to_convert"),
    ("15", "Phường Cam Đường", "htx", "Hợp tác xã Dịch vụ tổng hợp Đông Phong", Sector.TRADE_SERVICES,
     "Vật tư nông nghiệp, vận tải", "2019-11-01", "", 0, False, ""),
    ("15", "Phường Cam Đường", "group", "Nhóm đồng sở thích Trồng nấm Bắc Cường", Sector.CROPS, "Nấm sò, nấm linh chi",
     "2025-04-12", "commune", 0, True, ""),
    ("15", "Phường Sa Pa", "htx", "Hợp tác xã Du lịch cộng đồng Tả Van", Sector.COMMUNITY_TOURISM,
     "Homestay, dẫn đường, ẩm thực", "2020-06-01", "province", 4, True, ""),
    ("15", "Xã Tả Van", "tht", "Tổ hợp tác Dệt lanh Giàng Tà Chải", Sector.WEAVING, "Vải lanh nhuộm chàm",
     "2023-03-08", "commune", 0, True, ""),
    ("15", "Xã Bắc Hà", "htx", "Hợp tác xã Mận Tam hoa Bắc Hà", Sector.CROPS, "Mận tam hoa", "2018-02-01", "", 3,
     False, ""),
    ("15", "Xã Mường Khương", "htx", "Hợp tác xã Tương ớt Mường Khương", Sector.PROCESSING, "Tương ớt, chè",
     "2017-08-20", "district", 4, True, ""),
    ("15", "Xã Y Tý", "htx", "Hợp tác xã Chè Shan tuyết Y Tý", Sector.CROPS, "Chè Shan tuyết cổ thụ", "2021-10-10",
     "province", 3, True, ""),
    ("15", "Xã Bản Hồ", "tht", "Tổ hợp tác Thổ cẩm Tày Bản Hồ", Sector.WEAVING, "Thổ cẩm Tày", "2024-07-01",
     "commune", 0, True, ""),
    ("15", "Xã Bát Xát", "htx", "Hợp tác xã Gạo Séng Cù Bát Xát", Sector.CROPS, "Gạo Séng Cù", "2016-04-15", "", 3,
     False, "suspended"),
    ("15", "Xã Tú Lệ", "htx", "Hợp tác xã Nếp Tú Lệ", Sector.PROCESSING, "Gạo nếp, cốm Tú Lệ", "2019-09-09",
     "district", 4, True, ""),
    ("15", "Xã Mù Cang Chải", "tht", "Tổ hợp tác Mật ong bạc hà Mù Cang Chải", Sector.LIVESTOCK, "Mật ong",
     "2023-05-05", "commune", 0, True, ""),
    ("15", "Phường Văn Phú", "htx", "Hợp tác xã Quế Văn Yên", Sector.PROCESSING, "Quế, tinh dầu quế", "2015-12-01",
     "", 3, False, ""),
    ("15", "Xã Trấn Yên", "htx", "Hợp tác xã Măng tre Bát Độ", Sector.PROCESSING, "Măng tre Bát Độ", "2020-01-20",
     "province", 3, True, ""),
    ("15", "Xã Lục Yên", "tht", "Tổ hợp tác May mặc Lục Yên", Sector.GARMENT, "Đồng phục, quần áo bảo hộ",
     "2024-10-15", "commune", 0, True, ""),
    ("15", "Phường Nghĩa Lộ", "htx", "Hợp tác xã Dịch vụ Nông nghiệp Nghĩa Lộ", Sector.AGRICULTURE,
     "Lúa nếp Tan, dịch vụ cày bừa", "2014-03-03", "", 0, False, "dissolved"),
    ("12", "Xã Sìn Hồ", "htx", "Hợp tác xã Thảo quả Sìn Hồ", Sector.CROPS, "Thảo quả, sa nhân tím", "2019-07-07",
     "province", 3, True, ""),
    ("12", "Xã Bình Lư", "tht", "Tổ hợp tác Dệt thổ cẩm Lự Bản Hon", Sector.WEAVING, "Thổ cẩm Lự", "2022-11-11",
     "commune", 0, True, ""),
    ("12", "Phường Tân Phong", "htx", "Hợp tác xã Chè Tân Uyên", Sector.CROPS, "Chè Ô long, chè xanh", "2018-05-18",
     "", 4, True, ""),
    ("51", "Xã Bình Sơn", "htx", "Hợp tác xã Tỏi Lý Sơn", Sector.CROPS, "Tỏi cô đơn", "2017-06-06", "", 4, False,
     ""),
    ("51", "Xã Ba Tơ", "tht", "Tổ hợp tác Dệt thổ cẩm Hrê Làng Teng", Sector.WEAVING, "Thổ cẩm Hrê", "2023-08-08",
     "province", 0, True, ""),
    ("51", "Xã Nghĩa Hành", "htx", "Hợp tác xã Quế Trà Bồng", Sector.PROCESSING, "Quế Trà Bồng", "2020-02-02",
     "commune", 3, True, ""),
    ("01", "Xã Bát Tràng", "htx", "Hợp tác xã Gốm sứ Bát Tràng", Sector.HANDICRAFT, "Gốm sứ", "2012-01-12", "", 5,
     False, ""),
    ("01", "Xã Phú Nghĩa", "tht", "Tổ hợp tác Mây tre đan Phú Vinh", Sector.HANDICRAFT, "Mây tre giang đan",
     "2022-04-04", "commune", 3, True, ""),
    ("91", "Xã Châu Phong", "htx", "Hợp tác xã Dệt lụa Tân Châu", Sector.WEAVING, "Lụa Tân Châu", "2016-09-16",
     "province", 3, True, ""),
    ("91", "Xã Vĩnh Thuận", "tht", "Tổ hợp tác Đan lục bình Vĩnh Thuận", Sector.WEAVING, "Giỏ, thảm lục bình",
     "2023-12-01", "commune", 0, True, ""),
]


@dataclass
class Planned:
    collective: Collective
    managers: list[Manager] = field(default_factory=list)
    workforce: list[WorkforceSnapshot] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    events: list[LifeEvent] = field(default_factory=list)


class Generator:
    def __init__(self, seed: str):
        self.rng = random.Random(seed)
        self.names: dict[int, set[str]] = {}

    def unique_name(self, name: str, commune_id: int) -> str:
        used = self.names.setdefault(commune_id, set())
        candidate, number = name, 1
        while candidate in used:
            number += 1
            candidate = f"{name} số {number}"
        used.add(candidate)
        return candidate

    def person(self, gender: str, highland: bool) -> str:
        rng = self.rng
        family = rng.choice(FAMILY_HIGHLAND if highland and rng.random() < 0.7 else FAMILY)
        if gender == Gender.FEMALE:
            return f"{family} Thị {rng.choice(WOMEN)}"
        return f"{family} {'A' if highland and rng.random() < 0.3 else 'Văn'} {rng.choice(MEN)}"

    def code(self, province: str, serial: int) -> str:
        return f"{province}{serial:08d}"

    def managers(self, c: Collective, female_lean: float, highland: bool, woman_head: bool | None) -> list[Manager]:
        rng = self.rng
        if c.type == CollectiveType.HTX:
            positions = [Position.DIRECTOR, Position.BOARD_CHAIR, *[Position.BOARD_MEMBER] * rng.randint(2, 4),
                         *[Position.SUPERVISOR] * rng.randint(1, 2), Position.ACCOUNTANT]
            former = rng.randint(1, 2)
        else:
            positions = [Position.GROUP_LEADER, Position.DEPUTY_LEADER, Position.ACCOUNTANT][: rng.randint(2, 3)]
            former = rng.randint(0, 1)
        start = c.founded_on or datetime.date(2020, 1, 1)
        people = []
        for i, position in enumerate(positions):
            female = woman_head if i == 0 and woman_head is not None else rng.random() < female_lean
            gender = Gender.FEMALE if female else Gender.MALE
            m = Manager(full_name=self.person(gender, highland), gender=gender, position=position,
                        birth_year=rng.randint(1965, 2000), started_on=start,
                        phone=f"09{rng.randint(10000000, 99999999)}")
            if highland and rng.random() < 0.35:
                m.ethnicity = rng.choice(ETHNIC_HIGHLAND)
                consent = datetime.date(2026, 1, 15) + datetime.timedelta(rng.randint(0, 200))
                m.ethnicity_consent_on = min(TODAY, consent)
            people.append(m)
        for _ in range(former):
            gender = Gender.FEMALE if rng.random() < female_lean else Gender.MALE
            ended = start + datetime.timedelta(days=rng.randint(200, 1500))
            if ended >= TODAY:
                continue
            people.append(Manager(full_name=self.person(gender, highland), gender=gender,
                                  position=rng.choice(positions), birth_year=rng.randint(1955, 1990),
                                  started_on=start, ended_on=ended))
        return people

    def workforce(self, c: Collective, female_share: float) -> list[WorkforceSnapshot]:
        rng = self.rng
        members = rng.randint(7, 45) if c.type == CollectiveType.HTX else rng.randint(3, 18)
        snapshots = []
        for as_of in HALF_YEARS:
            if c.founded_on and as_of < c.founded_on:
                continue
            members = max(3, members + rng.randint(-2, 4))
            workers = members + rng.randint(0, members)
            female_workers = min(workers, round(workers * min(1.0, max(0.0, rng.gauss(female_share, 0.08)))))
            female_members = min(members, round(members * min(1.0, max(0.0, rng.gauss(female_share, 0.08)))))
            snapshots.append(WorkforceSnapshot(
                as_of=as_of, members=members, female_members=female_members, workers=workers,
                female_workers=female_workers, women_stable_jobs=round(female_workers * rng.uniform(0.5, 1.0)),
                avg_monthly_income=Decimal(rng.randrange(3_000_000, 9_000_000, 100_000)),
                priority_ethnic_minority=rng.randint(0, members // 2),
                priority_poor=rng.randint(0, members // 4),
                priority_disability=rng.randint(0, 1),
            ))
        return snapshots

    def products(self, c: Collective, product: str, ocop_group, stars: int | None) -> list[Product]:
        rng = self.rng
        channels = rng.sample([SalesChannel.FACEBOOK, SalesChannel.ZALO, SalesChannel.SHOPEE, SalesChannel.SHOP,
                               SalesChannel.FAIR, SalesChannel.POSTMART, SalesChannel.TIKTOK], rng.randint(1, 3))
        p = Product(name=product, has_trademark=rng.random() < 0.3, has_traceability=rng.random() < 0.25,
                    sales_channels=sorted(channels))
        if stars is None:
            roll = rng.random()
            stars = 3 if roll < 0.07 else 4 if roll < 0.09 else 5 if roll < 0.092 else 0
        if stars and ocop_group:
            decided = min(TODAY, (c.founded_on or datetime.date(2020, 1, 1)) + datetime.timedelta(rng.randint(300,
                                                                                                            1200)))
            p.ocop_group, p.ocop_stars, p.ocop_decision_date = ocop_group, stars, decided
            p.ocop_decision_number = f"{rng.randint(100, 3999)}/QĐ-{'TTg' if stars == 5 else 'UBND'}"
            p.ocop_authority = "Thủ tướng Chính phủ" if stars == 5 else "UBND tỉnh"
        return [p]

    def generated(self, commune: AdminUnit, province_code: str, kind: str, serial: int) -> Planned:
        rng = self.rng
        sector, product, ocop_group = rng.choice(REGION.get(province_code, DELTA))
        place = commune.short_name or commune.name
        highland = province_code in HIGHLAND_PROVINCES
        if kind == CollectiveType.HTX:
            name = f"Hợp tác xã {product} {place}"
        else:
            name = f"Tổ hợp tác {product} {rng.choice(['thôn', 'bản', 'tổ dân phố'])} {rng.choice(VILLAGES)}"
        name = self.unique_name(name, commune.pk)
        founded = datetime.date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28))
        supported = rng.random() < (0.3 if kind == CollectiveType.HTX else 0.5)
        c = Collective(
            type=kind, name=name, commune=commune, founded_on=founded, sector=sector, main_products=product,
            registration_code=self.code(province_code, serial) if kind == CollectiveType.HTX else "",
            address=f"{rng.choice(['Thôn', 'Bản', 'Tổ'])} {rng.choice(VILLAGES)}, {commune.name}",
            governance=(Governance.SIMPLIFIED if rng.random() < 0.6 else Governance.FULL)
            if kind == CollectiveType.HTX else "",
            union_supported_founding=supported,
            union_support_level=rng.choice([UnionLevel.COMMUNE, UnionLevel.DISTRICT, UnionLevel.PROVINCE])
            if supported else "",
            in_value_chain=rng.random() < 0.25, digital_transformation=rng.random() < 0.3,
            ecommerce_channels=sorted(rng.sample([SalesChannel.FACEBOOK, SalesChannel.ZALO, SalesChannel.SHOPEE],
                                                 rng.randint(0, 2))),
            social_insurance=kind == CollectiveType.HTX and rng.random() < 0.3,
            agricultural_insurance=rng.random() < 0.1,
        )
        female_share = rng.uniform(0.65, 0.95) if sector in WOMEN_SECTORS else rng.uniform(0.35, 0.75)
        plan = Planned(c)
        plan.managers = self.managers(c, 0.55 if supported else 0.4, highland, None)
        plan.workforce = self.workforce(c, female_share)
        if kind == CollectiveType.HTX or rng.random() < 0.3:
            plan.products = self.products(c, product, ocop_group, None)
        roll = rng.random()
        if supported and roll < 0.25:
            plan.events.append(LifeEvent(kind=LifeEvent.Kind.CONSOLIDATED, union_supported=True,
                                         union_level=c.union_support_level, date=_after(rng, founded)))
        elif roll > 0.97:
            c.status = Status.SUSPENDED
            plan.events.append(LifeEvent(kind=LifeEvent.Kind.SUSPENDED, date=_after(rng, founded)))
        elif roll > 0.955:
            c.status = Status.DISSOLVED
            plan.events.append(LifeEvent(kind=LifeEvent.Kind.DISSOLVED, date=_after(rng, founded)))
        elif kind == CollectiveType.HTX and founded.year < 2020 and roll > 0.9:
            c.status = Status.NOT_CONVERTED
        return plan

    def hand(self, commune: AdminUnit, province_code: str, row: tuple, serial: int) -> Planned:
        (_p, _commune, kind, name, sector, products, founded, level, stars, woman_head, special) = row
        rng = self.rng
        founded = datetime.date.fromisoformat(founded)
        c = Collective(
            type=kind, name=name, commune=commune, founded_on=founded, sector=sector, main_products=products,
            registration_code=self.code(province_code, 90000000 + serial) if kind == CollectiveType.HTX else "",
            address=f"{rng.choice(['Thôn', 'Bản', 'Tổ dân phố'])} {rng.choice(VILLAGES)}, {commune.name}",
            governance=Governance.SIMPLIFIED if kind == CollectiveType.HTX else "",
            union_supported_founding=bool(level), union_support_level=level,
            in_value_chain=stars >= 3, digital_transformation=stars >= 3 or rng.random() < 0.3,
            ecommerce_channels=[SalesChannel.FACEBOOK, SalesChannel.ZALO] if stars else [],
            social_insurance=kind == CollectiveType.HTX and woman_head,
        )
        highland = province_code in HIGHLAND_PROVINCES
        plan = Planned(c)
        plan.managers = self.managers(c, 0.6 if woman_head else 0.0, highland, woman_head)
        plan.workforce = self.workforce(c, 0.85 if sector in WOMEN_SECTORS else 0.55)
        group = next((g for s, _w, g in REGION.get(province_code, DELTA) if s == sector and g), OcopGroup.FOOD)
        plan.products = self.products(c, products.split(",")[0].strip().capitalize(), group, stars)
        if special == "consolidated":
            plan.events.append(LifeEvent(kind=LifeEvent.Kind.CONSOLIDATED, union_supported=True,
                                         union_level=UnionLevel.PROVINCE, date=datetime.date(2025, 9, 20),
                                         note="Hỗ trợ máy dệt và thiết kế mẫu"))
        elif special in {"suspended", "dissolved"}:
            c.status = Status.SUSPENDED if special == "suspended" else Status.DISSOLVED
            plan.events.append(LifeEvent(kind=special, date=datetime.date(2025, 3, 1)))
        return plan


def register_under_old_communes() -> int:
    """Demo cooperatives founded before 1/7/2025 were registered under an old commune:
    one of the communes their commune of today was formed from (whose main successor it
    is), so phase-1 figures of the old units have records to count. Fills only what is
    empty, a few queries whatever the number of records."""
    pending = list(
        Collective.objects.filter(registered_unit__isnull=True, founded_on__lt=REORGANISATION_DATE)
        .values_list("pk", "commune_id")
    )
    if not pending:
        return 0
    predecessors: dict[int, list[int]] = {}
    for successor, predecessor in (
        Succession.objects.filter(successor_id__in={c for _, c in pending}, predecessor__level=Level.COMMUNE,
                                  is_primary=True)
        .order_by("predecessor__code").values_list("successor_id", "predecessor_id")
    ):
        predecessors.setdefault(successor, []).append(predecessor)
    updates = [
        Collective(pk=pk, registered_unit_id=predecessors[commune][pk % len(predecessors[commune])])
        for pk, commune in pending if commune in predecessors
    ]
    Collective.objects.bulk_update(updates, ["registered_unit"], batch_size=5000)
    facts.refresh([c.pk for c in updates])  # the unit each counts under in the old era
    return len(updates)


def _after(rng, date: datetime.date) -> datetime.date:
    return min(TODAY, date + datetime.timedelta(days=rng.randint(60, 1500)))


@transaction.atomic
def write(plans: list[Planned], following: dict[int, int]) -> None:
    for plan in plans:
        plan.collective.refresh_search_key()
        c = plan.collective
        if c.union_supported_founding:
            c.following_organisation_id = following.get(c.commune_id)
    Collective.objects.bulk_create([p.collective for p in plans], batch_size=2000)
    children = {Manager: [], WorkforceSnapshot: [], Product: [], LifeEvent: []}
    for plan in plans:
        for model, items in ((Manager, plan.managers), (WorkforceSnapshot, plan.workforce),
                             (Product, plan.products), (LifeEvent, plan.events)):
            for item in items:
                item.collective = plan.collective
            children[model].extend(items)
    for model, items in children.items():
        model.objects.bulk_create(items, batch_size=5000)
    facts.refresh([p.collective.pk for p in plans])
    audit.log_many(None, AuditEntry.Action.CREATE, [(p.collective, {}) for p in plans], note="demo data")


def _existing_keys(commune_ids) -> set[tuple[str, int]]:
    keys = set()
    ids = list(commune_ids)
    for start in range(0, len(ids), 500):
        for name, commune_id in Collective.objects.filter(commune_id__in=ids[start : start + 500]).values_list(
            "name", "commune_id"
        ):
            keys.add((name_key(name), commune_id))
    return keys


def _following(commune_ids) -> dict[int, int]:
    return dict(Organisation.objects.filter(kind=Organisation.Kind.UNION, unit_id__in=list(commune_ids))
                .values_list("unit_id", "pk"))


def _current_communes(province_codes=None):
    qs = AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).select_related("parent")
    if province_codes:
        qs = qs.filter(parent__code__in=province_codes, parent__valid_to__isnull=True)
    return list(qs.order_by("code"))


def build_hand(stdout=None) -> int:
    gen = Generator("registry-demo")
    communes = {}
    for u in AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True,
                                      parent__code__in={row[0] for row in HAND}).select_related("parent"):
        communes[(u.parent.code, u.name)] = u
    keys = _existing_keys(u.pk for u in communes.values())
    plans = []
    for serial, row in enumerate(HAND, start=1):
        commune = communes.get((row[0], row[1]))
        if commune is None:
            if stdout:
                stdout.write(f"  registry demo: no commune {row[1]} in province {row[0]}, skipped")
            continue
        plan = gen.hand(commune, row[0], row, serial)
        if (name_key(plan.collective.name), commune.pk) not in keys:
            plans.append(plan)
    write(plans, _following(u.pk for u in communes.values()))
    return len(plans)


def build_generated(province_codes, n_htx: int, n_tht: int, seed: str, stdout=None, serial_base: int = 0) -> int:
    """n_htx cooperatives and n_tht groups spread over the current communes of the
    provinces (all provinces when None), skipping those already there."""
    started = time.monotonic()
    communes = _current_communes(province_codes)
    gen = Generator(seed)
    kinds = [CollectiveType.HTX] * n_htx + [CollectiveType.THT] * n_tht
    gen.rng.shuffle(kinds)
    written = 0
    batch_size = 5000
    for start in range(0, len(kinds), batch_size):
        batch_kinds = kinds[start : start + batch_size]
        plans = []
        for offset, kind in enumerate(batch_kinds):
            serial = serial_base + start + offset + 1
            commune = communes[gen.rng.randrange(len(communes))]
            province_code = commune.parent.code if commune.parent_id else "00"
            plans.append(gen.generated(commune, province_code, kind, serial))
        keys = _existing_keys({p.collective.commune_id for p in plans})
        fresh, seen = [], set()
        for p in plans:
            key = (name_key(p.collective.name), p.collective.commune_id)
            if key in keys or key in seen:
                continue
            seen.add(key)
            fresh.append(p)
        write(fresh, _following({p.collective.commune_id for p in fresh}))
        written += len(fresh)
        if stdout is not None and len(kinds) > batch_size:
            stdout.write(f"  registry: {start + len(batch_kinds):,}/{len(kinds):,} generated, {written:,} written "
                         f"({time.monotonic() - started:.0f} s)")
    return written


def convert_demo_group() -> None:
    """The demo shows one THT → HTX conversion, done through the service as a user would."""
    from htxnu.accounts.models import User

    from . import services

    group = Collective.objects.filter(name="Tổ hợp tác Miến dong Thôn Đông", status=Status.ACTIVE).first()
    actor = User.objects.filter(username="demo_province").first()
    if group is None or actor is None:
        return
    services.group_convert(actor=actor, group=group, name="Hợp tác xã Miến dong Cam Đường",
                           registration_code="1599999901", date=datetime.date(2025, 10, 15),
                           governance=Governance.SIMPLIFIED)


def build(scale: str = "demo", stdout=None) -> None:
    written = build_hand(stdout)
    convert_demo_group()
    if scale == "province":
        written += build_generated({"15"}, 500, 1000, "registry-province-15", stdout,
                                   serial_base=50_000_000)
    elif scale == "national":
        written += build_generated(None, 40_000, 120_000, "registry-national", stdout)
    register_under_old_communes()
    if stdout is not None:
        stdout.write(f"Registry: {written:,} cooperatives and groups added ({scale}).")
