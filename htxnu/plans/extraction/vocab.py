"""Vocabularies of the genre: units, actions, indicator rules, places.

Every pattern is written on *folded* text (lower case, no diacritics, see
``text.fold``), so "Hợp tác xã", "HỢP TÁC XÃ" and "hop tac xa" all match.

Units.  The noun right after a number says what is counted: cooperatives
("HTX", "hợp tác xã"), cooperative groups ("THT", "tổ hợp tác"), training
classes ("lớp"), or people: workers/members ("lao động nữ", "thành viên"),
women managers ("nữ quản lý"), Union cadres ("cán bộ Hội").  Any other noun
("tháng", "năm", "sản phẩm", "đồng", "xã") makes the number a non-target.

Actions.  What the plan does to the counted thing decides the indicator:

- a cooperative/group count after "củng cố", "nâng cao chất lượng", "duy trì"
  is a consolidation target; after "thành lập" a founding target;
- a count of workers after "việc làm" is a jobs target: "ổn định" means
  stable jobs (split by "trong HTX" / "trong THT", or combined when both or
  neither are named), "mới" means new jobs; a bare "tạo việc làm" is new jobs
  when the same clause founds something, else stable jobs;
- a share of women managers is "certified" when the clause speaks of
  "chứng chỉ", "digitally trained" when it speaks of IT ("công nghệ thông
  tin", "chuyển đổi số") and not of governance ("năng lực / kiến thức quản trị"),
  otherwise "trained";
- a share of members is "vocational" when the clause speaks of "đào tạo
  nghề"/"chuyển giao", "e-commerce" when it speaks of "thương mại điện tử"
  (both when it speaks of both);
- a share of cadres is "skilled" when the clause speaks of communication
  skills ("kỹ năng tuyên truyền, vận động"), otherwise "trained";
- a share of cooperatives and/or groups being consolidated is
  ``coops_groups_consolidated_pct``.

Descriptors.  Phrases that describe the kind of cooperative rather than an
action — "tạo nhiều việc làm cho lao động nữ", "được các cấp Hội hỗ trợ thành
lập" — are blanked before actions are looked for.
"""
from __future__ import annotations

import re

INDICATORS = (
    "coops_consolidated", "groups_consolidated", "coops_groups_consolidated_pct",
    "jobs_coop_women", "jobs_group_women", "jobs_total_women", "coops_new", "groups_new",
    "jobs_new_women", "training_classes", "managers_trained_pct", "managers_certified_pct",
    "managers_digital_trained_pct", "members_vocational_pct", "members_ecommerce_pct",
    "cadres_trained_pct", "cadres_skilled_pct",
)
BASELINE_INDICATORS = {"coop": "coops_supported", "group": "groups_supported"}

# Head noun right after a number, most specific first.
UNITS: list[tuple[str, re.Pattern[str]]] = [
    ("group", re.compile(r"(?:to hop tac|tht|to ht|to lien ket)\b")),
    ("coop", re.compile(r"(?:hop tac xa|htx)\b")),
    ("class", re.compile(r"(?:lop|khoa (?:dao tao|tap huan|hoc|boi duong))\b")),
    ("manager", re.compile(
        r"(?:nu quan ly|nu lanh dao|can bo quan ly|nguoi quan ly|nu giam doc|nu chu tich|quan ly)\b"
    )),
    ("cadre", re.compile(r"(?:can bo|cb)\b")),
    ("worker", re.compile(r"(?:thanh vien|nguoi lao dong|lao dong|ld|chi em|hoi vien|phu nu|nguoi)\b")),
]
# Words allowed between a percentage and its noun: "100% các HTX", "100% số nữ quản lý".
PCT_FILLER = re.compile(r"\s*(?:so\s+|tong so\s+)?(?:cac\s+|nhung\s+)?")
# More people after the first noun: "100% cán bộ Hội … và nữ quản lý".
MORE_PEOPLE = re.compile(
    r"(?:,|\bva)\s+(?:cac\s+)?"
    r"(nu quan ly|nu lanh dao|can bo hoi|can bo|thanh vien|lao dong nu|nguoi lao dong|hoi vien)\b"
)
# "100% HTX và tổ hợp tác", "10 HTX, THT", "HTX/THT".
AND_GROUPS = re.compile(r"^\s*(?:,|va|/|&)\s*(?:cac\s+)?(?:to hop tac|tht)\b")
AND_COOPS = re.compile(r"^\s*(?:,|va|/|&)\s*(?:cac\s+)?(?:hop tac xa|htx)\b")

