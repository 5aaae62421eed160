from ninja import NinjaAPI

from . import activities, geo, plans, registry, reporting

api = NinjaAPI(
    title="HTX Nữ API",
    version="1",
    description="Đề án 01: cooperatives managed by women. Reference data is public; "
    "everything else needs a signed-in session and is limited to the user's units.",
    urls_namespace="api",
)
api.add_router("/units", geo.router)
api.add_router("/activities", activities.router)
api.add_router("/collectives", registry.router)
api.add_router("/plans", plans.router)
api.add_router("/indicators", plans.indicators_router)
api.add_router("/reports", reporting.router)
