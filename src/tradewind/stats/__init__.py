"""Trade statistics: imports and exports by product, market and origin; RCA; baskets."""

from tradewind.stats.queries import (
    ProductMarket,
    export_basket,
    import_basket,
    imports_by_market,
    product_market,
    top_suppliers,
    world_demand,
)

__all__ = ["ProductMarket", "export_basket", "import_basket", "imports_by_market",
           "product_market", "top_suppliers", "world_demand"]
