"""The API's one pagination: limit and offset, both bounded.

Django Ninja's own LimitOffsetPagination takes any offset ≥ 0, and an offset past 2^63 reached the
database as an OFFSET it cannot hold (a 500). Settings name this class (NINJA_PAGINATION_CLASS), so
every `@paginate` list takes it; a value out of bounds is a 422 naming the parameter (core/api.py).
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Far past any ledger of a city (DOMAIN §7: ~750,000 employment spells), well inside a 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description="每页条数",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数")
