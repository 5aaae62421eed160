"""The 54 ethnic groups of Vietnam in the order and spelling of the national list
(Danh mục các dân tộc Việt Nam, Decision 121-TCTK/PPCĐ of 02/03/1979, General Statistics
Office), codes 01–54. Offered as a list where a named person's ethnicity is recorded
(with consent: it is sensitive personal data, Law 91/2025/QH15)."""

ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "HMông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba-na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú", "Co",
    "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ-đu", "Rơ-măm",
)
assert len(ETHNIC_GROUPS) == 54


def ethnicity_choices(current: str = "") -> list[tuple[str, str]]:
    """The list for a select, keeping a value typed before the list existed."""
    choices = [("", "—")] + [(name, name) for name in ETHNIC_GROUPS]
    if current and current not in ETHNIC_GROUPS:
        choices.append((current, current))
    return choices