# After "N LĐ/" a rate ("15 LĐ/hợp tác xã"); after "N HTX/" an administrative
# unit means "per sub-unit", and "/năm" means every year.
RATE_AFTER = re.compile(r"^\s*/\s*(?:hop tac xa|htx|tht|to hop tac|lop|lan|nguoi|thang|ngay)\b")
# "02 HTX/năm": a yearly target.
PER_YEAR_AFTER = re.compile(r"^\s*/\s*(?:1\s+|mot\s+|moi\s+)?nam\b")
PER_UNIT_AFTER = re.compile(
    r"^\s*/\s*(?:1\s+|mot\s+|moi\s+)?(?:xa|huyen|phuong|thi tran|thi xa|thanh pho|quan|don vi|dia phuong|tinh|co so)\b"
)
PER_SUBUNIT = re.compile(
    r"\b(?:moi|tung|binh quan (?:moi|1|mot))\s+(?:huyen|xa|phuong|thi tran|thi xa|thanh pho|quan|don vi|dia phuong"
    r"|co so hoi|hoi co so|chi hoi|tinh|thon|ap|ban|to dan pho|khu dan cu)\b"
)

ACTIONS: dict[str, re.Pattern[str]] = {
    "consolidate": re.compile(r"cung co|nang cao chat luong|duy tri|kien toan|nang cao hieu qua"),
    "found": re.compile(r"thanh lap|xay dung moi|phat trien moi|hinh thanh moi"),
}
JOBS = re.compile(r"viec lam")
JOBS_STABLE = re.compile(r"on dinh|thuong xuyen|ben vung")
JOBS_NEW = re.compile(r"\bmoi\b|tao them|them viec")
TRAIN = re.compile(r"dao tao|boi duong|tap huan|nang cao nang luc|nang cao trinh do|huan luyen|nang cao nhan thuc")
SKILL = re.compile(
    r"ky nang tuyen truyen|ky nang van dong|ky nang truyen thong|nang cao ky nang|ky nang,? phuong phap tuyen truyen"
)
VOCATIONAL = re.compile(r"dao tao nghe|day nghe|hoc nghe|chuyen giao (?:khoa hoc|ky thuat|cong nghe|tien bo)")
ECOMMERCE = re.compile(r"thuong mai dien tu")
CERTIFY = re.compile(r"chung chi|chung nhan")
DIGITAL = re.compile(r"cong nghe thong tin|cntt|chuyen doi so|cong nghe so|ky nang so")
GOVERNANCE = re.compile(r"(?:nang luc|kien thuc|ky nang) quan tri|quan tri,? dieu hanh")

DESCRIPTORS = re.compile(
    r"(?:duoc|do)\s+(?:cac cap\s+)?hoi(?:\s+(?:lien hiep phu nu|lhpn|phu nu))?(?:\s+cac cap)?"
    r"(?:\s+(?:tinh|huyen|xa|thanh pho))?\s+(?:ho tro\s+)?thanh lap"
    r"|tao (?:nhieu )?viec lam (?:on dinh )?cho (?:nhieu )?(?:lao dong nu|phu nu|lao dong)\b"
    r"|chua du dieu kien thanh lap"
)

