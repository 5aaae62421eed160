"""Demo accounts: created only by `manage.py demo_data`, which refuses to run unless
DEMO_DATA_ALLOWED is on (it is off whenever DEBUG is off)."""

from htxnu.geo.models import AdminUnit, Level

from .models import Organisation, User

DEMO_PASSWORD = "htxnu-demo"
DEMO_PROVINCE_CODE = "15"  # Lào Cai since 1/7/2025 (old Lào Cai and Yên Bái)
DEMO_COMMUNE_NAME = "Phường Cam Đường"
DEMO_PARTNER_NAME = "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"


def demo_units() -> dict[str, AdminUnit]:
    country = AdminUnit.objects.get(level=Level.COUNTRY)
    province = AdminUnit.objects.current().get(level=Level.PROVINCE, code=DEMO_PROVINCE_CODE)
    commune = AdminUnit.objects.current().get(parent=province, name=DEMO_COMMUNE_NAME)
    return {"country": country, "province": province, "commune": commune}


def build(scale: str = "demo", stdout=None) -> None:
    build_accounts()


def summary(stdout) -> None:
    """demo_data prints the summaries after every app's data, so the accounts are the last
    thing `make run` shows."""
    stdout.write("")
    stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for username, organisation, roles in build_accounts():
        stdout.write(f"  {username:<15} {organisation} — {roles}")
    stdout.write("")


def build_accounts() -> list[tuple[str, str, str]]:
    units = demo_units()
    union = {k: Organisation.objects.get(kind=Organisation.Kind.UNION, unit=u) for k, u in units.items()}
    partner, _ = Organisation.objects.get_or_create(
        kind=Organisation.Kind.PARTNER,
        name=DEMO_PARTNER_NAME,
        unit=units["province"],
        defaults={"category": Organisation.Category.DEPARTMENT},
    )
    all_roles = dict(is_officer=True, is_approver=True, is_unit_admin=True)
    accounts = [
        ("demo_central", "Nguyễn Thị Hạnh", union["country"], all_roles),
        ("demo_province", "Lò Thị Mai", union["province"], all_roles),
        ("demo_commune", "Hoàng Thị Lan", union["commune"], dict(is_officer=True)),
        ("demo_partner", "Trần Văn Bình", partner, {}),
    ]
    rows = []
    for username, full_name, organisation, roles in accounts:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, organisation=organisation, **roles)
            user.set_password(DEMO_PASSWORD)
            user.save()
        rows.append((username, organisation.name, ", ".join(str(label) for label in user.role_labels)))
    return rows
