from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_
from ninja import NinjaAPI

from . import activities, geo, plans, registry, reporting

TRANSLATED_KEYS = ("summary", "description")


class TranslatedAPI(NinjaAPI):
    """The OpenAPI schema (and so /api/v1/docs) in the language of the request: Vietnamese
    by default, English under the English locale. Summaries, descriptions and tags are
    written in English in the code, marked with gettext_noop, and translated here, each
    time the schema is built (it is built per request)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _translate(schema.get("info", {}), keys=("title", "description"))
        _translate(schema.get("paths", {}), keys=("summary", "description"))
        _translate(schema.get("components", {}), keys=("description",))
        return schema


def _translate(node, keys=TRANSLATED_KEYS):
    """Translate in place the texts under `keys` and the tags of every operation."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                node[key] = gettext(value)
            elif key == "tags" and isinstance(value, list):
                node[key] = [gettext(tag) if isinstance(tag, str) else tag for tag in value]
            else:
                _translate(value, keys)
    elif isinstance(node, list):
        for value in node:
            _translate(value, keys)


api = TranslatedAPI(
    title=N_("HTX Nữ API"),
    version="1",
    description=N_("Đề án 01: cooperatives managed by women, jobs for women. Reference data (administrative units, "
                   "indicators) is public; everything else needs a signed-in session and is limited to the "
                   "user's units."),
    urls_namespace="api",
)
api.add_router("/units", geo.router)
api.add_router("/activities", activities.router)
api.add_router("/collectives", registry.router)
api.add_router("/plans", plans.router)
api.add_router("/indicators", plans.indicators_router)
api.add_router("/reports", reporting.router)