# Qualifier words before a number and the op they give.
QUALIFIERS: list[tuple[str, str]] = [
    ("khong it hon", ">="), ("khong duoi", ">="), ("toi thieu", ">="), ("it nhat", ">="),
    ("tren", ">"), ("hon", ">"), ("vuot", ">"),
    ("khoang", "~"), ("xap xi", "~"), ("gan", "~"), ("uoc", "~"),
    ("toi da", "<="), ("khong qua", "<="), ("duoi", "<"), ("it hon", "<"),
    ("tu", ">="), ("dat", "="),
    (">=", ">="), ("≥", ">="), ("<=", "<="), ("≤", "<="), (">", ">"), ("<", "<"), ("~", "~"),
]
QUALIFIER_RE = "|".join(re.escape(q) for q, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0])))
QUALIFIER_OPS = dict(QUALIFIERS)
STRONG_OPS = {">=", ">", "~", "<=", "<", "between"}

# Baselines: "Hiện nay … có 13 HTX với 135 thành viên".
BASELINE_CUE = re.compile(
    r"hien nay|hien co|hien tai|den thoi diem|tinh den|den nay|thuc trang|"
    r"toan (?:tinh|huyen|xa|thanh pho|thi xa) (?:hien )?co"
)
BASELINE_MEMBERS = re.compile(r"^\s*(?:,\s*)?(?:voi|gom|co)\s+(?:tong so\s+)?(\d[\d.]*)\s+(?:thanh vien|lao dong)")

# Female-share threshold: "trên 70% lao động hợp tác xã là nữ", "lao động nữ chiếm từ 60% trở lên",
# "có tối thiểu 50% lao động nữ", "có lao động nữ ≥ 70%"; ``targets._threshold_spans`` reads them.
THRESHOLD_AFTER = re.compile(
    r"^\s*(?:so\s+)?(?:lao dong|thanh vien|nguoi lao dong)[^.;%\d]{0,40}?\bla\s+(?:lao dong\s+)?(?:phu\s+)?nu\b"
)
THRESHOLD_BEFORE = re.compile(
    r"(?:lao dong|thanh vien) nu (?:chiem|dat)\s*(?:ty le\s*)?$"
    r"|ty le (?:lao dong|thanh vien) nu\s*(?:dat|la|chiem)?\s*$"
    # "HTX có (số) lao động nữ ≥ 70%", "có số lao động nữ không dưới 50% tổng số lao động".
    r"|\bco\s+(?:so\s+|ty le\s+)?(?:lao dong|thanh vien) nu\s*(?:chiem|dat|la)?\s*$"
)
# "có (từ|trên|tối thiểu) 50% lao động nữ (trở lên)": the share, then whose share it is.
THRESHOLD_HAVE = re.compile(r"\b(?:co|voi)\s+(?:ty le\s+)?$")
THRESHOLD_HAVE_AFTER = re.compile(r"^\s*(?:so\s+)?(?:lao dong|thanh vien)\s+(?:la\s+)?nu\b")

# --- reporting -------------------------------------------------------------------
REPORT = re.compile(r"bao cao|gui ket qua")
PERIODS: list[tuple[str, re.Pattern[str]]] = [
    # "quý" folds to "quy", as does the "quy" of "quy định", "quy chế", "quy mô".
    ("quarterly", re.compile(
        r"\b(?:hang|moi|dinh ky|theo|tung) quy\b(?!\s*(?:dinh|che|trinh|mo|hoach|chuan))"
        r"|bao cao quy\b(?!\s*(?:dinh|che|trinh))"
    )),
    ("semiannual", re.compile(r"\b(?:6|06|sau) thang\b|nua nam|ban nien|so ket 6")),
    ("annual", re.compile(
        r"\b(?:hang|moi) nam\b|(?:6|06|sau) thang,?\s*(?:va|hoac|,)?\s*(?:01\s+|mot\s+|ca\s+)?nam\b(?!\s*\d)"
        r"|\b(?:dinh ky|bao cao) (?:01 |mot )?nam\b(?!\s*\d)|\b(?:01|mot) nam\b(?!\s*\d)"
        r"|bao cao nam\b(?!\s*\d)|tong ket nam\b(?!\s*\d)")),
    ("monthly", re.compile(r"\b(?:hang|moi|dinh ky) thang\b")),
]
AD_HOC = re.compile(r"dot xuat\s*(?:khi|theo|neu)\s*(?:co\s+|duoc\s+)?yeu cau|bao cao dot xuat|khi co yeu cau")
_BEFORE_DAY = r"(?:truoc|cham nhat|khong muon hon|han cuoi|han chot)\s*(?:vao\s*)?(?:ngay\s*)?"
# "trước ngày 15/11", "trước 25 tháng 11", "trước ngày 25/11/2025" (the year is dropped: the rule is the day).
DEADLINE = re.compile(
    _BEFORE_DAY + r"(\d{1,2})\s*(?:/|-|\.|thang)\s*(\d{1,2})(?!\d)"
    r"(?:\s*(?:/|-|\.)\s*\d{4}|\s+nam\s+\d{4})?"
)
# "trước ngày 20 của tháng cuối quý", "chậm nhất ngày 15 tháng đầu quý sau" is not one: same quarter only.
QUARTER_DEADLINE = re.compile(
    r"(?:" + _BEFORE_DAY + r"|vao\s*ngay\s*)(\d{1,2})\s+(?:cua\s+)?thang\s+(cuoi|dau|giua|thu\s*(?:nhat|hai|ba|[123]))"
    r"\s+(?:cua\s+)?(?:moi\s+|tung\s+)?quy\b"
    r"(?!\s*sau)"
)
# "chậm nhất 05 ngày sau khi kết thúc quý", "trong vòng 10 ngày kể từ ngày kết thúc quý".
QUARTER_AFTER_END = re.compile(
    r"(\d{1,2})\s*ngay\s*(?:lam viec\s*)?(?:sau\s*(?:khi|ngay)?|ke tu\s*(?:ngay\s*)?)\s*"
    r"(?:ket thuc|het)\s*(?:moi\s+|tung\s+)?quy\b"
)
QUARTER_MONTHS = {"cuoi": 3, "dau": 1, "giua": 2, "thu nhat": 1, "thu hai": 2, "thu ba": 3,
                  "thu 1": 1, "thu 2": 2, "thu 3": 3}

# --- places --------------------------------------------------------------------------
PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Huế",
]
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
LEVEL_WORDS: dict[str, tuple[str, str]] = {
    # folded word -> (level, display prefix for the unit name)
    "tinh": ("province", "Tỉnh"),
    "thanh pho": ("district", "Thành phố"),
    "tp": ("district", "Thành phố"),
    "huyen": ("district", "Huyện"),
    "thi xa": ("district", "Thị xã"),
    "quan": ("district", "Quận"),
    "xa": ("commune", "Xã"),
    "phuong": ("commune", "Phường"),
    "thi tran": ("commune", "Thị trấn"),
    "dac khu": ("commune", "Đặc khu"),
}
LEVEL_RE = r"(?:tinh|thanh pho|tp\.?|huyen|thi xa|quan|xa|phuong|thi tran|dac khu)"

# --- task groups ---------------------------------------------------------------------
TASK_GROUPS: dict[int, list[tuple[str, int]]] = {
    1: [("tuyen truyen", 3), ("truyen thong", 3), ("nang cao nhan thuc", 2), ("van dong", 1)],
    2: [("cung co", 3), ("nang cao chat luong hoat dong", 2), ("suc canh tranh", 2), ("duy tri", 1)],
    3: [("thanh lap", 3), ("xay dung cac", 2), ("xay dung", 1), ("tu van", 1), ("phat trien moi", 2)],
    4: [("nguon nhan luc", 4), ("dao tao", 2), ("boi duong", 2)],
    5: [("chi dao", 3), ("dieu hanh cua cac cap hoi", 2), ("cac cap hoi", 2), ("nang luc cua hoi", 2)],
    6: [("hop tac quoc te", 4), ("quoc te", 2), ("xuc tien thuong mai", 3), ("huy dong nguon luc", 3),
        ("ket noi thi truong", 2)],
}
AGENCY_CANON = [
    (re.compile(r"hoi lien hiep phu nu", re.I), "Hội Liên hiệp Phụ nữ"),
    (re.compile(r"lien minh hop tac xa", re.I), "Liên minh Hợp tác xã"),
    (re.compile(r"so cong thuong", re.I), "Sở Công Thương"),
]
